package io.runnel.registry.internals;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A cache whose missing value is computed once however many threads ask for it at once: a
 * function's first records all want the same schema. A failure is not kept, but the threads that
 * waited for that computation share it, so an unreachable registry costs them one timeout, not one
 * each in turn.
 */
public final class SingleFlightCache<K, V> {

  private final Map<K, CompletableFuture<V>> values = new ConcurrentHashMap<>();

  /** The value for {@code key}, computed by this thread with {@code compute} if no other is. */
  public V get(K key, Function<? super K, ? extends V> compute) {
    CompletableFuture<V> known = values.get(key);
    if (known == null) {
      CompletableFuture<V> mine = new CompletableFuture<>();
      known = values.putIfAbsent(key, mine);
      if (known == null) {
        known = mine;
        try {
          mine.complete(compute.apply(key));
        } catch (RuntimeException | Error e) {
          values.remove(key, mine);
          mine.completeExceptionally(e);
        }
      }
    }
    try {
      return known.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Stores a value learnt another way; one already there stays. */
  public void putIfAbsent(K key, V value) {
    values.putIfAbsent(key, CompletableFuture.completedFuture(value));
  }
}
