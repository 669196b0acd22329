package io.runnel.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time given on the command line: a duration back from now ({@code 90s}, {@code 15m},
 * {@code 1h}, {@code 7d}, or ISO-8601 such as {@code PT1H30M}, as {@link DurationConverter} reads
 * them) or an instant ({@code 2026-11-30T10:00:00Z}).
 */
final class TimePoint implements ITypeConverter<Instant> {

  @Override
  public Instant convert(String text) {
    Optional<Duration> back = DurationConverter.parse(text);
    try {
      return back.isPresent() ? Instant.now().minus(back.get()) : Instant.parse(text.trim());
    } catch (DateTimeException | ArithmeticException e) {
      throw new TypeConversionException(
          "'"
              + text
              + "' is neither a duration back from now (90s, 15m, 1h, 7d, PT1H30M) nor an instant"
              + " (2026-11-30T10:00:00Z)");
    }
  }
}
