package io.runnel.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people write them ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code
 * 7d}) or in ISO-8601 ({@code PT1H30M}): the command's one duration parser.
 */
final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  @Override
  public Duration convert(String value) {
    return parse(value)
        .orElseThrow(
            () ->
                new TypeConversionException(
                    "'"
                        + value
                        + "' is not a duration: write a number and a unit, e.g. 500ms, 10s, 2m,"
                        + " 1h"));
  }

  /** The duration {@code text} writes, or empty when it writes none. */
  static Optional<Duration> parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    Matcher matcher = DURATION.matcher(value);
    try {
      if (value.startsWith("p")) {
        return Optional.of(Duration.parse(value));
      }
      if (!matcher.matches()) {
        return Optional.empty();
      }
      long amount = Long.parseLong(matcher.group(1));
      return Optional.of(
          switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          });
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty(); // e.g. P1Y (no fixed length) or a number too large
    }
  }

  /** {@code 10s}, {@code 1.5s}, {@code 250ms}: how the command prints a duration. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      return millis % 1000 == 0
          ? millis / 1000 + "s"
          : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    if (millis < 3_600_000) {
      return String.format(Locale.ROOT, "%dm%02ds", millis / 60_000, millis / 1000 % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", millis / 3_600_000, millis / 60_000 % 60);
  }
}
