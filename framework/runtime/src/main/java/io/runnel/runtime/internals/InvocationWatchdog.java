package io.runnel.runtime.internals;

import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces invocation timeouts: a handler thread still running at its deadline is interrupted. One
 * daemon thread checks every {@link #TICK_MS} ms, so that starting a timed invocation costs one
 * append to a lock-free queue and ending it one flag, not a scheduled task or a map entry (identity
 * hashing and the map's counter showed in profiles); the checker drops ended watches as it passes.
 */
final class InvocationWatchdog implements AutoCloseable {

  static final long TICK_MS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(InvocationWatchdog.class);

  /** One watched invocation; {@link #timedOut()} tells whether the watchdog interrupted it. */
  static final class Watch {
    private final Thread thread;
    private final long deadlineNanos;
    private volatile boolean timedOut;
    private volatile boolean ended;

    private Watch(Thread thread, long deadlineNanos) {
      this.thread = thread;
      this.deadlineNanos = deadlineNanos;
    }

    boolean timedOut() {
      return timedOut;
    }
  }

  private final Queue<Watch> watched = new ConcurrentLinkedQueue<>();
  private final Thread checker;
  private volatile boolean running = true;

  InvocationWatchdog(String name) {
    checker = Thread.ofPlatform().daemon().name(name).start(this::check);
  }

  /** Starts watching the calling thread for {@code timeoutMs}. */
  Watch watch(long timeoutMs) {
    Watch watch = new Watch(Thread.currentThread(), System.nanoTime() + timeoutMs * 1_000_000);
    watched.add(watch);
    return watch;
  }

  /** Stops watching; clears an interrupt the watchdog sent, so it does not leak into later work. */
  void done(Watch watch) {
    synchronized (watch) {
      watch.ended = true;
    }
    if (watch.timedOut) {
      Thread.interrupted();
    }
  }

  private void check() {
    while (running) {
      long now = System.nanoTime();
      for (Iterator<Watch> watches = watched.iterator(); watches.hasNext(); ) {
        Watch watch = watches.next();
        if (watch.ended) {
          watches.remove();
        } else if (now - watch.deadlineNanos > 0) {
          // Under the watch's lock, so an invocation that just ended is never interrupted.
          synchronized (watch) {
            if (!watch.ended && !watch.timedOut) {
              watch.timedOut = true;
              watch.thread.interrupt();
            }
          }
        }
      }
      try {
        Thread.sleep(TICK_MS);
      } catch (InterruptedException e) {
        if (!running) {
          return;
        }
        LOG.debug("Watchdog interrupted while running; continuing");
      }
    }
  }

  @Override
  public void close() {
    running = false;
    checker.interrupt();
  }
}
