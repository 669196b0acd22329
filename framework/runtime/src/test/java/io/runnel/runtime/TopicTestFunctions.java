package io.runnel.runtime;

import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventContext;
import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/** Functions exercised by {@link TopicProvisioningTest}, each in the context of one test. */
final class TopicTestFunctions {

  private TopicTestFunctions() {}

  @Singleton
  @Requires(property = "runnel.test.suite", value = "topics-provisioned")
  static class ProvisionedFunction {
    @EventFunction(
        name = "provisioned",
        topics = {"prov.in", "prov.other"},
        outputTopic = "prov.out",
        retryTopicDelaysMs = 1000)
    SensorReading handle(SensorReading reading) {
      return reading;
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "topics-stall")
  static class EmittingToAMissingTopicFunction {
    final AtomicInteger attempts = new AtomicInteger();

    @EventFunction(name = "emits-nowhere", topics = "stall.in", maxAttempts = 2)
    void handle(SensorReading reading, EventContext context) {
      attempts.incrementAndGet();
      context.emitter().emit("stall.nowhere", reading);
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "topics-stall")
  static class FlowingFunction {
    @EventFunction(name = "flows", topics = "flow.in", outputTopic = "flow.out")
    SensorReading handle(SensorReading reading) {
      return reading;
    }
  }
}
