package sh.reform.gateway.outbound;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.shared.security.ReformPrincipal;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/one-network/subscriptions")
@Tag(name = "subscriptions", description = "复制推广状态变化推送（Webhook，CloudEvents） / Status changes pushed to webhooks (CloudEvents)")
@SecurityRequirement(name = "bearer")
class SubscriptionController {

    private final Subscriptions subscriptions;

    SubscriptionController(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @PostMapping
    @Operation(summary = "登记 Webhook 订阅 / Register a webhook subscription",
            description = "{url, secret（≥16 字符，用于 X-Reform-Signature）, caseIds?, districtCodes?, kinds?: [stage, measure, health, metric, notification（督办通知，仅在列出时发送 / only when named）], description?}；"
                    + "每次变化以结构化 CloudEvent（application/cloudevents+json）POST 到 url，签名头 X-Reform-Signature: sha256=hex(HMAC-SHA256(secret, body))。"
                    + " / Each change is POSTed as a structured CloudEvent, signed with X-Reform-Signature: sha256=hex(HMAC-SHA256(secret, body)).")
    ResponseEntity<Subscription.View> register(@RequestBody JsonNode body, @AuthenticationPrincipal Jwt jwt) {
        Subscription s = subscriptions.register(body, ReformPrincipal.of(jwt));
        return ResponseEntity.status(HttpStatus.CREATED).body(subscriptions.view(s));
    }

    @GetMapping
    @Operation(summary = "全部订阅及投递情况 / All subscriptions with their delivery state")
    List<Subscription.View> all() {
        return subscriptions.all().stream().map(subscriptions::view).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "一个订阅及投递情况 / One subscription with its delivery state")
    Subscription.View one(@PathVariable String id) {
        return subscriptions.view(subscriptions.get(id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "取消订阅 / Remove a subscription")
    ResponseEntity<Void> delete(@PathVariable String id) {
        subscriptions.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/dead-letters")
    @Operation(summary = "死信：多次投递失败而搁置的变化（按搁置顺序） / Dead letters: changes parked after failed deliveries, in parking order")
    List<DeadLetter> deadLetters(@PathVariable String id) {
        return subscriptions.deadLetters(id);
    }

    @PostMapping("/{id}/dead-letters/replay")
    @Operation(summary = "重新投递全部死信（保持每个单元格的顺序） / Replay every dead letter (each cell's order kept)")
    ResponseEntity<Map<String, Object>> replay(@PathVariable String id) {
        int n = subscriptions.replay(id);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("status", "replaying", "subscriptionId", id, "replaying", n));
    }
}
