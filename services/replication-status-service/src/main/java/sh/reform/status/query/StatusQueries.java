package sh.reform.status.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import sh.reform.catalog.FieldError;
import sh.reform.catalog.Jurisdiction;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.SupervisionState;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.web.ApiProblemException;
import sh.reform.status.Districts;
import sh.reform.status.fold.CellState;
import sh.reform.status.fold.HealthEvaluation;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.fold.StatusFold;
import sh.reform.status.fold.SupervisionRules;
import sh.reform.status.rollup.Rollups;
import sh.reform.status.rollup.RollupsView;
import sh.reform.status.topology.CatalogCases;

/**
 * Answers the status questions, live (from the state stores, wherever they are held) or as of a past
 * instant, with the same views and the same rollups either way. As of an instant T, each cell is a lookup of
 * its history version at T (versioned store keyed by occurred-at, see {@link CellStatusSource#versionsAsOf})
 * evaluated at T — equal to the fold of every event that occurred up to T as the log tells it now, which
 * {@link AsOfReplay} computes the slow way for the tests.
 */
@Service
class StatusQueries {

    private final CellStatusSource live;
    private final LocalStores local;
    private final Districts districts;
    private final HealthRules rules;
    private final SupervisionRules supervision;

    StatusQueries(CellStatusSource live, LocalStores local, Districts districts, HealthRules rules, SupervisionRules supervision) {
        this.live = live;
        this.local = local;
        this.districts = districts;
        this.rules = rules;
        this.supervision = supervision;
    }

    /** A page of rows (cases by rank) and of columns (districts, optionally those under {@code parent}). */
    record MatrixPage(Optional<String> parent, int page, int size, int districtPage, int districtSize) {

        static final int MAX_SIZE = 500;
        static final int DEFAULT_SIZE = 100;

        /** Checks every parameter; all bad ones are named in one 400. */
        MatrixPage {
            List<FieldError> errors = new ArrayList<>();
            if (page < 0) {
                errors.add(new FieldError("page", "min", "页码不能小于 0", "page must not be negative"));
            }
            if (size < 1 || size > MAX_SIZE) {
                errors.add(new FieldError("size", "range", "每页案例数应在 1 到 " + MAX_SIZE + " 之间",
                        "size must be between 1 and " + MAX_SIZE));
            }
            if (districtPage < 0) {
                errors.add(new FieldError("districtPage", "min", "区页码不能小于 0", "districtPage must not be negative"));
            }
            if (districtSize < 1 || districtSize > MAX_SIZE) {
                errors.add(new FieldError("districtSize", "range", "每页区数应在 1 到 " + MAX_SIZE + " 之间",
                        "districtSize must be between 1 and " + MAX_SIZE));
            }
            if (!errors.isEmpty()) {
                throw ApiProblemException.invalid(errors);
            }
        }

        static MatrixPage all() {
            return new MatrixPage(Optional.empty(), 0, DEFAULT_SIZE, 0, DEFAULT_SIZE);
        }
    }

    MatrixView matrix(String batchId, Optional<Instant> asOf) {
        return matrix(batchId, asOf, MatrixPage.all());
    }

    MatrixView matrix(String batchId, Optional<Instant> asOf, MatrixPage p) {
        List<Jurisdiction> columns = p.parent().map(code -> {
            if (!districts.knows(code)) {
                throw ApiProblemException.invalid(List.of(new FieldError("parent", "unknown",
                        "没有区划代码为 " + code + " 的省、市或区", "no province, city or district with code " + code)));
            }
            return districts.under(code);
        }).orElse(districts.all());
        CatalogCases catalog = local.catalog();
        List<CatalogCase> allCases = casesOf(catalog, batchId);
        if (allCases.isEmpty()) {
            throw ApiProblemException.notFound("没有批次 " + batchId + " 的案例", "no cases in batch " + batchId);
        }
        List<CatalogCase> cases = slice(allCases, p.page(), p.size());
        List<Jurisdiction> shown = slice(columns, p.districtPage(), p.districtSize());
        Map<String, ReplicationStatus> cells;
        if (asOf.isPresent()) {
            cells = asOf(catalog, ids(cases), shown.stream().map(Jurisdiction::code).toList(), asOf.get());
        } else {
            cells = byKey(live.cellsOf(ids(cases), shown.stream().map(Jurisdiction::code).toList()));
        }
        List<MatrixView.Row> rows = cases.stream().map(c -> new MatrixView.Row(c.getCaseId(), c.getRank(), c.getTitleZh(),
                c.getOriginDistrict(), shown.stream().map(d -> CellSummary.of(c, d, cells.get(Topic.cellKey(c.getCaseId(), d.code())))).toList()))
                .toList();
        return new MatrixView(batchId, asOf.map(ShanghaiTime::of).orElse(null),
                shown.stream().map(d -> new MatrixView.DistrictRef(d.code(), d.nameZh(), d.nameEn())).toList(), rows,
                new MatrixView.Paging(p.parent().orElse(null), p.page(), p.size(), allCases.size(), p.districtPage(),
                        p.districtSize(), columns.size()));
    }

