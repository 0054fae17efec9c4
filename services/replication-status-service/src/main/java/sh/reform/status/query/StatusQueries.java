package sh.reform.status.query;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import sh.reform.catalog.Jurisdiction;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.shared.topics.Topic;
import sh.reform.shared.web.ApiProblemException;
import sh.reform.status.Districts;
import sh.reform.status.fold.CellState;
import sh.reform.status.fold.HealthEvaluation;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.rollup.Rollups;
import sh.reform.status.rollup.RollupsView;
import sh.reform.status.topology.CatalogCases;

/**
 * Answers the status questions, live (from the state stores, wherever they are held) or as of a past
 * instant (from a replay of the log), with the same views and the same rollups either way.
 */
@Service
class StatusQueries {

    private final CellStatusSource live;
    private final LocalStores local;
    private final AsOfReplay replay;
    private final Districts districts;
    private final HealthRules rules;

    StatusQueries(CellStatusSource live, LocalStores local, AsOfReplay replay, Districts districts, HealthRules rules) {
        this.live = live;
        this.local = local;
        this.replay = replay;
        this.districts = districts;
        this.rules = rules;
    }

    MatrixView matrix(String batchId, Optional<Instant> asOf) {
        CatalogCases catalog = local.catalog();
        List<CatalogCase> cases = casesOf(catalog, batchId);
        if (cases.isEmpty()) {
            throw ApiProblemException.notFound("没有批次 " + batchId + " 的案例", "no cases in batch " + batchId);
        }
        Map<String, ReplicationStatus> cells = cells(catalog, ids(cases), asOf);
        List<MatrixView.Row> rows = cases.stream().map(c -> new MatrixView.Row(c.getCaseId(), c.getRank(), c.getTitleZh(),
                c.getOriginDistrict(), districts.all().stream().map(d -> CellSummary.of(c, d, status(cells, c, d))).toList()))
                .toList();
        return new MatrixView(batchId, asOf.map(ShanghaiTime::of).orElse(null),
                districts.all().stream().map(d -> new MatrixView.DistrictRef(d.code(), d.nameZh(), d.nameEn())).toList(), rows);
    }

    CaseStatusView caseStatus(String caseId, Optional<Instant> asOf) {
        CatalogCases catalog = local.catalog();
        CatalogCase c = catalog.catalogCase(caseId).orElseThrow(() -> unknownCase(caseId));
        Map<String, ReplicationStatus> cells = cells(catalog, Set.of(caseId), asOf);
        return new CaseStatusView(c.getCaseId(), c.getBatchId(), c.getRank(), c.getTitleZh(), c.getTitleEn(),
                c.getOriginDistrict(), districts.byCode(c.getOriginDistrict()).map(Jurisdiction::nameZh).orElse(null),
                asOf.map(ShanghaiTime::of).orElse(null),
                districts.all().stream().map(d -> CellSummary.of(c, d, status(cells, c, d))).toList(),
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
                ? Optional.ofNullable(replay.statuses(asOf.get(), catalog, AsOfReplay.Scope.cell(caseId, code))
                        .get(Topic.cellKey(caseId, code)))
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

    /** Statuses by cell key: live, or replayed to {@code asOf}. */
    private Map<String, ReplicationStatus> cells(CatalogCases catalog, Set<String> caseIds, Optional<Instant> asOf) {
        if (asOf.isPresent()) {
            return replay.statuses(asOf.get(), catalog, AsOfReplay.Scope.cases(caseIds));
        }
        Map<String, ReplicationStatus> out = new HashMap<>();
        for (ReplicationStatus s : live.cells(caseIds)) {
            out.put(Topic.cellKey(s.getCaseId(), s.getDistrictCode()), s);
        }
        return out;
    }

    private static ReplicationStatus status(Map<String, ReplicationStatus> cells, CatalogCase c, Jurisdiction d) {
        ReplicationStatus s = cells.get(Topic.cellKey(c.getCaseId(), d.code()));
        return s != null ? s : CellState.empty(c.getCaseId(), d.code()).toStatus();
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
