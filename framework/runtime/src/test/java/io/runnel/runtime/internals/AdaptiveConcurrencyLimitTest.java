package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limit's state machine on a clock of its own: each window, as many invocations run as
 * the limit allows, and a model of the downstream says how long the fastest of them takes.
 */
class AdaptiveConcurrencyLimitTest {

  private static final long SERVICE = TimeUnit.MILLISECONDS.toNanos(5);
  private static final int MIN = 10;
  private static final int MAX = 1000;

  /**
   * A downstream serving 50 calls at once for 5 ms each and queueing the rest: with {@code n} calls
   * at once every call waits for those ahead, so even the fastest takes 5 ms × n / 50.
   */
  private static final IntToLongFunction CAPACITY_50 = queueing(50, SERVICE);

  private final List<Integer> changes = new ArrayList<>();
  private long now;
  private long previousFastest;

  /** Invocations running when a window closes; by default as many as the limit allows. */
  private IntSupplier inFlight;

  /** When the limit probes first: tests of its probes bring it forward. */
  private long firstProbe = TimeUnit.DAYS.toNanos(1);

  private AdaptiveConcurrencyLimit limit =
      new AdaptiveConcurrencyLimit(
          MIN, MAX, 1.5, now, firstProbe, () -> inFlight.getAsInt(), changes::add);

  private void probingFirstAt(long nanos) {
    firstProbe = nanos;
    limit =
        new AdaptiveConcurrencyLimit(
            MIN, MAX, 1.5, now, firstProbe, () -> inFlight.getAsInt(), changes::add);
  }

  {
    inFlight = () -> limit.limit();
  }

  private static IntToLongFunction queueing(int capacity, long service) {
    return inFlight -> Math.max(service, service * inFlight / capacity);
  }

  /**
   * One window of invocations at the current limit, the fastest taking what {@code downstream} says
   * for that many at once, the others up to twice as long.
   */
  private void window(IntToLongFunction downstream) {
    long fastest = downstream.applyAsLong(limit.limit());
    // Past the window's end, which the previous window's fastest invocation may have pushed out.
    now += Math.max(AdaptiveConcurrencyLimit.WINDOW, 2 * Math.max(fastest, previousFastest));
    previousFastest = fastest;
    for (int i = 0; i < AdaptiveConcurrencyLimit.WINDOW_SAMPLES; i++) {
      limit.sample(fastest * (AdaptiveConcurrencyLimit.WINDOW_SAMPLES + i) / 10, now);
    }
  }

  /** The first calls of a function meet a downstream with no queue yet. */
  private void startAgainstAnIdleDownstream() {
    window(n -> SERVICE);
  }

  /** Windows until the limit reaches {@code target}, at most {@code most}. */
  private int windowsUntil(int target, int most, IntToLongFunction downstream) {
    int windows = 0;
    while (limit.limit() != target && windows < most) {
      window(downstream);
      windows++;
    }
    return windows;
  }

  @Test
  void startsAtTheMaximum() {
    assertThat(limit.limit()).isEqualTo(MAX);
  }

  @Test
  void settlesNearTheCapacityOfASaturatedDownstreamAndStaysThere() {
    startAgainstAnIdleDownstream();
    for (int i = 0; i < 20; i++) {
      window(CAPACITY_50);
    }
    for (int i = 0; i < 50; i++) {
      window(CAPACITY_50);
      // Where the fastest call queues 1.5 times its service time: 75 calls at once.
      assertThat(limit.limit()).isBetween(50, 80);
    }
  }

  @Test
  void aDownstreamAlreadyQueueingAtTheStartIsFoundOutByTheFirstProbe() {
    probingFirstAt(AdaptiveConcurrencyLimit.FIRST_PROBE);
    long probeWindows = 0;
    while (!changes.contains(MIN) && probeWindows++ < 200) {
      window(CAPACITY_50);
    }
    assertThat(changes).as("the limit dropped to the floor to probe").contains(MIN);
    assertThat(now).isGreaterThanOrEqualTo(AdaptiveConcurrencyLimit.FIRST_PROBE);
    for (int i = 0; i < 30; i++) {
      window(CAPACITY_50);
    }
    assertThat(limit.limit()).isBetween(50, 80);
  }

  @Test
  void aProbeReturnsToTheLimitItLeftAndComesAgainAfterTheInterval() {
    probingFirstAt(AdaptiveConcurrencyLimit.FIRST_PROBE);
    IntToLongFunction unqueued = n -> SERVICE;
    while (now < AdaptiveConcurrencyLimit.FIRST_PROBE) {
      window(unqueued);
    }
    window(unqueued);
    window(unqueued);
    window(unqueued);
    assertThat(changes).containsExactly(MIN, MAX);
    while (now < AdaptiveConcurrencyLimit.FIRST_PROBE + AdaptiveConcurrencyLimit.PROBE_INTERVAL) {
      window(unqueued);
    }
    assertThat(changes).containsExactly(MIN, MAX);
    while (changes.size() < 4 && now < 2 * AdaptiveConcurrencyLimit.PROBE_INTERVAL) {
      window(unqueued);
    }
    assertThat(changes).containsExactly(MIN, MAX, MIN, MAX);
  }

