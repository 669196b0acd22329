package io.runnel.runtime;

import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;

/** The start-up check of a duration setting, failing with the setting's name. */
final class DurationSetting {

  private DurationSetting() {}

  static void requirePositive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new ConfigurationException(key + " must be positive, was " + value);
    }
  }
}
