package io.runnel.connectors.cron;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.time.Duration;

/**
 * One schedule, under {@code runnel.schedules.<name>}: when it ticks (a cron expression in a time
 * zone, or a fixed rate) and the topic its {@code ScheduleTick} events go to.
 */
@EachProperty("runnel.schedules")
public class ScheduleSettings {

  private final String name;
  private String cron;
  private String zone = "UTC";
  private Duration fixedRate;
  private String topic;
  private MissedTickPolicy missed = MissedTickPolicy.FIRE_ONCE;
  private Duration misfireThreshold = Duration.ofSeconds(10);
  private int maxMissed = 10_000;

  public ScheduleSettings(@Parameter String name) {
    this.name = name;
  }

  /** The schedule's name: the key of its ticks and the {@code schedule} field of each. */
  public String getName() {
    return name;
  }

  /**
   * {@code runnel.schedules.<name>.cron}: a cron expression with seconds, as Micronaut's
   * {@code @Scheduled} takes it: {@code second minute hour day-of-month month day-of-week}, e.g.
   * {@code 0 0 6 * * MON-FRI}. Either this or {@code fixed-rate}.
   */
  public String getCron() {
    return cron;
  }

  public void setCron(String cron) {
    this.cron = cron;
  }

  /** {@code runnel.schedules.<name>.zone}: the time zone of the cron expression (default UTC). */
  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  /**
   * {@code runnel.schedules.<name>.fixed-rate}: a tick every this long, at multiples of it since
   * 1970-01-01T00:00Z (so every instance agrees on the ticks), e.g. {@code 30s}. Either this or
   * {@code cron}.
   */
  public Duration getFixedRate() {
    return fixedRate;
  }

  public void setFixedRate(Duration fixedRate) {
    this.fixedRate = fixedRate;
  }

  /**
   * {@code runnel.schedules.<name>.topic}: where the ticks go (default {@code schedule.<name>}).
   */
  public String getTopic() {
    return topic == null ? "schedule." + name : topic;
  }

  public void setTopic(String topic) {
    this.topic = topic;
  }

  /**
   * {@code runnel.schedules.<name>.missed}: FIRE_ONCE (default), FIRE_ALL or SKIP; see {@link
   * MissedTickPolicy}.
   */
  public MissedTickPolicy getMissed() {
    return missed;
  }

  public void setMissed(MissedTickPolicy missed) {
    this.missed = missed;
  }

  /**
   * {@code runnel.schedules.<name>.misfire-threshold}: a tick published later than this after its
   * time counts as missed and follows the {@code missed} policy (default 10s).
   */
  public Duration getMisfireThreshold() {
    return misfireThreshold;
  }

  public void setMisfireThreshold(Duration misfireThreshold) {
    this.misfireThreshold = misfireThreshold;
  }

  /**
   * {@code runnel.schedules.<name>.max-missed}: the most missed ticks FIRE_ALL publishes after a
   * downtime; older ones are dropped and counted in the first tick's {@code missedTicks} (default
   * 10000).
   */
  public int getMaxMissed() {
    return maxMissed;
  }

  public void setMaxMissed(int maxMissed) {
    this.maxMissed = maxMissed;
  }
}
