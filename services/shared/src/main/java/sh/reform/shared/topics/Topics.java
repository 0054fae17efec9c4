package sh.reform.shared.topics;

import java.util.List;

import sh.reform.schema.bulletin.IssuedBulletin;
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
import sh.reform.schema.supervision.SupervisionEvent;
import sh.reform.shared.topics.Topic.KeyFormat;
import sh.reform.shared.topics.Topic.Retention;

/**
 * Every topic of the platform, named once. No service spells a topic name or builds a serde by
 * hand; partition counts and replication are deployment settings ({@link TopicCatalog}).
 *
 * <p>The event topics are co-partitioned (same key, same partition count, default
 * partitioner), so all events of one case in one district land in one partition, in order.
 */
public final class Topics {

    public static final Topic<CaseAdoptionReported> CASE_ADOPTION = new Topic<>("reform.case-adoption",
            CaseAdoptionReported.class, KeyFormat.CASE_AND_DISTRICT, Retention.FOREVER,
            "reform.case-adoption.dlq", "sh.reform.case-adoption.reported.v1");

    public static final Topic<MeasureRolloutReported> MEASURE_ROLLOUT = new Topic<>("reform.measure-rollout",
            MeasureRolloutReported.class, KeyFormat.CASE_AND_DISTRICT, Retention.FOREVER,
            "reform.measure-rollout.dlq", "sh.reform.measure-rollout.reported.v1");

    public static final Topic<OutcomeReported> OUTCOME_REPORTING = new Topic<>("reform.outcome-reporting",
            OutcomeReported.class, KeyFormat.CASE_AND_DISTRICT, Retention.FOREVER,
            "reform.outcome-reporting.dlq", "sh.reform.outcome.reported.v1");

    public static final Topic<CatalogCase> CATALOG_CASES = new Topic<>("reform.catalog.cases",
            CatalogCase.class, KeyFormat.CATALOG_ID, Retention.COMPACTED,
            "reform.catalog.cases.dlq", "sh.reform.catalog.case.published.v1");

    public static final Topic<CatalogBatch> CATALOG_BATCHES = new Topic<>("reform.catalog.batches",
            CatalogBatch.class, KeyFormat.CATALOG_ID, Retention.COMPACTED,
            "reform.catalog.batches.dlq", "sh.reform.catalog.batch.published.v1");

    public static final Topic<ReplicationStatus> REPLICATION_STATUS = new Topic<>("reform.replication-status",
            ReplicationStatus.class, KeyFormat.CASE_AND_DISTRICT, Retention.COMPACTED,
            "reform.replication-status.dlq", "sh.reform.replication-status.changed.v1");

    public static final Topic<StatusAlert> STATUS_ALERTS = new Topic<>("reform.status-alerts",
            StatusAlert.class, KeyFormat.CASE_AND_DISTRICT, Retention.TIME_LIMITED,
            "reform.status-alerts.dlq", "sh.reform.status.alert.v1");

    /**
     * The supervision chain (督办): assignments, acknowledgements, urges, responses and reviews, as events
     * beside the reports they supervise — same key, co-partitioned, kept forever, folded by the status service.
     */
    public static final Topic<SupervisionEvent> SUPERVISION = new Topic<>("reform.supervision",
            SupervisionEvent.class, KeyFormat.CASE_AND_DISTRICT, Retention.FOREVER,
            "reform.supervision.dlq", "sh.reform.supervision.step.v1");

    /**
     * Reminders and notices of supervision steps, produced by the status fold exactly once per cause and
     * delivered from here (in-app inbox, webhooks, e-mail). Kept forever: small, and the audit trail of who
     * was told what and when.
     */
    public static final Topic<Notification> NOTIFICATIONS = new Topic<>("reform.notifications",
            Notification.class, KeyFormat.CASE_AND_DISTRICT, Retention.FOREVER,
            "reform.notifications.dlq", "sh.reform.notification.v1");

    /**
     * Who follows which case or district (关注), latest per follower and target; an unfollow is a tombstone.
     * Read whole by the notification service (a global store), so one partition.
     */
    public static final Topic<Follow> FOLLOWS = new Topic<>("reform.follows",
            Follow.class, KeyFormat.PRINCIPAL, Retention.COMPACTED,
            "reform.follows.dlq", "sh.reform.follow.changed.v1");

    /** Which notifications each principal has marked read in the inbox; latest per principal and notification. */
    public static final Topic<NotificationRead> NOTIFICATION_READS = new Topic<>("reform.notification-reads",
            NotificationRead.class, KeyFormat.PRINCIPAL, Retention.COMPACTED,
            "reform.notification-reads.dlq", "sh.reform.notification.read.v1");

    /**
     * Issued bulletins (通报) of the city office, one record per version ({@code batchId|period|vN}), so compaction
     * keeps every version and an issued bulletin stays readable as issued. Written in transactions by the status service.
     */
    public static final Topic<IssuedBulletin> BULLETINS = new Topic<>("reform.bulletins",
            IssuedBulletin.class, KeyFormat.BULLETIN_VERSION, Retention.COMPACTED,
            "reform.bulletins.dlq", "sh.reform.bulletin.issued.v1");

    /** The three topics districts report on (adoption, rollout, outcome). */
    public static final List<Topic<?>> REPORTS = List.of(CASE_ADOPTION, MEASURE_ROLLOUT, OUTCOME_REPORTING);

    /** Every event topic the status folds, the source of truth: the three reports and the supervision chain. */
    public static final List<Topic<?>> EVENTS = List.of(CASE_ADOPTION, MEASURE_ROLLOUT, OUTCOME_REPORTING, SUPERVISION);

    /** All topics. */
    public static final List<Topic<?>> ALL = List.of(CASE_ADOPTION, MEASURE_ROLLOUT, OUTCOME_REPORTING, SUPERVISION,
            CATALOG_CASES, CATALOG_BATCHES, REPLICATION_STATUS, STATUS_ALERTS, NOTIFICATIONS, FOLLOWS, NOTIFICATION_READS, BULLETINS);

    private Topics() {
    }
}
