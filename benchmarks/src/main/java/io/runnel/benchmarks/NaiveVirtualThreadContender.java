package io.runnel.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Per poll: one virtual thread per key handles that key's records in order; wait for all, commit.
 */
final class NaiveVirtualThreadContender extends PollLoopContender {

  @Override
  public String name() {
    return "naive virtual-thread loop";
  }

  @Override
  void handlePoll(ConsumerRecords<byte[], byte[]> records, Step step) throws InterruptedException {
    Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new LinkedHashMap<>();
    records.forEach(r -> byKey.computeIfAbsent(new String(r.key()), k -> new ArrayList<>()).add(r));
    List<Thread> threads = new ArrayList<>(byKey.size());
    for (List<ConsumerRecord<byte[], byte[]>> keyRecords : byKey.values()) {
      threads.add(Thread.ofVirtual().start(() -> keyRecords.forEach(step::handle)));
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
