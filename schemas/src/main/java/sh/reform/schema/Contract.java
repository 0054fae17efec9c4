package sh.reform.schema;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import sh.reform.schema.catalog.CatalogBatch;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.StatusAlert;
import sh.reform.schema.supervision.Follow;
import sh.reform.schema.supervision.Notification;
import sh.reform.schema.supervision.NotificationRead;
import sh.reform.schema.bulletin.IssuedBulletin;
import sh.reform.schema.supervision.SupervisionEvent;

/**
 * The top-level record types of the event contract: the ones that travel as Kafka record values
 * and are registered in the schema registry. Nested types (envelope, coverage, measures …) evolve
 * only as part of these, so only these are checked and released.
 */
public final class Contract {

    /** Every top-level type, in a stable order. */
    public static final List<Class<? extends SpecificRecord>> TYPES = List.of(
            CaseAdoptionReported.class,
            MeasureRolloutReported.class,
            OutcomeReported.class,
            CatalogCase.class,
            CatalogBatch.class,
            ReplicationStatus.class,
            StatusAlert.class,
            SupervisionEvent.class,
            Notification.class,
            Follow.class,
            NotificationRead.class,
            IssuedBulletin.class);

    private Contract() {
    }

    /** The schema a generated class was built from. */
    public static Schema schemaOf(Class<? extends SpecificRecord> type) {
        try {
            return (Schema) type.getField("SCHEMA$").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("not a generated Avro class: " + type, e);
        }
    }
}