    private static <T> List<T> slice(List<T> all, int page, int size) {
        long from = (long) page * size;
        if (from >= all.size()) {
            return List.of();
        }
        return all.subList((int) from, (int) Math.min(all.size(), from + size));
    }

    private static Map<String, ReplicationStatus> byKey(List<ReplicationStatus> statuses) {
        Map<String, ReplicationStatus> out = new HashMap<>();
        for (ReplicationStatus s : statuses) {
            out.put(Topic.cellKey(s.getCaseId(), s.getDistrictCode()), s);
        }
        return out;
    }

    CaseStatusView caseStatus(String caseId, Optional<Instant> asOf) {
        CatalogCases catalog = local.catalog();
        CatalogCase c = catalog.catalogCase(caseId).orElseThrow(() -> unknownCase(caseId));
        Map<String, ReplicationStatus> cells = cells(catalog, Set.of(caseId), asOf);
        return new CaseStatusView(c.getCaseId(), c.getBatchId(), c.getRank(), c.getTitleZh(), c.getTitleEn(),
                c.getOriginDistrict(), districts.byCode(c.getOriginDistrict()).map(Jurisdiction::nameZh).orElse(null),
                asOf.map(ShanghaiTime::of).orElse(null),
                districts.all().stream().map(d -> CellSummary.of(c, d, cells.get(Topic.cellKey(c.getCaseId(), d.code())))).toList(),
                Rollups.ofCase(c, districts.all(), cells));
    }

    DistrictStatusView district(String code, Optional<String> batchId, Optional<Instant> asOf) {
        Jurisdiction d = districts.byCode(code).orElseThrow(() -> unknownDistrict(code));
        CatalogCases catalog = local.catalog();
        List<CatalogCase> cases = batchId.map(b -> casesOf(catalog, b)).orElseGet(catalog::all);
        Map<String, ReplicationStatus> cells = cells(catalog, ids(cases), asOf);
        List<CellSummary> reported = cases.stream()
                .filter(c -> status(cells, c, d).getOverallStage() != OverallStage.NOT_STARTED)
                .map(c -> CellSummary.of(c, d, status(cells, c, d))).toList();
        List<DistrictStatusView.RedCell> red = cases.stream()
                .filter(c -> status(cells, c, d).getHealth() == Health.RED)
                .map(c -> {
                    ReplicationStatus s = status(cells, c, d);
                    HealthEvaluation why = rules.evaluate(s, s.getEvaluatedAt());
                    return new DistrictStatusView.RedCell(c.getCaseId(), c.getTitleZh(), List.copyOf(s.getHealthRules()),
                            why.reasonZh(), why.reasonEn());
                }).toList();
        List<DistrictStatusView.CaseRef> notAdopted = cases.stream()
                .filter(c -> !c.getOriginDistrict().equals(code))
                .filter(c -> !Rollups.ADOPTED.contains(status(cells, c, d).getOverallStage()))
                .map(c -> new DistrictStatusView.CaseRef(c.getCaseId(), c.getTitleZh(), status(cells, c, d).getOverallStage().name()))
                .toList();
        RollupsView all = Rollups.of(batchId.orElse(null), null, cases, districts.all(), cells);
        return new DistrictStatusView(d.code(), d.nameZh(), d.nameEn(), asOf.map(ShanghaiTime::of).orElse(null),
                reported, red, notAdopted,
                all.ranking().stream().filter(r -> r.districtCode().equals(code)).findFirst().orElseThrow());
    }

