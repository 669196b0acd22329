package io.runnel.runtime.internals;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What metering costs one invocation on the record path (its start and end reported to the
 * function's metrics on a Prometheus registry and to its usage meter), from two threads at once as
 * on two cores, with metrics on and off. Lives in the runtime's package to reach its internals.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class InvocationMeteringBenchmark {

  private static final Invocation.Outcome SUCCESS = new Invocation.Outcome(null, 1, false);

  @Param({"on", "off"})
  String metrics;

  RecordMeters meters;

  @Setup
  public void setUp() {
    FunctionMetrics functionMetrics =
        metrics.equals("on")
            ? FunctionMetrics.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), "bench")
            : FunctionMetrics.NONE;
    meters = new RecordMeters(functionMetrics, UsageMeter.counting("bench"));
  }

  @Benchmark
  public void invocation() {
    meters.started();
    meters.ended(SUCCESS, 20_000, 15_000);
  }
}