  @Test
  void growsBackToTheMaximumWhenTheDownstreamRecovers() {
    startAgainstAnIdleDownstream();
    for (int i = 0; i < 20; i++) {
      window(CAPACITY_50);
    }
    int windows = windowsUntil(MAX, 100, queueing(10_000, SERVICE));
    assertThat(limit.limit()).isEqualTo(MAX);
    // 100 ms windows: within 5 s of the recovery (the target for a burst).
    assertThat(windows).isLessThanOrEqualTo(50);
  }

  @Test
  void growsFromTheFloorToTheMaximumInAboutTwentyFiveWindows() {
    startAgainstAnIdleDownstream();
    windowsUntil(MIN, 100, n -> 20 * SERVICE);
    assertThat(limit.limit()).isEqualTo(MIN);
    int windows = windowsUntil(MAX, 100, n -> SERVICE);
    assertThat(limit.limit()).isEqualTo(MAX);
    assertThat(windows).isBetween(20, 30);
  }

  @Test
  void doesNotGrowWhileNothingWaitsForIt() {
    startAgainstAnIdleDownstream();
    for (int i = 0; i < 20; i++) {
      window(CAPACITY_50);
    }
    int settled = limit.limit();
    inFlight = () -> settled / 2 - 1;
    for (int i = 0; i < 20; i++) {
      window(n -> SERVICE);
    }
    assertThat(limit.limit()).isEqualTo(settled);
    inFlight = () -> settled;
    window(n -> SERVICE);
    assertThat(limit.limit()).isGreaterThan(settled);
  }

  @Test
  void shrinksAgainOnlyOnceTheLastDecreaseTookEffect() {
    startAgainstAnIdleDownstream();
    inFlight = () -> MAX;
    window(CAPACITY_50);
    assertThat(limit.limit()).isEqualTo(MAX / 2);
    for (int i = 0; i < 10; i++) {
      // The invocations admitted under the old limit are still running: their queue is no news.
      window(n -> CAPACITY_50.applyAsLong(MAX));
    }
    assertThat(limit.limit()).isEqualTo(MAX / 2);
    inFlight = () -> limit.limit();
    window(CAPACITY_50);
    assertThat(limit.limit()).isEqualTo(MAX / 4);
    // The window after a decrease measures invocations admitted before it.
    window(n -> CAPACITY_50.applyAsLong(MAX / 2));
    assertThat(limit.limit()).isEqualTo(MAX / 4);
    window(CAPACITY_50);
    assertThat(limit.limit()).isLessThan(MAX / 4);
  }

  @Test
  void aHandlerFastForSomeEventsAndSlowForOthersKeepsTheMaximum() {
    long cacheHit = TimeUnit.MICROSECONDS.toNanos(200);
    for (int i = 0; i < 50; i++) {
      now += AdaptiveConcurrencyLimit.WINDOW;
      for (int j = 0; j < 100; j++) {
        limit.sample(j % 3 == 0 ? cacheHit : SERVICE * (1 + j % 5), now);
      }
    }
    assertThat(limit.limit()).isEqualTo(MAX);
    assertThat(changes).isEmpty();
  }

  @Test
  void latenciesOfMicrosecondsAreNoSignal() {
    window(n -> TimeUnit.MICROSECONDS.toNanos(2));
    for (int i = 0; i < 50; i++) {
      window(n -> TimeUnit.MICROSECONDS.toNanos(90));
    }
    assertThat(limit.limit()).isEqualTo(MAX);
  }

  @Test
  void aDownstreamSlowerForGoodIsRelearntAtTheFloorAndTheLimitGrowsBack() {
    startAgainstAnIdleDownstream();
    IntToLongFunction tenTimesSlower = n -> 10 * SERVICE;
    windowsUntil(MIN, 100, tenTimesSlower);
    assertThat(limit.limit()).isEqualTo(MIN);
    windowsUntil(MAX, 100, tenTimesSlower);
    assertThat(limit.limit()).isEqualTo(MAX);
  }

  @Test
  void aWindowClosesOnlyWithEnoughInvocations() {
    startAgainstAnIdleDownstream();
    now += TimeUnit.SECONDS.toNanos(1);
    for (int i = 1; i < AdaptiveConcurrencyLimit.WINDOW_SAMPLES; i++) {
      limit.sample(100 * SERVICE, now);
    }
    assertThat(limit.limit()).isEqualTo(MAX);
    limit.sample(100 * SERVICE, now);
    assertThat(limit.limit()).isEqualTo(MAX / 2);
    assertThat(changes).containsExactly(MAX / 2);
  }

  @Test
  void neverLeavesItsBounds() {
    startAgainstAnIdleDownstream();
    for (int i = 0; i < 100; i++) {
      window(n -> 1000 * SERVICE);
      assertThat(limit.limit()).isBetween(MIN, MAX);
    }
    for (int i = 0; i < 100; i++) {
      window(n -> SERVICE / 1000);
      assertThat(limit.limit()).isBetween(MIN, MAX);
    }
  }
}
