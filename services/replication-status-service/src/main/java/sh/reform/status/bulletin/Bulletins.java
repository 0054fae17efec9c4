package sh.reform.status.bulletin;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.stereotype.Service;

import sh.reform.catalog.FieldError;
import sh.reform.schema.bulletin.IssuedBulletin;
import sh.reform.schema.supervision.Audience;
import sh.reform.schema.supervision.Notification;
import sh.reform.schema.supervision.NotificationKind;
import sh.reform.shared.web.ApiProblemException;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.query.StatusAsOf;
import sh.reform.status.scoring.DistrictScore;
import sh.reform.status.scoring.ScoringSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bulletins (通报): previewed from the status as of a period's end (through {@link StatusAsOf}, the as-of entry point
 * of the status API), issued as immutable versions on {@code reform.bulletins} ({@link BulletinLedger}) with a notice
 * to every district and the city office, and read back as issued.
 */
@Service
public class Bulletins {

    /** Who issues scheduled bulletins. */
    public static final String SCHEDULE = "schedule";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final StatusAsOf status;
    private final BulletinLedger ledger;
    private final HealthRules rules;
    private final ScoringSettings scoring;
    private final Clock clock;

    Bulletins(StatusAsOf status, BulletinLedger ledger, HealthRules rules, ScoringSettings scoring, Clock clock) {
        this.status = status;
        this.ledger = ledger;
        this.rules = rules;
        this.scoring = scoring;
        this.clock = clock;
    }

    /** The bulletin as it would be issued now (figures as of the period's end, compared with the previous period). */
    public Bulletin preview(String batchId, Period period) {
        Instant now = clock.instant();
        if (period.first().atStartOfDay(HealthRules.SHANGHAI).toInstant().isAfter(now)) {
            throw ApiProblemException.invalid(List.of(new FieldError("period", "future",
                    "时段尚未开始：" + period.code(), "the period has not begun: " + period.code())));
        }
        StatusAsOf.Snapshot at = status.of(batchId, min(period.asOf(), now));
        StatusAsOf.Snapshot before = status.of(batchId, min(period.previous().asOf(), now));
        return new BulletinCompiler(rules, scoring.toModel()).compile(period, at, before);
    }

    /** The district scores of a batch as of a period's end, with their breakdown. */
    public List<DistrictScore> scores(String batchId, Period period) {
        return preview(batchId, period).scores();
    }

    /**
     * One point of the trend: the city-wide rates and every district's rates and score as of a period's end.
     */
    public record TrendPoint(String period, String labelZh, String labelEn, java.time.OffsetDateTime asOf, Bulletin.Rates city,
                             List<Bulletin.DistrictLine> districts, List<DistrictScore> scores) {
    }

    /** The rates and scores as of the end of each period (up to now for a period not over yet), oldest first. */
    public List<TrendPoint> trend(String batchId, List<Period> periods) {
        Instant now = clock.instant();
        List<TrendPoint> out = new ArrayList<>();
        for (Period p : periods) {
            StatusAsOf.Snapshot s = status.of(batchId, min(p.asOf(), now));
            sh.reform.status.rollup.RollupsView r = sh.reform.status.rollup.Rollups.of(batchId, null, s.cases(), s.districts(), s.cells());
            out.add(new TrendPoint(p.code(), p.labelZh(), p.labelEn(), ShanghaiTimes.of(s.asOf()), BulletinCompiler.rates(r.cityWide()),
                    r.ranking().stream().map(BulletinCompiler::line).toList(),
                    sh.reform.status.scoring.Scoring.score(scoring.toModel(),
                            sh.reform.status.scoring.Scoring.facts(s.cases(), s.districts(), s.cells()))));
        }
        return out;
    }

    /**
     * Issues the next version of the bulletin (city office; a re-issue needs a reason). 400 for a period not over yet.
     */
    public IssuedBulletin issue(String batchId, Period period, String reason, String issuedBy) {
        if (!period.isOverAt(clock.instant())) {
            throw ApiProblemException.invalid(List.of(new FieldError("period", "not-over",
                    "时段尚未结束，不能签发通报（可预览）：" + period.code(),
                    "the period is not over yet: a bulletin can be previewed but not issued: " + period.code())));
        }
        Bulletin b = preview(batchId, period);
        String cleanReason = reason == null || reason.isBlank() ? null : reason.trim();
        return ledger.issue(batchId, period.code(), false, draft(b, period, cleanReason, issuedBy, false)).orElseThrow();
    }

    /** The scheduled issue: the first version only, and only if nobody issued one (on any instance). */
    public Optional<IssuedBulletin> issueScheduled(String batchId, Period period) {
        Bulletin b = preview(batchId, period);
        return ledger.issue(batchId, period.code(), true, draft(b, period, null, SCHEDULE, true));
    }

    public List<IssuedBulletin> issued(Optional<String> batchId) {
        return ledger.all().stream().filter(b -> batchId.map(b.getBatchId()::equals).orElse(true)).toList();
    }

    public List<IssuedBulletin> versions(String batchId, Period period) {
        return ledger.versions(batchId, period.code());
    }

    /** One issued version; 404 when there is none. */
    public IssuedBulletin version(String batchId, Period period, int version) {
        return versions(batchId, period).stream().filter(v -> v.getVersion() == version).findFirst()
                .orElseThrow(() -> ApiProblemException.notFound("没有通报 " + batchId + " " + period.code() + " 第 " + version + " 版",
                        "no bulletin " + batchId + " " + period.code() + " version " + version));
    }

