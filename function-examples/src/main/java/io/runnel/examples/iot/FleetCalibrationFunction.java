package io.runnel.examples.iot;

import io.runnel.function.EventFunction;
import io.runnel.schedule.ScheduleTick;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Asks every device to calibrate on a schedule: each tick of the {@code calibration} schedule
 * (daily at 03:00 UTC, see {@code application.yml}) becomes one {@link DeviceCommand} for device
 * {@code all} on {@code iot.commands}. The schedule fires once per tick however many instances run,
 * so the fleet gets one command per night.
 */
@Singleton
public class FleetCalibrationFunction {

  /** The device id that addresses every device. */
  public static final String ALL_DEVICES = "all";

  @EventFunction(
      name = "fleet-calibration",
      topics = "schedule.calibration",
      group = "iot-fleet-calibration",
      outputTopic = "iot.commands")
  public DeviceCommand handle(ScheduleTick tick) {
    return DeviceCommand.newBuilder()
        .setDeviceId(ALL_DEVICES)
        .setCommand(CommandKind.CALIBRATE)
        .setIssuedAt(tick.getScheduledTime())
        .setParameters(Map.of("schedule", tick.getSchedule()))
        .build();
  }
}
