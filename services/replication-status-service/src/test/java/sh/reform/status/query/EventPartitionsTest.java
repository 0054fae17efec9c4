package sh.reform.status.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import sh.reform.shared.topics.Topic;

/** The computed partition of a cell key is the one the producers' default partitioner chooses. */
class EventPartitionsTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 6, 12, 24, 48})
    void agreesWithTheProducersDefaultPartitionerForEveryCellOfABatch(int partitions) {
        for (int c = 1; c <= 20; c++) {
            for (String d : new String[] {"310101", "310104", "310116", "310151", "110101", "650000"}) {
                String key = Topic.cellKey(String.format("SH-2023-%02d", c), d);
                int expected = BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
                assertThat(EventPartitions.of(key, partitions)).as(key).isEqualTo(expected);
                assertThat(EventPartitions.agrees(key, partitions, expected)).isTrue();
            }
        }
    }
}
