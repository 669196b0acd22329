package io.runnel.connectors.cron.internals;

import java.time.Instant;

/** A tick to publish: when it was due, and how many ticks just before it are not published. */
record Tick(Instant scheduledTime, int missedBefore) {}
