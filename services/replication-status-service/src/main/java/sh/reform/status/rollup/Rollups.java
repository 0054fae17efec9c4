package sh.reform.status.rollup;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

import sh.reform.catalog.Jurisdiction;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.status.DeadlineState;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.MeasureStatus;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.shared.topics.Topic;

/**
 * The city office's summaries over the cells: per case, per district, city-wide, and the ranking of
 * districts (比学赶超). Pure: cases, districts and cell statuses in, figures out, so the live view and an
 * as-of replay summarise alike.
 *
 * <h2>Definitions</h2>
 * <ul>
 * <li><b>Eligible</b>: every district except the case's origin district (it invented the case).</li>
 * <li><b>Adopted</b>: a cell whose stage is ADOPTED, ROLLING_OUT, LIVE, EVALUATED or PAUSED (a paused
 *     district has adopted and not withdrawn). An intention (PLANNED) is not yet an adoption.</li>
 * <li><b>Live</b>: LIVE or EVALUATED (as the district claims). <b>Verified live</b>: live, and the claims the city
 *     office reviews are accepted. <b>Red</b>: health RED. <b>Overdue</b>: assigned, past its due date, not live.</li>
 * <li><b>Coverage</b> of a cell: the mean, over its planned measures that report a coverage, of covered/total;
 *     a case's average coverage is the mean over its adopting districts that report any.</li>
 * <li><b>Progress</b> of a cell: planned measures live / planned measures.</li>
 * <li><b>Replication rate</b>: adopted cells / eligible cells.</li>
 * <li><b>Ranking</b>: by live rate, then adoption rate (both of the district's eligible cases), then fewer
 *     red cells; equal districts share a rank (1, 2, 2, 4).</li>
 * </ul>
 * Cells nobody reported on count as NOT_STARTED. Origin districts' own cells are left out of every figure.
 */
public final class Rollups {

    public static final Set<OverallStage> ADOPTED = EnumSet.of(OverallStage.ADOPTED, OverallStage.ROLLING_OUT,
            OverallStage.LIVE, OverallStage.EVALUATED, OverallStage.PAUSED);
    public static final Set<OverallStage> LIVE = EnumSet.of(OverallStage.LIVE, OverallStage.EVALUATED);

    private Rollups() {
    }

    /** Everything for {@code cases} (a batch or the whole catalog). */
    public static RollupsView of(String batchId, OffsetDateTime asOf, List<CatalogCase> cases, List<Jurisdiction> districts,
                                 Map<String, ReplicationStatus> cells) {
        List<CaseRollup> perCase = cases.stream().map(c -> ofCase(c, districts, cells)).toList();
        List<DistrictRollup> perDistrict = ranked(districts.stream().map(d -> ofDistrict(d, cases, cells)).toList());
        int eligible = perCase.stream().mapToInt(CaseRollup::eligible).sum();
        int adopted = perCase.stream().mapToInt(CaseRollup::adopting).sum();
        int live = perCase.stream().mapToInt(CaseRollup::live).sum();
        int red = perCase.stream().mapToInt(CaseRollup::red).sum();
        int verified = perCase.stream().mapToInt(CaseRollup::verifiedLive).sum();
        int overdue = perCase.stream().mapToInt(CaseRollup::overdue).sum();
        CityRollup city = new CityRollup(cases.size(), eligible, adopted, live, red, rate(adopted, eligible), rate(live, eligible),
                verified, rate(verified, eligible), overdue);
        return new RollupsView(batchId, asOf, city, perCase, perDistrict);
    }

    /** One case across the districts. */
    public static CaseRollup ofCase(CatalogCase c, List<Jurisdiction> districts, Map<String, ReplicationStatus> cells) {
        int eligible = 0;
        int adopting = 0;
        int live = 0;
        int red = 0;
        int verified = 0;
        int overdue = 0;
        List<Double> coverage = new ArrayList<>();
        List<Double> progress = new ArrayList<>();
        for (Jurisdiction d : districts) {
            if (d.code().equals(c.getOriginDistrict())) {
                continue;
            }
            eligible++;
            ReplicationStatus s = cells.get(Topic.cellKey(c.getCaseId(), d.code()));
            if (s == null) {
                continue;
            }
            if (ADOPTED.contains(s.getOverallStage())) {
                adopting++;
                coverage(s).ifPresent(coverage::add);
                progress(s).ifPresent(progress::add);
            }
            if (LIVE.contains(s.getOverallStage())) {
                live++;
            }
            if (s.getHealth() == Health.RED) {
                red++;
            }
            verified += verifiedLive(s) ? 1 : 0;
            overdue += overdue(s) ? 1 : 0;
        }
        return new CaseRollup(c.getCaseId(), c.getBatchId(), c.getRank(), c.getTitleZh(), c.getOriginDistrict(),
                eligible, adopting, live, red, rate(adopting, eligible), mean(coverage), mean(progress),
                verified, rate(verified, eligible), overdue);
    }

