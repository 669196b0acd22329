package io.runnel.runtime.internals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * A concurrency limit that follows the handler's latency, between a floor and a maximum: the state
 * machine behind {@code ConcurrencyPolicy.ADAPTIVE}, without threads or clocks of its own (the
 * caller passes each invocation's latency and the time it ended).
 *
 * <p>Latencies are gathered in windows (at least {@link #WINDOW} and {@link #WINDOW_SAMPLES}
 * invocations, or twice the window's fastest invocation when that is longer). What a window
 * compares is its fastest invocation: a downstream over its capacity queues every call, the fastest
 * too, while a handler that is fast for some events and slow for others keeps a steady minimum
 * whatever the load. The baseline is the fastest window minimum seen. A window whose minimum is
 * {@code ratio} times the baseline scales the limit by {@code tolerance / ratio}, clamped to
 * [{@link #MAX_DECREASE}, {@link #MAX_INCREASE}]: it shrinks while invocations queue beyond the
 * tolerance, settles where they queue just that much, and grows otherwise, but only while at least
 * half the limit is in use (growing an unused limit would only let a later burst overwhelm the
 * downstream). It shrinks again only once the last decrease has taken effect: not in the window
 * after it (whose invocations were admitted under the higher limit), nor while more invocations run
 * than the new limit allows; else it would fall far past the point where the queue ends.
 *
 * <p>The limit starts at the maximum, so that a function without a struggling downstream never
 * waits for it to grow. The fastest latency seen is no baseline when the downstream was already
 * queueing (or still warming up) as the function started, nor after it became slower for good:
 * after {@link #FIRST_PROBE} and then every {@link #PROBE_INTERVAL}, while at least half the limit
 * is in use and latencies are not all below {@link #LATENCY_FLOOR}, the limit drops to the floor
 * until the invocations admitted before have ended, takes the next window's fastest invocation as
 * the baseline, and returns to where it was. A limit that shrinks to the floor relearns its
 * baseline the same way.
 */
final class AdaptiveConcurrencyLimit {

  /** The shortest window. */
  static final long WINDOW = TimeUnit.MILLISECONDS.toNanos(100);

  /** The fewest invocations a window compares. */
  static final int WINDOW_SAMPLES = 10;

  /**
   * Latencies below this are alike: differences of microseconds are CPU and scheduling noise, not a
   * downstream's queue.
   */
  static final long LATENCY_FLOOR = TimeUnit.MICROSECONDS.toNanos(100);

  /** The most one window grows the limit by: from the floor to a thousand in about 25 windows. */
  static final double MAX_INCREASE = 1.2;

  /**
   * The first probe: soon, as the first invocations' latencies (schema fetches, cold code, new
   * connections) say little.
   */
  static final long FIRST_PROBE = TimeUnit.MILLISECONDS.toNanos(500);

  /** How often a limit in use drops to the floor for a moment, to measure an unqueued latency. */
  static final long PROBE_INTERVAL = TimeUnit.SECONDS.toNanos(10);

  /** The most one window shrinks the limit by. */
  static final double MAX_DECREASE = 0.5;

  private final int min;
  private final int max;
  private final double tolerance;
  private final IntSupplier inFlight;
  private final IntConsumer onChange;

  private final LongAccumulator windowMinimum = new LongAccumulator(Math::min, Long.MAX_VALUE);
  private final LongAdder windowSamples = new LongAdder();
  private final AtomicLong windowEnd;

  // Written only while a window closes, under this object's lock.
  private double limit;
  private long baseline = Long.MAX_VALUE;
  private boolean settling;
  private double limitBeforeProbe;
  private final long firstProbeDelay;
  private long nextProbe;
  private boolean started;

  /**
   * @param firstProbeDelayNanos how long after the first window to probe first: {@link
   *     #FIRST_PROBE}, unless a test looks at something else
   * @param inFlight how many invocations run now
   * @param onChange told each new (whole) limit
   */
  AdaptiveConcurrencyLimit(
      int min,
      int max,
      double tolerance,
      long nowNanos,
      long firstProbeDelayNanos,
      IntSupplier inFlight,
      IntConsumer onChange) {
    this.min = min;
    this.max = max;
    this.tolerance = tolerance;
    this.inFlight = inFlight;
    this.onChange = onChange;
    this.limit = max;
    this.windowEnd = new AtomicLong(nowNanos + WINDOW);
    this.firstProbeDelay = firstProbeDelayNanos;
  }

  /**
   * An invocation took {@code latencyNanos}, ending at {@code nowNanos} ({@link System#nanoTime()}
   * or a test's clock). Cheap: the window closes in the call of one caller only.
   */
  void sample(long latencyNanos, long nowNanos) {
    windowMinimum.accumulate(latencyNanos);
    windowSamples.increment();
    long end = windowEnd.get();
    if (nowNanos - end >= 0
        && windowSamples.sum() >= WINDOW_SAMPLES
        && windowEnd.compareAndSet(end, nowNanos + WINDOW)) {
      long fastest = windowMinimum.getThenReset();
      windowSamples.reset();
      if (2 * fastest > WINDOW) {
        // Slow invocations: a window must outlast those started under the previous limit.
        windowEnd.set(nowNanos + 2 * fastest);
      }
      closeWindow(fastest, nowNanos);
    }
  }

  private synchronized void closeWindow(long fastest, long nowNanos) {
    if (!started) {
      // Counted from the first invocations, not from start-up: joining the group takes a while.
      started = true;
      nextProbe = nowNanos + firstProbeDelay;
    }
    int running = inFlight.getAsInt();
    boolean settled = !settling && running <= limit;
    double next = limit;
    if (limit <= min && settled) {
      // No queue of ours at the floor: what the downstream takes now is its latency unloaded.
      baseline = fastest;
    } else {
      baseline = Math.min(baseline, fastest);
    }
    if (limitBeforeProbe > 0) {
      if (limit <= min && settled) {
        next = limitBeforeProbe;
        limitBeforeProbe = 0;
        nextProbe = nowNanos + PROBE_INTERVAL;
      }
    } else if (nowNanos - nextProbe >= 0
        && limit > min
        && running >= limit / 2
        && Math.max(fastest, baseline) >= LATENCY_FLOOR) {
      limitBeforeProbe = limit;
      next = min;
    } else {
      double ratio = (double) Math.max(fastest, LATENCY_FLOOR) / Math.max(baseline, LATENCY_FLOOR);
      double factor = Math.clamp(tolerance / ratio, MAX_DECREASE, MAX_INCREASE);
      if (factor > 1 && running >= limit / 2) {
        next = Math.max(limit * factor, limit + 1);
      } else if (factor < 1 && settled) {
        next = limit * factor;
      }
    }
    next = Math.clamp(next, min, max);
    settling = next < limit;
    if ((int) next != (int) limit) {
      onChange.accept((int) next);
    }
    limit = next;
  }

  /** The limit now. */
  synchronized int limit() {
    return (int) limit;
  }
}
