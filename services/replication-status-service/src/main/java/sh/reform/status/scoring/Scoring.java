package sh.reform.status.scoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import sh.reform.catalog.Jurisdiction;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.status.ClaimReview;
import sh.reform.schema.status.ClaimState;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.SupervisionState;
import sh.reform.schema.status.UrgeState;
import sh.reform.shared.topics.Topic;
import sh.reform.status.rollup.Rollups;

/**
 * The district scores (量化考核) by a {@link ScoringModel}: pure, so the same statuses give the same scores, live or
 * as of any past instant. See {@link ScoringModel} for the formula.
 */
public final class Scoring {

    private static final double MS_PER_DAY = 86_400_000.0;

    private Scoring() {
    }

    /** The facts of every district from a batch's statuses ({@code cells} by cell key; a missing cell is NOT_STARTED). */
    public static List<DistrictFacts> facts(List<CatalogCase> cases, List<Jurisdiction> districts, Map<String, ReplicationStatus> cells) {
        List<DistrictFacts> out = new ArrayList<>();
        for (Jurisdiction d : districts) {
            int eligible = 0, adopted = 0, live = 0, verified = 0, overdue = 0, answers = 0, accepted = 0, returned = 0;
            double answerDays = 0;
            for (CatalogCase c : cases) {
                if (c.getOriginDistrict().equals(d.code())) {
                    continue;
                }
                eligible++;
                ReplicationStatus s = cells.get(Topic.cellKey(c.getCaseId(), d.code()));
                if (s == null) {
                    continue;
                }
                adopted += Rollups.ADOPTED.contains(s.getOverallStage()) ? 1 : 0;
                live += Rollups.LIVE.contains(s.getOverallStage()) ? 1 : 0;
                verified += Rollups.verifiedLive(s) ? 1 : 0;
                overdue += Rollups.overdue(s) ? 1 : 0;
                SupervisionState sup = s.getSupervision();
                if (sup == null) {
                    continue;
                }
                if (sup.getAcknowledged() && sup.getAssignedAt() != null && sup.getAcknowledgedAt() != null) {
                    answers++;
                    answerDays += Math.max(0, sup.getAcknowledgedAt().toEpochMilli() - sup.getAssignedAt().toEpochMilli()) / MS_PER_DAY;
                }
                for (UrgeState u : sup.getUrges()) {
                    if (u.getAnswered() && u.getRespondedAt() != null) {
                        answers++;
                        answerDays += Math.max(0, u.getRespondedAt().toEpochMilli() - u.getUrgedAt().toEpochMilli()) / MS_PER_DAY;
                    }
                }
                for (ClaimState cl : sup.getClaims()) {
                    accepted += cl.getReview() == ClaimReview.ACCEPTED ? 1 : 0;
                    returned += cl.getReview() == ClaimReview.RETURNED ? 1 : 0;
                }
            }
            out.add(new DistrictFacts(d.code(), d.nameZh(), d.nameEn(), eligible, adopted, live, verified, overdue, answers,
                    answerDays, accepted, returned));
        }
        return out;
    }

