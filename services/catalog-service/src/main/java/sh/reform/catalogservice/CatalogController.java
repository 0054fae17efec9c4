package sh.reform.catalogservice;

import java.util.Comparator;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.catalog.Catalog;
import sh.reform.catalog.Domain;
import sh.reform.catalog.Jurisdiction;
import sh.reform.schema.catalog.CatalogBatch;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.shared.catalog.CaseView;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.security.ReformPrincipal;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/catalog")
@Tag(name = "catalog", description = "案例目录 / Case catalog")
class CatalogController {

    private final CatalogFollower follower;
    private final CatalogEditor editor;

    CatalogController(CatalogFollower follower, CatalogEditor editor) {
        this.follower = follower;
        this.editor = editor;
    }

    @GetMapping("/cases")
    @Operation(summary = "案例列表，可按批次、领域、首创区、状态筛选 / List cases, filtered by batch, domain, origin district, state")
    List<CaseView> cases(@RequestParam(required = false) String batch, @RequestParam(required = false) String domain,
                         @RequestParam(required = false) String origin, @RequestParam(required = false) String state) {
        Catalog c = follower.current();
        return c.cases().stream()
                .filter(x -> batch == null || x.getBatchId().equals(batch))
                .filter(x -> domain == null || x.getDomain().equals(domain))
                .filter(x -> origin == null || x.getOriginDistrict().equals(origin))
                .filter(x -> state == null || x.getState().name().equalsIgnoreCase(state))
                .sorted(Comparator.comparing(CatalogCase::getBatchId).thenComparingInt(CatalogCase::getRank))
                .map(x -> CaseView.of(x, c)).toList();
    }

    @GetMapping("/cases/{caseId}")
    @Operation(summary = "一个案例及其举措与指标 / One case with its measures and metrics")
    CaseView caseById(@PathVariable String caseId) {
        Catalog c = follower.current();
        return CaseView.of(c.caseById(caseId).orElseThrow(() -> CatalogEditor.notFound(caseId)), c);
    }

    @GetMapping("/batches")
    @Operation(summary = "批次列表 / Batches")
    List<BatchView> batches() {
        return follower.current().batches().stream().map(BatchView::of)
                .sorted(Comparator.comparing(BatchView::batchId)).toList();
    }

    @GetMapping("/districts")
    @Operation(summary = "行政区划（GB/T 2260） / Jurisdictions (GB/T 2260)")
    List<Jurisdiction> districts() {
        return List.copyOf(follower.current().jurisdictions());
    }

    @GetMapping("/domains")
    @Operation(summary = "案例领域 / Case domains")
    List<Domain> domains() {
        return List.copyOf(follower.current().domains());
    }

    @PostMapping("/batches")
    @ResponseStatus(HttpStatus.CREATED)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "发布新批次（市级） / Publish a new batch (city office)")
    CatalogEditor.PublishedBatch publishBatch(@RequestBody JsonNode body, @AuthenticationPrincipal Jwt jwt) {
        return editor.publishBatch(body, ReformPrincipal.of(jwt));
    }

    @PutMapping("/cases/{caseId}")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "修订案例（市级），版本号加一 / Amend a case (city office); version + 1")
    CatalogEditor.PublishedCase amend(@PathVariable String caseId, @RequestBody JsonNode body, @AuthenticationPrincipal Jwt jwt) {
        return editor.amend(caseId, body, ReformPrincipal.of(jwt));
    }

    @PostMapping("/cases/{caseId}/retire")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "撤下案例（市级），不再接受新的复制 / Retire a case (city office)")
    CatalogEditor.PublishedCase retire(@PathVariable String caseId, @AuthenticationPrincipal Jwt jwt) {
        return editor.retire(caseId, ReformPrincipal.of(jwt));
    }

    record BatchView(String batchId, Integer year, String titleZh, String titleEn, Integer caseCount, boolean casesListed,
                     String note, int version, String changedBy) {
        static BatchView of(CatalogBatch b) {
            return new BatchView(b.getBatchId(), b.getYear(), b.getTitleZh(), b.getTitleEn(), b.getCaseCount(),
                    b.getCasesListed(), b.getNote(), b.getVersion(), b.getChangedBy());
        }
    }
}
