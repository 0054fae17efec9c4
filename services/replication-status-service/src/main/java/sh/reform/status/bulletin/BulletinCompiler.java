package sh.reform.status.bulletin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import sh.reform.catalog.Jurisdiction;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.catalog.CatalogMetric;
import sh.reform.schema.catalog.ReferenceValue;
import sh.reform.schema.status.ClaimReview;
import sh.reform.schema.status.ClaimState;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.MetricStatus;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.SupervisionState;
import sh.reform.schema.status.UrgeState;
import sh.reform.shared.topics.Topic;
import sh.reform.status.fold.HealthEvaluation;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.query.StatusAsOf;
import sh.reform.status.rollup.CityRollup;
import sh.reform.status.rollup.DistrictRollup;
import sh.reform.status.rollup.Rollups;
import sh.reform.status.rollup.RollupsView;
import sh.reform.status.scoring.DistrictScore;
import sh.reform.status.scoring.Scoring;
import sh.reform.status.scoring.ScoringModel;

/**
 * Computes a bulletin from two snapshots of a batch (the status as of the period's end and as of the previous
 * period's end). Pure: the rates come from {@link Rollups} over the same statuses the as-of API answers with, so a
 * bulletin says what the status API says for that instant, cell for cell.
 */
public final class BulletinCompiler {

    private static final int PODIUM = 3;

    private final HealthRules rules;
    private final ScoringModel scoring;

    public BulletinCompiler(HealthRules rules, ScoringModel scoring) {
        this.rules = rules;
        this.scoring = scoring;
    }

    public Bulletin compile(Period period, StatusAsOf.Snapshot now, StatusAsOf.Snapshot before) {
        RollupsView r = Rollups.of(now.batchId(), null, now.cases(), now.districts(), now.cells());
        RollupsView p = Rollups.of(before.batchId(), null, before.cases(), before.districts(), before.cells());
        List<DistrictScore> scores = Scoring.score(scoring, Scoring.facts(now.cases(), now.districts(), now.cells()));
        List<DistrictScore> previousScores = Scoring.score(scoring, Scoring.facts(before.cases(), before.districts(), before.cells()));
        List<Bulletin.DistrictLine> lines = r.ranking().stream().map(BulletinCompiler::line).toList();
        Period previous = period.previous();
        return new Bulletin(now.batchId(), period.code(), period.kind().name(), period.labelZh(), period.labelEn(),
                period.first(), period.last(), ShanghaiTimes.of(now.asOf()), previous.code(), ShanghaiTimes.of(before.asOf()),
                rates(r.cityWide()), lines, redCells(now), overdue(now), urges(period, now), returned(now),
                leaders(lines), laggards(lines), outcomes(now),
                trend(r, p, scores, previousScores), scores);
    }

    static Bulletin.DistrictLine line(DistrictRollup d) {
        return new Bulletin.DistrictLine(d.rank(), d.districtCode(), d.nameZh(), d.nameEn(), new Bulletin.Rates(d.eligible(),
                d.adopted(), d.live(), d.verifiedLive(), d.red(), d.overdue(), d.adoptionRate(), d.liveRate(), d.verifiedLiveRate()));
    }

    static Bulletin.Rates rates(CityRollup c) {
        return new Bulletin.Rates(c.eligibleCells(), c.adoptedCells(), c.liveCells(), c.verifiedLiveCells(), c.redCells(),
                c.overdueCells(), c.replicationRate(), c.liveRate(), c.verifiedLiveRate());
    }

    /** The districts of the top three ranks that have adopted something (ties included): nobody leads with nothing. */
    static List<Bulletin.DistrictLine> leaders(List<Bulletin.DistrictLine> lines) {
        return lines.stream().filter(l -> l.rank() <= PODIUM && l.rates().adopted() > 0).toList();
    }

    /**
     * The last rank groups, worst first, until they hold at least three districts (a tied group is taken whole);
     * never a leader.
     */
    static List<Bulletin.DistrictLine> laggards(List<Bulletin.DistrictLine> lines) {
        List<Bulletin.DistrictLine> leaders = leaders(lines);
        List<Integer> ranks = lines.stream().map(Bulletin.DistrictLine::rank).distinct().sorted(Comparator.reverseOrder()).toList();
        List<Bulletin.DistrictLine> out = new ArrayList<>();
        for (int rank : ranks) {
            if (out.size() >= PODIUM) {
                break;
            }
            lines.stream().filter(l -> l.rank() == rank && !leaders.contains(l)).forEach(out::add);
        }
        return out;
    }

    private List<Bulletin.RedCell> redCells(StatusAsOf.Snapshot s) {
        List<Bulletin.RedCell> out = new ArrayList<>();
        each(s, (c, d, st) -> {
            if (st.getHealth() == Health.RED) {
                HealthEvaluation why = rules.evaluate(st, st.getEvaluatedAt());
                out.add(new Bulletin.RedCell(c.getCaseId(), c.getTitleZh(), d.code(), d.nameZh(), List.copyOf(st.getHealthRules()),
                        why.reasonZh(), why.reasonEn()));
            }
        });
        return out;
    }

    private static List<Bulletin.OverdueItem> overdue(StatusAsOf.Snapshot s) {
        List<Bulletin.OverdueItem> out = new ArrayList<>();
        each(s, (c, d, st) -> {
            if (Rollups.overdue(st)) {
                SupervisionState sup = st.getSupervision();
                out.add(new Bulletin.OverdueItem(c.getCaseId(), c.getTitleZh(), d.code(), d.nameZh(), sup.getDueDate(),
                        sup.getDaysToDue() == null ? null : -sup.getDaysToDue(), sup.getAcknowledged(), st.getOverallStage().name()));
            }
        });
        return out;
    }