    /** Scores, best first, ranked (equal scores share a rank; then by district code). */
    public static List<DistrictScore> score(ScoringModel model, List<DistrictFacts> districts) {
        List<DistrictScore> scored = districts.stream().map(d -> score(model, d))
                .sorted(Comparator.comparingDouble(DistrictScore::score).reversed().thenComparing(DistrictScore::districtCode))
                .toList();
        List<DistrictScore> out = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            DistrictScore s = scored.get(i);
            int rank = i > 0 && scored.get(i - 1).score() == s.score() ? out.get(i - 1).rank() : i + 1;
            out.add(s.withRank(rank));
        }
        return out;
    }

    /** One district's score and breakdown. */
    public static DistrictScore score(ScoringModel model, DistrictFacts f) {
        List<Object[]> raw = new ArrayList<>(); // indicator, value (Double or null), basisZh, basisEn
        raw.add(new Object[] {Indicator.ADOPTION_COVERAGE, fraction(f.adopted(), f.eligible()),
                f.adopted() + "/" + f.eligible() + " 个可复制案例已复制", f.adopted() + " of " + f.eligible() + " eligible cases adopted"});
        raw.add(new Object[] {Indicator.LIVE_RATE, fraction(f.live(), f.eligible()),
                f.live() + "/" + f.eligible() + " 个案例已上线（区报）", f.live() + " of " + f.eligible() + " live (as claimed)"});
        raw.add(new Object[] {Indicator.VERIFIED_LIVE_RATE, fraction(f.verifiedLive(), f.eligible()),
                f.verifiedLive() + "/" + f.eligible() + " 个案例核实上线", f.verifiedLive() + " of " + f.eligible() + " verified live"});
        Double timely = f.answers() == 0 ? null
                : Math.max(0, 1 - (f.answerDaysTotal() / f.answers()) / model.timelinessDays());
        raw.add(new Object[] {Indicator.TIMELINESS, timely,
                f.answers() == 0 ? "无签收或催办反馈，不计" : "签收与反馈 " + f.answers() + " 次，平均 "
                        + fmt(f.answerDaysTotal() / f.answers()) + " 天（" + fmt(model.timelinessDays()) + " 天记零分）",
                f.answers() == 0 ? "no acknowledgement or urge answer: not counted" : f.answers() + " answers, mean "
                        + fmt(f.answerDaysTotal() / f.answers()) + " days (" + fmt(model.timelinessDays()) + " days earn nothing)"});
        int reviewed = f.claimsAccepted() + f.claimsReturned();
        raw.add(new Object[] {Indicator.REVIEW_PASS_RATE, fraction(f.claimsAccepted(), reviewed),
                reviewed == 0 ? "无复核，不计" : f.claimsAccepted() + "/" + reviewed + " 项报送复核通过",
                reviewed == 0 ? "nothing reviewed: not counted" : f.claimsAccepted() + " of " + reviewed + " claims accepted"});

        double applicable = 0;
        for (Object[] r : raw) {
            if (r[1] != null) {
                applicable += model.weight((Indicator) r[0]);
            }
        }
        List<DistrictScore.Part> parts = new ArrayList<>();
        StringBuilder zh = new StringBuilder();
        StringBuilder en = new StringBuilder();
        double sum = 0;
        for (Object[] r : raw) {
            Indicator i = (Indicator) r[0];
            Double v = (Double) r[1];
            double w = model.weight(i);
            double points = v == null || applicable == 0 ? 0 : round2(100 * w * v / applicable);
            sum += points;
            parts.add(new DistrictScore.Part(i, i.nameZh, i.nameEn, v == null ? null : round4(v), w, points, (String) r[2], (String) r[3]));
            if (v != null && applicable > 0) {
                zh.append(zh.isEmpty() ? "" : " + ").append(i.nameZh).append(' ').append(fmt(v)).append("×").append(fmt(w))
                        .append("/").append(fmt(applicable)).append("×100=").append(fmt(points));
                en.append(en.isEmpty() ? "" : " + ").append(i.nameEn).append(' ').append(fmt(v)).append("×").append(fmt(w))
                        .append("/").append(fmt(applicable)).append("×100=").append(fmt(points));
            }
        }
        double penalty = round2(f.overdue() * model.overduePenalty());
        double score = round2(Math.max(0, sum - penalty));
        if (zh.isEmpty()) {
            zh.append("无适用指标 0");
            en.append("no indicator applies 0");
        }
        zh.append(" − 逾期 ").append(f.overdue()).append("×").append(fmt(model.overduePenalty())).append(" = ").append(fmt(score));
        en.append(" − overdue ").append(f.overdue()).append("×").append(fmt(model.overduePenalty())).append(" = ").append(fmt(score));
        return new DistrictScore(0, f.districtCode(), f.nameZh(), f.nameEn(), score, List.copyOf(parts), f.overdue(), penalty,
                zh.toString(), en.toString());
    }

    private static Double fraction(int part, int whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
