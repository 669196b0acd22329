package io.runnel.connectors.http.internals;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A token bucket (Bucket4j) per principal, with the shared rate or the principal's own; idle
 * principals' buckets are forgotten.
 */
final class PrincipalRateLimiter {

  private final int perSecond;
  private final int burst;
  private final Map<String, Integer> ownRates;
  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

  /**
   * @param perSecond the shared rate; 0 for no limit
   * @param burst how many requests may come at once under the shared rate
   * @param ownRates principals with their own rate (and as large a burst)
   */
  PrincipalRateLimiter(int perSecond, int burst, Map<String, Integer> ownRates) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.ownRates = Map.copyOf(ownRates);
  }

  /** Empty when the request may go on; otherwise the seconds to wait (for Retry-After). */
  OptionalLong tryAcquire(String principal) {
    Integer own = ownRates.get(principal);
    int rate = own != null ? own : perSecond;
    if (rate == 0) {
      return OptionalLong.empty();
    }
    int capacity = own != null ? own : burst;
    Bucket bucket =
        buckets.get(
            principal,
            p ->
                Bucket.builder()
                    .addLimit(
                        limit -> limit.capacity(capacity).refillGreedy(rate, Duration.ofSeconds(1)))
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(
        Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999) / 1_000_000_000));
  }
}
