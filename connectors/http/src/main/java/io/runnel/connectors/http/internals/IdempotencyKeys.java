package io.runnel.connectors.http.internals;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Remembers the answer to each {@code Idempotency-Key} (per principal and route) for a window, so
 * that a retried request gets the first one's answer instead of producing a second event. A request
 * with a known key but a different body gets 422; one arriving while the first is still running
 * waits for it. Only successful answers are kept: after a failure the key may be tried again. The
 * keys live in this instance's memory.
 */
final class IdempotencyKeys {

  private record Entry(String fingerprint, CompletableFuture<Answer> answer) {}

  private final Cache<String, Entry> entries;

  IdempotencyKeys(Duration window, long maxKeys) {
    this.entries = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(maxKeys).build();
  }

  /**
   * The answer for {@code key}: the remembered one (marked {@code Idempotent-Replayed: true}), or
   * {@code handler}'s.
   */
  Answer answer(String key, String fingerprint, Supplier<Answer> handler) {
    Entry mine = new Entry(fingerprint, new CompletableFuture<>());
    Entry first = entries.asMap().putIfAbsent(key, mine);
    if (first != null) {
      if (!first.fingerprint().equals(fingerprint)) {
        return Answer.problem(
            422,
            "Idempotency-Key reused",
            "This Idempotency-Key was already used for a request with a different body");
      }
      return first.answer().join().withHeader("Idempotent-Replayed", "true");
    }
    Answer answer;
    try {
      answer = handler.get();
    } catch (RuntimeException e) {
      entries.asMap().remove(key, mine);
      mine.answer().completeExceptionally(e);
      throw e;
    }
    if (answer.isProblem()) {
      entries.asMap().remove(key, mine);
    }
    mine.answer().complete(answer);
    return answer;
  }
}
