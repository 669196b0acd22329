package io.runnel.examples.iot;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.time.Duration;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The schedule, sped up to every second, drives the function through the real scheduler. */
@RunnelTest(properties = "runnel.schedules.calibration.cron=* * * * * ?")
class FleetCalibrationFunctionTest {

  @Test
  void eachTickBecomesOneCalibrationCommandForTheFleet(RunnelTestKit kit) {
    java.util.List<ReceivedRecord> commands =
        kit.awaitRecords("iot.commands", 2, record -> true, Duration.ofSeconds(60));
    for (ReceivedRecord record : commands) {
      GenericRecord command = (GenericRecord) record.value();
      assertThat(command.get("deviceId")).hasToString("all");
      assertThat(command.get("command")).hasToString("CALIBRATE");
      assertThat(((java.util.Map<?, ?>) command.get("parameters")).toString())
          .contains("calibration");
    }
    long first = (Long) ((GenericRecord) commands.get(0).value()).get("issuedAt");
    long second = (Long) ((GenericRecord) commands.get(1).value()).get("issuedAt");
    assertThat(second - first).isEqualTo(1000);
  }
}