    /** The content of an issued version, as it was issued. */
    public static Bulletin content(IssuedBulletin issued) {
        return JSON.readValue(issued.getContentJson(), Bulletin.class);
    }

    private BulletinLedger.Draft draft(Bulletin b, Period period, String reason, String issuedBy, boolean scheduled) {
        String json = JSON.writeValueAsString(b);
        return new BulletinLedger.Draft() {
            @Override
            public IssuedBulletin version(int version) {
                if (version > 1 && reason == null) {
                    throw ApiProblemException.invalid(List.of(new FieldError("reason", "required",
                            "已签发过第 " + (version - 1) + " 版，重新签发须写明理由（更正了什么）",
                            "version " + (version - 1) + " is issued already: a re-issue needs a reason (what it corrects)")));
                }
                return IssuedBulletin.newBuilder()
                        .setBulletinKey(b.batchId() + "|" + period.code() + "|v" + version)
                        .setBatchId(b.batchId()).setPeriod(period.code()).setPeriodStart(period.first()).setPeriodEnd(period.last())
                        .setVersion(version).setReason(reason).setScheduled(scheduled)
                        .setIssuedAt(clock.instant()).setIssuedBy(issuedBy).setAsOf(b.asOf().toInstant())
                        .setAdoptionRate(b.city().adoptionRate()).setLiveRate(b.city().liveRate())
                        .setVerifiedLiveRate(b.city().verifiedLiveRate())
                        .setContentJson(json).build();
            }

            @Override
            public List<SpecificRecord> notices(IssuedBulletin issued) {
                return Bulletins.notices(issued, b);
            }
        };
    }

    /**
     * One notice per district (audience DISTRICT; the batch id stands where a case id would) and one for the city office.
     * Ids are derived from the version's key, so a delivery that sees one twice drops the repeat.
     */
    static List<SpecificRecord> notices(IssuedBulletin issued, Bulletin b) {
        List<SpecificRecord> out = new ArrayList<>();
        String titleZh = "【通报】" + b.batchId() + " " + b.periodLabelZh() + " 复制推广情况通报" + (issued.getVersion() > 1
                ? "（第 " + issued.getVersion() + " 版）" : "");
        String titleEn = "[Bulletin] " + b.batchId() + " " + b.periodLabelEn() + " replication bulletin" + (issued.getVersion() > 1
                ? " (version " + issued.getVersion() + ")" : "");
        String why = issued.getReason() == null ? "" : "更正理由：" + issued.getReason() + "。";
        String whyEn = issued.getReason() == null ? "" : "Reason for the re-issue: " + issued.getReason() + ". ";
        for (Bulletin.DistrictLine d : b.districts()) {
            out.add(notice(issued, d.districtCode(), Audience.DISTRICT, titleZh, titleEn,
                    "市营商办已签发" + b.periodLabelZh() + "通报。" + d.nameZh() + "排名第 " + d.rank() + " 位，复制率 "
                            + percent(d.rates().adoptionRate()) + "，上线率 " + percent(d.rates().liveRate()) + "，核实上线率 "
                            + percent(d.rates().verifiedLiveRate()) + "，逾期 " + d.rates().overdue() + " 项。" + why,
                    "The city office issued the bulletin for " + b.periodLabelEn() + ". " + d.nameEn() + " ranks " + d.rank()
                            + ": adoption " + percent(d.rates().adoptionRate()) + ", live " + percent(d.rates().liveRate())
                            + ", verified live " + percent(d.rates().verifiedLiveRate()) + ", overdue " + d.rates().overdue() + ". " + whyEn));
        }
        out.add(notice(issued, "310000", Audience.CITY_OFFICE, titleZh, titleEn,
                "全市复制率 " + percent(b.city().adoptionRate()) + "，上线率 " + percent(b.city().liveRate()) + "，核实上线率 "
                        + percent(b.city().verifiedLiveRate()) + "，逾期 " + b.city().overdue() + " 项。" + why,
                "City-wide adoption " + percent(b.city().adoptionRate()) + ", live " + percent(b.city().liveRate())
                        + ", verified live " + percent(b.city().verifiedLiveRate()) + ", overdue " + b.city().overdue() + ". " + whyEn));
        return out;
    }

    private static Notification notice(IssuedBulletin issued, String district, Audience audience, String titleZh, String titleEn,
                                       String bodyZh, String bodyEn) {
        return Notification.newBuilder()
                .setNotificationId(UUID.nameUUIDFromBytes(("bulletin|" + issued.getBulletinKey() + "|" + district + "|" + audience)
                        .getBytes(StandardCharsets.UTF_8)).toString())
                .setKind(NotificationKind.BULLETIN_ISSUED).setCaseId(issued.getBatchId()).setDistrictCode(district)
                .setAudience(audience).setTitleZh(titleZh).setTitleEn(titleEn).setBodyZh(bodyZh).setBodyEn(bodyEn)
                .setCreatedAt(issued.getIssuedAt()).setCauseEventId(issued.getBulletinKey()).build();
    }

    static String percent(Double rate) {
        return rate == null ? "—" : String.format(java.util.Locale.ROOT, "%.1f%%", rate * 100);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