    private static List<Bulletin.UrgeItem> urges(Period period, StatusAsOf.Snapshot s) {
        Instant from = period.first().atStartOfDay(HealthRules.SHANGHAI).toInstant();
        List<Bulletin.UrgeItem> out = new ArrayList<>();
        each(s, (c, d, st) -> {
            if (st.getSupervision() == null) {
                return;
            }
            for (UrgeState u : st.getSupervision().getUrges()) {
                if (!u.getUrgedAt().isBefore(from) || !u.getAnswered()) {
                    out.add(new Bulletin.UrgeItem(c.getCaseId(), c.getTitleZh(), d.code(), d.nameZh(), ShanghaiTimes.of(u.getUrgedAt()),
                            u.getMessage(), u.getReplyBy(), u.getLevel().name(), u.getAnswered(),
                            u.getRespondedAt() == null ? null : ShanghaiTimes.of(u.getRespondedAt())));
                }
            }
        });
        out.sort(Comparator.comparing(Bulletin.UrgeItem::urgedAt).thenComparing(Bulletin.UrgeItem::caseId)
                .thenComparing(Bulletin.UrgeItem::districtCode));
        return out;
    }

    private static List<Bulletin.ReturnedClaim> returned(StatusAsOf.Snapshot s) {
        List<Bulletin.ReturnedClaim> out = new ArrayList<>();
        each(s, (c, d, st) -> {
            if (st.getSupervision() == null) {
                return;
            }
            for (ClaimState cl : st.getSupervision().getClaims()) {
                if (cl.getReview() == ClaimReview.RETURNED) {
                    out.add(new Bulletin.ReturnedClaim(c.getCaseId(), c.getTitleZh(), d.code(), d.nameZh(), cl.getKind().name(),
                            cl.getSubject(), cl.getClaim(), cl.getReviewedAt() == null ? null : ShanghaiTimes.of(cl.getReviewedAt()),
                            cl.getReason()));
                }
            }
        });
        return out;
    }

    private static List<Bulletin.OutcomeFigure> outcomes(StatusAsOf.Snapshot s) {
        List<Bulletin.OutcomeFigure> out = new ArrayList<>();
        each(s, (c, d, st) -> {
            Map<String, CatalogMetric> metrics = new HashMap<>();
            c.getMetrics().forEach(m -> metrics.put(m.getMetricId(), m));
            for (MetricStatus m : st.getMetrics()) {
                CatalogMetric cm = metrics.get(m.getMetricId());
                Double reference = m.getReferenceValue() != null ? m.getReferenceValue()
                        : Optional.ofNullable(cm).flatMap(x -> x.getReference().stream().findFirst()).map(ReferenceValue::getValue).orElse(null);
                Double ratio = reference == null || reference == 0 ? null : Math.round(m.getValue() / reference * 10_000) / 10_000.0;
                out.add(new Bulletin.OutcomeFigure(c.getCaseId(), c.getTitleZh(), d.code(), d.nameZh(), m.getMetricId(),
                        cm == null ? m.getMetricId() : cm.getNameZh(), m.getPeriod(), m.getValue(), m.getUnit(), reference, ratio));
            }
        });
        return out;
    }

    private static Bulletin.Trend trend(RollupsView now, RollupsView before, List<DistrictScore> scores, List<DistrictScore> previousScores) {
        Map<String, DistrictRollup> prev = new HashMap<>();
        before.ranking().forEach(d -> prev.put(d.districtCode(), d));
        Map<String, Double> prevScore = new HashMap<>();
        previousScores.forEach(s -> prevScore.put(s.districtCode(), s.score()));
        Map<String, Double> score = new HashMap<>();
        scores.forEach(s -> score.put(s.districtCode(), s.score()));
        List<Bulletin.DistrictDelta> districts = now.ranking().stream().map(d -> {
            DistrictRollup b = prev.get(d.districtCode());
            return new Bulletin.DistrictDelta(d.districtCode(), d.nameZh(), delta(line(d).rates(), line(b).rates()),
                    b.rank() - d.rank(), minus(score.get(d.districtCode()), prevScore.get(d.districtCode())));
        }).toList();
        return new Bulletin.Trend(delta(rates(now.cityWide()), rates(before.cityWide())), districts);
    }

    static Bulletin.Delta delta(Bulletin.Rates a, Bulletin.Rates b) {
        return new Bulletin.Delta(a.adopted() - b.adopted(), a.live() - b.live(), a.verifiedLive() - b.verifiedLive(),
                a.red() - b.red(), a.overdue() - b.overdue(), minus(a.adoptionRate(), b.adoptionRate()),
                minus(a.liveRate(), b.liveRate()), minus(a.verifiedLiveRate(), b.verifiedLiveRate()));
    }

    private static Double minus(Double a, Double b) {
        return a == null || b == null ? null : Math.round((a - b) * 10_000) / 10_000.0;
    }

    private interface CellVisitor {
        void visit(CatalogCase c, Jurisdiction d, ReplicationStatus s);
    }

    /** Every reported cell of the snapshot, by case rank then district order; origin districts left out. */
    private static void each(StatusAsOf.Snapshot s, CellVisitor v) {
        for (CatalogCase c : s.cases()) {
            for (Jurisdiction d : s.districts()) {
                if (d.code().equals(c.getOriginDistrict())) {
                    continue;
                }
                ReplicationStatus st = s.cells().get(Topic.cellKey(c.getCaseId(), d.code()));
                if (st != null) {
                    v.visit(c, d, st);
                }
            }
        }
    }

}
