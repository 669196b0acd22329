package io.runnel.benchmarks;

import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.CommitMode;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Confluent Parallel Consumer, KEY ordering, 1,000 concurrent: {@code pollAndProduce} waits for
 * each output's acknowledgement before the input counts as done. It commits at Runnel's interval
 * (500 ms) rather than its 5 s default, so both are timed to their last commit alike.
 */
final class ParallelConsumerContender implements Contender {

  @Override
  public String name() {
    return "Parallel Consumer (KEY, maxConcurrency 1000)";
  }

  @Override
  public AutoCloseable start(
      Workload workload,
      BenchmarkCluster cluster,
      String group,
      String outputTopic,
      OrderChecker order) {
    KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(group);
    KafkaProducer<byte[], byte[]> producer = cluster.producer();
    Step step = Step.of(workload, cluster, producer, outputTopic, order);
    ParallelStreamProcessor<byte[], byte[]> processor =
        ParallelStreamProcessor.createEosStreamProcessor(
            ParallelConsumerOptions.<byte[], byte[]>builder()
                .ordering(ProcessingOrder.KEY)
                .maxConcurrency(1000)
                .commitMode(CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
                .commitInterval(Duration.ofMillis(500))
                .consumer(consumer)
                .producer(producer)
                .build());
    processor.subscribe(List.of(workload.topic()));
    processor.pollAndProduce(
        context -> {
          var record = context.getSingleConsumerRecord();
          return new ProducerRecord<>(outputTopic, record.key(), step.output(record));
        });
    return () -> {
      processor.close();
      producer.close();
    };
  }
}