    /** One district across the cases (its own cases left out). */
    public static DistrictRollup ofDistrict(Jurisdiction d, List<CatalogCase> cases, Map<String, ReplicationStatus> cells) {
        int eligible = 0;
        int adopted = 0;
        int live = 0;
        int red = 0;
        int verified = 0;
        int overdue = 0;
        for (CatalogCase c : cases) {
            if (d.code().equals(c.getOriginDistrict())) {
                continue;
            }
            eligible++;
            ReplicationStatus s = cells.get(Topic.cellKey(c.getCaseId(), d.code()));
            if (s == null) {
                continue;
            }
            adopted += ADOPTED.contains(s.getOverallStage()) ? 1 : 0;
            live += LIVE.contains(s.getOverallStage()) ? 1 : 0;
            red += s.getHealth() == Health.RED ? 1 : 0;
            verified += verifiedLive(s) ? 1 : 0;
            overdue += overdue(s) ? 1 : 0;
        }
        return new DistrictRollup(0, d.code(), d.nameZh(), d.nameEn(), eligible, adopted, live, red,
                rate(adopted, eligible), rate(live, eligible), verified, rate(verified, eligible), overdue);
    }

    /** Sorted by rank, ranks assigned (competition ranking: equal figures share a rank). */
    static List<DistrictRollup> ranked(List<DistrictRollup> districts) {
        Comparator<DistrictRollup> order = Comparator
                .comparing((DistrictRollup d) -> orZero(d.liveRate())).reversed()
                .thenComparing(Comparator.comparing((DistrictRollup d) -> orZero(d.adoptionRate())).reversed())
                .thenComparingInt(DistrictRollup::red);
        List<DistrictRollup> sorted = districts.stream()
                .sorted(order.thenComparing(DistrictRollup::districtCode)).toList();
        List<DistrictRollup> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            DistrictRollup d = sorted.get(i);
            int rank = i > 0 && order.compare(sorted.get(i - 1), d) == 0 ? out.get(i - 1).rank() : i + 1;
            out.add(d.withRank(rank));
        }
        return out;
    }

    /**
     * Live and verified: the cell is live and the city office has verified what its district claimed (or the
     * configuration asks no review of those claims: then the cell has no supervision state, or one saying so).
     */
    public static boolean verifiedLive(ReplicationStatus s) {
        return LIVE.contains(s.getOverallStage()) && (s.getSupervision() == null || s.getSupervision().getVerifiedLive());
    }

    /** Assigned, past its due date and not done, as of the cell's last evaluation. */
    public static boolean overdue(ReplicationStatus s) {
        return s.getSupervision() != null && s.getSupervision().getDeadline() == DeadlineState.OVERDUE;
    }

    /** Mean of covered/total over planned measures that report a coverage. */
    public static OptionalDouble coverage(ReplicationStatus s) {
        return s.getMeasures().stream()
                .filter(MeasureStatus::getPlanned)
                .filter(m -> m.getCoverage() != null && m.getCoverage().getTotal() > 0)
                .mapToDouble(m -> Math.min(1.0, (double) m.getCoverage().getCovered() / m.getCoverage().getTotal()))
                .average();
    }

    /** Planned measures live / planned measures; empty when nothing is planned. */
    public static OptionalDouble progress(ReplicationStatus s) {
        return s.getMeasuresPlanned() == 0 ? OptionalDouble.empty()
                : OptionalDouble.of((double) s.getMeasuresLive() / s.getMeasuresPlanned());
    }

    static Double rate(int part, int whole) {
        return whole == 0 ? null : round((double) part / whole);
    }

    private static Double mean(List<Double> values) {
        return values.isEmpty() ? null : round(values.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
    }

    static Double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }
}
