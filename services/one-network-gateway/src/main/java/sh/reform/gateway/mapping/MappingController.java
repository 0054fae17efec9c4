package sh.reform.gateway.mapping;

import java.util.List;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/one-network/mappings")
@Tag(name = "mappings", description = "一网通办/一网统管映射（市营商办维护） / One-network mappings (kept by the city office)")
class MappingController {

    private final MappingStore mappings;

    MappingController(MappingStore mappings) {
        this.mappings = mappings;
    }

    @GetMapping
    @Operation(summary = "全部映射，可按类型筛选 / All mappings, optionally of one kind")
    List<Mapping> all(@Parameter(description = "service-items | service-figures | operations-indicators") @RequestParam(required = false) String kind) {
        MappingKind k = kind == null ? null : kindOf(kind);
        return mappings.all().stream().filter(m -> k == null || m.kind() == k).toList();
    }

    @GetMapping("/{kind}/{key}")
    @Operation(summary = "一条映射（含版本、修改人、修改时间） / One mapping, with version, who and when")
    Mapping one(@PathVariable String kind, @PathVariable String key) {
        MappingKind k = kindOf(kind);
        return mappings.find(k, key).orElseThrow(() -> ApiProblemException.notFound("没有“" + key + "”的映射", "no mapping for '" + key + "'"));
    }

    @PutMapping("/{kind}/{key}")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "设定映射（每次修改版本加一） / Set a mapping (each change adds one to the version)",
            description = "service-items/{事项编码}: {caseId, measureId}；service-figures/{网办率…} 与 operations-indicators/{指标}: "
                    + "{targets:[{districtCode (默认 * 全部区), caseId, metricId, metricName?, unit?}]}；可带 note、expectedVersion（不符则 409）。"
                    + " / service-items take {caseId, measureId}; figures and indicators take {targets:[…]}; optional note and expectedVersion (409 when it differs).")
    Mapping put(@PathVariable String kind, @PathVariable String key, @RequestBody JsonNode body, @AuthenticationPrincipal Jwt jwt) {
        return mappings.put(kindOf(kind), key, body, ReformPrincipal.of(jwt));
    }

    static MappingKind kindOf(String path) {
        return MappingKind.ofPath(path).orElseThrow(() -> ApiProblemException.notFound(
                "没有“" + path + "”这类映射（应为 service-items、service-figures 或 operations-indicators）",
                "no mapping kind '" + path + "' (service-items, service-figures or operations-indicators)"));
    }
}
