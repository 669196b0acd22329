package io.runnel.streams.internals;

import io.micronaut.context.annotation.Factory;
import io.runnel.streams.AvroSerdes;
import io.runnel.support.SchemaRegistrySettings;
import jakarta.inject.Singleton;

/** Makes the {@link AvroSerdes} topologies are injected, on the registry of the configuration. */
@Factory
final class AvroSerdesFactory {

  @Singleton
  AvroSerdes avroSerdes(SchemaRegistrySettings registry) {
    registry.validate();
    return new AvroSerdes(registry.newClient(), registry.isAutoRegisterSchemas());
  }
}
