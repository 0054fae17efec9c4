package sh.reform.shared.reporting;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;

import sh.reform.catalog.Catalog;
import sh.reform.schema.common.EventEnvelope;
import sh.reform.shared.security.ReformPrincipal;
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

    /**
     * Refuses the caller for this one event, beyond the district check every kind has
     * ({@link ReformPrincipal#mayReportFor}): throw {@code ApiProblemException.forbidden} with a Chinese and an
     * English reason. Called after the event is read and before anything is published; in a batch the refusal
     * refuses the whole batch (403), in an import it becomes the row's error, as the district check does.
     * By default nobody is refused beyond the district check.
     */
    default void authorize(E event, ReformPrincipal who) {
    }

    /**
     * Whether a report may leave out its occurred-at: the event then occurred when it was recorded. Such an
     * event (occurred-at equal to recorded-at) is hashed for idempotency without either time, so that a retry
     * of the same request is recognised as a repeat instead of refused as other content (409).
     */
    default boolean occurredAtDefaultsToNow() {
        return false;
    }
}
