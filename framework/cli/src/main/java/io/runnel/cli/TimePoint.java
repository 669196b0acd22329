package io.runnel.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time given on the command line: a duration back from now ({@code 90s}, {@code 15m},
 * {@code 1h}, {@code 7d}, or ISO-8601 such as {@code PT1H30M}) or an instant ({@code
 * 2026-11-30T10:00:00Z}).
 */
final class TimePoint implements ITypeConverter<Instant> {

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([smhd])");

  @Override
  public Instant convert(String text) {
    Instant now = Instant.now();
    Matcher shortDuration = SHORT_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    try {
      if (shortDuration.matches()) {
        long amount = Long.parseLong(shortDuration.group(1));
        return now.minus(
            switch (shortDuration.group(2)) {
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              case "h" -> Duration.ofHours(amount);
              default -> Duration.ofDays(amount);
            });
      }
      if (text.startsWith("P") || text.startsWith("p")) {
        return now.minus(Duration.parse(text));
      }
      return Instant.parse(text);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new TypeConversionException(
          "'"
              + text
              + "' is neither a duration back from now (90s, 15m, 1h, 7d, PT1H30M) nor an instant"
              + " (2026-11-30T10:00:00Z)");
    }
  }
}
