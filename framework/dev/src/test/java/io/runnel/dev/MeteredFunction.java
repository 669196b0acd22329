package io.runnel.dev;

import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;
import org.apache.avro.generic.GenericRecord;

/**
 * A function on the dev classpath of the tests, so that dev mode runs one and exports its meters
 * ({@link ComposeFileTest} compares them with the dashboard's queries).
 */
@Singleton
class MeteredFunction {

  static final String TOPIC = "dev.metered";

  @EventFunction(name = "metered", topics = TOPIC)
  void handle(GenericRecord event) {}
}