    CellView cell(String caseId, String code, Optional<Instant> asOf) {
        Jurisdiction d = districts.byCode(code).orElseThrow(() -> unknownDistrict(code));
        CatalogCases catalog = local.catalog();
        CatalogCase c = catalog.catalogCase(caseId).orElseThrow(() -> unknownCase(caseId));
        Optional<ReplicationStatus> s = asOf.isPresent()
                ? Optional.ofNullable(asOf(catalog, Set.of(caseId), List.of(code), asOf.get()).get(Topic.cellKey(caseId, code)))
                : live.cell(caseId, code);
        return CellView.of(c, d, s.orElseGet(() -> CellState.empty(caseId, code).toStatus()), rules, asOf.orElse(null));
    }

    RollupsView rollups(Optional<String> batchId, Optional<Instant> asOf) {
        CatalogCases catalog = local.catalog();
        List<CatalogCase> cases = batchId.map(b -> casesOf(catalog, b)).orElseGet(catalog::all);
        if (batchId.isPresent() && cases.isEmpty()) {
            throw ApiProblemException.notFound("没有批次 " + batchId.get() + " 的案例", "no cases in batch " + batchId.get());
        }
        return Rollups.of(batchId.orElse(null), asOf.map(ShanghaiTime::of).orElse(null), cases, districts.all(),
                cells(catalog, ids(cases), asOf));
    }

    /** The supervision to-do of a batch, of one district or all; see {@link SupervisionView}. */
    SupervisionView supervision(String batchId, Optional<String> district, Optional<Instant> asOf) {
        district.ifPresent(code -> districts.byCode(code).orElseThrow(() -> unknownDistrict(code)));
        CatalogCases catalog = local.catalog();
        List<CatalogCase> cases = casesOf(catalog, batchId);
        if (cases.isEmpty()) {
            throw ApiProblemException.notFound("没有批次 " + batchId + " 的案例", "no cases in batch " + batchId);
        }
        Map<String, ReplicationStatus> cells = cells(catalog, ids(cases), asOf);
        List<SupervisionView.Item> items = new ArrayList<>();
        for (CatalogCase c : cases) {
            for (Jurisdiction d : districts.all()) {
                if (district.isPresent() && !district.get().equals(d.code())) {
                    continue;
                }
                ReplicationStatus s = cells.get(Topic.cellKey(c.getCaseId(), d.code()));
                SupervisionState sup = s == null ? null : s.getSupervision();
                if (sup == null || !(sup.getAssigned() || sup.getClaimsPending() > 0 || sup.getClaimsReturned() > 0)) {
                    continue;
                }
                CellView.SupervisionView v = CellView.SupervisionView.of(sup);
                items.add(new SupervisionView.Item(c.getCaseId(), c.getRank(), c.getTitleZh(), d.code(), d.nameZh(), d.nameEn(),
                        s.getOverallStage().name(), s.getHealth().name(), v.assigned(), v.assignedAt(), v.dueDate(),
                        v.measureDueDates(), v.deadline(), v.daysToDue(), v.acknowledged(), v.leadAgency(), v.contactName(),
                        v.urges(), v.claims().stream().filter(x -> x.review().equals("PENDING") || x.review().equals("RETURNED")).toList(),
                        s.getMeasuresLive(), s.getMeasuresPlanned(), v.measuresVerifiedLive(), v.verifiedLive(), v.closed()));
            }
        }
        items.sort(java.util.Comparator.comparingInt((SupervisionView.Item i) -> urgency(i.deadline()))
                .thenComparingInt(SupervisionView.Item::caseRank).thenComparing(SupervisionView.Item::districtCode));
        SupervisionView.Totals totals = new SupervisionView.Totals(items.size(),
                (int) items.stream().filter(i -> i.deadline().equals("OVERDUE")).count(),
                (int) items.stream().filter(i -> i.deadline().equals("DUE_SOON")).count(),
                items.stream().mapToInt(i -> (int) i.claims().stream().filter(x -> x.review().equals("PENDING")).count()).sum(),
                items.stream().mapToInt(i -> (int) i.claims().stream().filter(x -> x.review().equals("RETURNED")).count()).sum(),
                items.stream().mapToInt(i -> (int) i.urges().stream().filter(u -> !u.answered()).count()).sum(),
                (int) items.stream().filter(i -> i.assigned() && !i.acknowledged()).count(),
                (int) items.stream().filter(SupervisionView.Item::verifiedLive).count(),
                (int) items.stream().filter(SupervisionView.Item::closed).count());
        return new SupervisionView(batchId, district.orElse(null), asOf.map(ShanghaiTime::of).orElse(null), totals, items);
    }

