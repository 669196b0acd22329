package io.runnel.manifests;

import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;

/**
 * Functions exercised by {@link LeastPrivilegeAclTest}: each passes readings on and fails on the
 * device {@code poison}, so it uses every kind of topic a function has.
 */
final class AclTestFunctions {

  private AclTestFunctions() {}

  static final String POISON = "poison";

  static SensorReading passOrFail(SensorReading reading) {
    if (reading.getDeviceId().equals(POISON)) {
      throw new IllegalArgumentException("a poisoned reading");
    }
    return reading;
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "acl")
  static class AtLeastOnceFunction {
    @EventFunction(
        name = "acl-alo",
        topics = "acl.alo.in",
        outputTopic = "acl.alo.out",
        maxAttempts = 1,
        retryTopicDelaysMs = 100)
    SensorReading handle(SensorReading reading) {
      return passOrFail(reading);
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "acl")
  static class ExactlyOnceFunction {
    @EventFunction(
        name = "acl-eos",
        topics = "acl.eos.in",
        outputTopic = "acl.eos.out",
        maxAttempts = 1,
        exactlyOnce = true)
    SensorReading handle(SensorReading reading) {
      return passOrFail(reading);
    }
  }
}
