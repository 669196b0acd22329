package io.runnel.test;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a service a function calls that serves at most {@code capacity} calls at once,
 * each for {@code serviceTime}, and queues the others in arrival order: once over its capacity its
 * latency grows with the queue, while its throughput stays {@code capacity / serviceTime}. For
 * tests (and benchmarks) of how a function treats a saturated downstream.
 *
 * <pre>{@code
 * CapacityLimitedDownstream downstream = new CapacityLimitedDownstream(50, Duration.ofMillis(5));
 * // in the handler:
 * downstream.call();
 * // in the test:
 * assertThat(downstream.peakCallsPending()).isLessThan(150);
 * }</pre>
 */
public final class CapacityLimitedDownstream {

  private final long serviceMillis;
  private final Slots slots;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger peakPending = new AtomicInteger();
  private int capacity;

  public CapacityLimitedDownstream(int capacity, Duration serviceTime) {
    this.capacity = capacity;
    this.serviceMillis = serviceTime.toMillis();
    this.slots = new Slots(capacity);
  }

  /** One call: waits for a free slot (in arrival order), then for the service time. */
  public void call() throws InterruptedException {
    peakPending.accumulateAndGet(pending.incrementAndGet(), Math::max);
    try {
      slots.acquire();
      try {
        Thread.sleep(serviceMillis);
      } finally {
        slots.release();
      }
    } finally {
      pending.decrementAndGet();
    }
  }

  /** Serves {@code newCapacity} calls at once from now on (calls being served finish first). */
  public synchronized void capacity(int newCapacity) {
    if (newCapacity > capacity) {
      slots.release(newCapacity - capacity);
    } else {
      slots.reducePermits(capacity - newCapacity);
    }
    capacity = newCapacity;
  }

  /** Calls waiting or being served now. */
  public int callsPending() {
    return pending.get();
  }

  /** The most calls waiting or being served at once since the last look; starts a new look. */
  public int peakCallsPending() {
    return peakPending.getAndSet(pending.get());
  }

  /** Slots whose number can shrink; fair, so queued calls are served in arrival order. */
  private static final class Slots extends Semaphore {
    Slots(int permits) {
      super(permits, true);
    }

    @Override
    protected void reducePermits(int reduction) {
      super.reducePermits(reduction);
    }
  }
}
