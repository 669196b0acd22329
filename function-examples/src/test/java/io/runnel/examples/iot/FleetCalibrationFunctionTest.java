package io.runnel.examples.iot;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule, sped up to every second, drives the function through the real scheduler. */
@RunnelTest(properties = "runnel.schedules.calibration.cron=* * * * * ?")
class FleetCalibrationFunctionTest {

  @Test
  void eachTickBecomesOneCalibrationCommandForTheFleet(RunnelTestKit kit) {
    List<DeviceCommand> commands =
        kit.awaitRecords("iot.commands", 2, record -> true, Duration.ofSeconds(60)).stream()
            .map(record -> record.value(DeviceCommand.class))
            .toList();
    for (DeviceCommand command : commands) {
      assertThat(command.getDeviceId()).isEqualTo("all");
      assertThat(command.getCommand()).isEqualTo(CommandKind.CALIBRATE);
      assertThat(command.getParameters()).containsEntry("schedule", "calibration");
    }
    assertThat(Duration.between(commands.get(0).getIssuedAt(), commands.get(1).getIssuedAt()))
        .isEqualTo(Duration.ofSeconds(1));
  }
}