    /**
     * A batch's cases and their statuses as of {@code asOf}, through the same as-of path as every as-of answer of
     * this API ({@link StatusAsOf}: bulletins and scores).
     */
    StatusAsOf.Snapshot snapshot(String batchId, Instant asOf) {
        CatalogCases catalog = local.catalog();
        List<CatalogCase> cases = casesOf(catalog, batchId);
        if (cases.isEmpty()) {
            throw ApiProblemException.notFound("没有批次 " + batchId + " 的案例", "no cases in batch " + batchId);
        }
        return new StatusAsOf.Snapshot(batchId, asOf, cases, districts.all(), cells(catalog, ids(cases), Optional.of(asOf)));
    }

    private static int urgency(String deadline) {
        return switch (deadline) {
            case "OVERDUE" -> 0;
            case "DUE_SOON" -> 1;
            case "ON_TRACK" -> 2;
            default -> 3;
        };
    }

    /** Statuses by cell key: live, or as of {@code asOf} (every district's cell of these cases). */
    private Map<String, ReplicationStatus> cells(CatalogCases catalog, Set<String> caseIds, Optional<Instant> asOf) {
        if (asOf.isPresent()) {
            return asOf(catalog, caseIds, districts.all().stream().map(Jurisdiction::code).toList(), asOf.get());
        }
        Map<String, ReplicationStatus> out = new HashMap<>();
        for (ReplicationStatus s : live.cells(caseIds)) {
            out.put(Topic.cellKey(s.getCaseId(), s.getDistrictCode()), s);
        }
        return out;
    }

    /**
     * The statuses of the cells {@code caseIds × districtCodes} as they stood at {@code at}, by cell key: each cell's
     * history version at {@code at}, with health and the supervision clock evaluated at {@code at}. Cells nobody had
     * reported on by then are absent.
     */
    private Map<String, ReplicationStatus> asOf(CatalogCases catalog, Set<String> caseIds, List<String> districtCodes, Instant at) {
        StatusFold fold = new StatusFold(catalog, rules, supervision);
        Map<String, ReplicationStatus> out = new HashMap<>();
        for (ReplicationStatus version : live.versionsAsOf(caseIds, districtCodes, at)) {
            out.put(Topic.cellKey(version.getCaseId(), version.getDistrictCode()), fold.evaluateVersion(version, at));
        }
        return out;
    }

    private static ReplicationStatus status(Map<String, ReplicationStatus> cells, CatalogCase c, Jurisdiction d) {
        ReplicationStatus s = cells.get(Topic.cellKey(c.getCaseId(), d.code()));
        return s != null ? s : CellState.notStartedStatus(c.getCaseId(), d.code());
    }

    private static List<CatalogCase> casesOf(CatalogCases catalog, String batchId) {
        return catalog.all().stream().filter(c -> c.getBatchId().equals(batchId)).toList();
    }

    private static Set<String> ids(List<CatalogCase> cases) {
        return cases.stream().map(CatalogCase::getCaseId).collect(Collectors.toSet());
    }

    private static ApiProblemException unknownCase(String caseId) {
        return ApiProblemException.notFound("目录中没有案例 " + caseId, "the catalog has no case " + caseId);
    }

    private static ApiProblemException unknownDistrict(String code) {
        return ApiProblemException.notFound("没有区划代码为 " + code + " 的区", "no district with code " + code);
    }
}
