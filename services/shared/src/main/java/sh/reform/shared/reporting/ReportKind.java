package sh.reform.shared.reporting;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;

import sh.reform.catalog.Catalog;
import sh.reform.schema.common.EventEnvelope;
import sh.reform.shared.topics.Topic;

/**
 * What one reporting service adds to the shared reporting path: its topic, how its own fields
 * are read and checked against the catalog, and the column names its import files may use.
 */
public interface ReportKind<E extends SpecificRecord> {

    /** The service's name, in CloudEvents sources and transactional ids. */
    String serviceName();

    Topic<E> topic();

    /**
     * Reads the kind's own fields and builds the event around the (already checked) envelope.
     * Problems go to {@code fields.errors()}; return null when the event cannot be built.
     */
    E read(ReportFields fields, EventEnvelope envelope, Catalog catalog);

    /** Column headers an import file may use for each field, e.g. {@code 举措编号 → measureId}. */
    Map<String, String> columnAliases();
}
