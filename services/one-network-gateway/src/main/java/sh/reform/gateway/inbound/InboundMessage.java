package sh.reform.gateway.inbound;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import sh.reform.catalog.Catalog;
import sh.reform.gateway.mapping.PendingReport;
import sh.reform.shared.reporting.ReportFields;

/** One one-network message read into the reports it asks for, before mapping. */
record InboundMessage(String messageId, List<PendingReport> pending) {

    static final String SERVICES = "ONE_NETWORK_SERVICES";
    static final String OPERATIONS = "ONE_NETWORK_OPERATIONS";

    /** A district code the platform knows, or an error on the field. */
    static String district(ReportFields f, String field, Catalog catalog) {
        String d = f.text(field, true, 12);
        if (d != null && !catalog.isReportingDistrict(d)) {
            f.error(field, "unknown-district", "未知的区代码“" + d + "”（应为 GB/T 2260 区县代码，如 310113 宝山区）",
                    "unknown district code '" + d + "' (expected a GB/T 2260 county-level code, e.g. 310113)");
            return null;
        }
        return d;
    }

    /**
     * When a figure for a period "happened": the message's {@code reportedAt} when given, else the
     * last second of the period once it is over. Both are fixed by the message, so a redelivery
     * makes the same event; a period not yet over needs {@code reportedAt}.
     */
    static String occurredAt(ReportFields f, String period, Clock clock) {
        Instant reported = f.instant("reportedAt", false);
        if (reported != null) {
            return reported.atZone(Periods.SHANGHAI).toOffsetDateTime().toString();
        }
        Instant end = Periods.end(period).orElse(null);
        if (end == null) {
            return null;
        }
        if (end.isAfter(clock.instant())) {
            f.error("reportedAt", "required", "统计期 " + period + " 尚未结束，须填写 reportedAt（数据截止时间）",
                    "the period " + period + " is not over yet; reportedAt (when the figures were taken) is required");
            return null;
        }
        return end.minusSeconds(1).atZone(Periods.SHANGHAI).toOffsetDateTime().toString();
    }
}
