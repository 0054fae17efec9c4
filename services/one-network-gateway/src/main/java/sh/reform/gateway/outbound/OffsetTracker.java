package sh.reform.gateway.outbound;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which status records are fully handled (delivered or parked for every subscriber), so that the
 * committed offset of each partition never passes a change that is still on its way. After a
 * restart the consumer starts at the committed offsets: what was in flight is delivered again
 * (same CloudEvent ids), nothing is skipped.
 */
final class OffsetTracker {

    private final Map<TopicPartition, TreeMap<Long, Boolean>> open = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();

    synchronized void started(TopicPartition tp, long offset) {
        open.computeIfAbsent(tp, k -> new TreeMap<>()).put(offset, Boolean.TRUE);
        next.merge(tp, offset + 1, Math::max);
    }

    synchronized void done(TopicPartition tp, long offset) {
        TreeMap<Long, Boolean> o = open.get(tp);
        if (o != null) {
            o.remove(offset);
        }
    }

    /** Records below the position that were never started (skipped, unreadable) are handled too. */
    synchronized void passed(TopicPartition tp, long position) {
        next.merge(tp, position, Math::max);
    }

    /** The offsets that may be committed now. */
    synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        next.forEach((tp, n) -> {
            TreeMap<Long, Boolean> o = open.get(tp);
            long upTo = o == null || o.isEmpty() ? n : o.firstKey();
            out.put(tp, new OffsetAndMetadata(upTo));
        });
        return out;
    }

    synchronized int inFlight() {
        return open.values().stream().mapToInt(TreeMap::size).sum();
    }
}
