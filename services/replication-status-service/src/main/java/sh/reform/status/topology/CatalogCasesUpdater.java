package sh.reform.status.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global catalog store equal to the compacted catalog topic: latest value per case id, as
 * bytes; a tombstone removes the case. Decoding happens on read ({@link CatalogCases}), so this
 * processor and a restore that copies the topic produce the same store.
 */
final class CatalogCasesUpdater implements Processor<String, byte[], Void, Void> {

    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StatusTopology.CATALOG_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return; // not addressable; the catalog topic is keyed by case id
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
