package sh.reform.gateway.review;

import java.util.List;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/one-network/review")
@Tag(name = "review", description = "待复核队列（无法映射的来报） / Review queue (what maps to nothing)")
@SecurityRequirement(name = "bearer")
class ReviewController {

    private final ReviewQueue queue;

    ReviewController(ReviewQueue queue) {
        this.queue = queue;
    }

    @GetMapping
    @Operation(summary = "复核队列，默认只列待处理事项 / The review queue, open items unless a status is given")
    List<ReviewItem> list(@RequestParam(defaultValue = "OPEN") String status) {
        ReviewItem.Status s = null;
        if (!"ALL".equalsIgnoreCase(status)) {
            try {
                s = ReviewItem.Status.valueOf(status.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiProblemException.invalid(List.of(new sh.reform.catalog.FieldError("status", "unknown-value",
                        "status 应为 OPEN、RESOLVED、DISMISSED 或 ALL", "status must be OPEN, RESOLVED, DISMISSED or ALL")));
            }
        }
        return queue.list(s);
    }

    @GetMapping("/{id}")
    @Operation(summary = "一条复核事项 / One review item")
    ReviewItem one(@PathVariable String id) {
        return queue.get(id);
    }

    @PostMapping("/{id}/resolve")
    @Operation(summary = "处理复核事项：给出映射后发布，或说明理由后驳回 / Resolve an item: map it (and publish) or dismiss it with a reason",
            description = "{\"action\":\"MAP\",\"mapping\":{…映射接口请求体…}} | {\"action\":\"RETRY\"}（按现有映射重试） | {\"action\":\"DISMISS\",\"reason\":\"…\"}"
                    + " / MAP sets the mapping and publishes; RETRY publishes with the current mappings; DISMISS closes without publishing.")
    ReviewQueue.Resolved resolve(@PathVariable String id, @RequestBody JsonNode body, @AuthenticationPrincipal Jwt jwt) {
        return queue.resolve(id, body, ReformPrincipal.of(jwt));
    }
}
