package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.runnel.test.Await;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import org.junit.jupiter.api.Test;

/** Micronaut's own switch turns the metrics off; functions run as before, counting nothing. */
@RunnelTest(properties = {"runnel.test.suite=metrics", "micronaut.metrics.enabled=false"})
class MetricsOffTest {

  @Test
  void functionsRunWithoutAMeterRegistryWhenMetricsAreOff(
      RunnelTestKit kit, ApplicationContext context) {
    assertThat(context.findBean(MeterRegistry.class)).isEmpty();
    FunctionMetricsTest.SucceedingFunction function =
        context.getBean(FunctionMetricsTest.SucceedingFunction.class);
    for (int i = 0; i < 5; i++) {
      kit.send("met.ok", "k" + i, ExecutionEngineTest.reading("k" + i, i));
    }
    Await.until("5 records handled", () -> function.handled.get() == 5);
  }
}
