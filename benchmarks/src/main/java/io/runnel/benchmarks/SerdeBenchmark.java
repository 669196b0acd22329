package io.runnel.benchmarks;

import io.runnel.examples.iot.SensorReading;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerializer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Confluent wire-format serde per record, with the registry's answers cached as in steady
 * state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerdeBenchmark {

  BenchmarkCluster cluster;
  AvroSerializer serializer;
  AvroDeserializer specificReader;
  SensorReading reading;
  byte[] bytes;

  @Setup(Level.Trial)
  public void start() throws Exception {
    cluster = new BenchmarkCluster(Files.createTempDirectory("runnel-jmh"));
    serializer = cluster.serializer();
    specificReader = cluster.deserializer();
    reading =
        SensorReading.newBuilder()
            .setDeviceId("dev-42")
            .setTimestamp(Instant.now())
            .setTemperatureC(21.5)
            .setHumidity(40.0)
            .build();
    bytes = serializer.serialize("jmh", reading);
    specificReader.deserialize("jmh", bytes);
  }

  @TearDown(Level.Trial)
  public void stop() {
    cluster.close();
  }

  @Benchmark
  public byte[] serializeSpecificRecord() {
    return serializer.serialize("jmh", reading);
  }

  @Benchmark
  public Object deserializeToSpecificRecord() {
    return specificReader.deserialize("jmh", bytes);
  }
}
