package sh.reform.gateway.inbound;

import java.time.Clock;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.gateway.GatewayMeters;
import sh.reform.gateway.signing.RequestSigner;
import sh.reform.gateway.signing.SignedApp;
import sh.reform.shared.catalog.CatalogFollower;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/one-network")
@Tag(name = "inbound", description = "一网通办、一网统管来报（应用密钥 + HMAC 签名） / One-network inbound (app key + HMAC signature)")
@SecurityRequirement(name = "one-network-signature")
class InboundController {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CSV = "text/csv";

    private final InboundProcessor processor;
    private final CatalogFollower catalog;
    private final GatewayMeters meters;
    private final Clock clock = Clock.systemUTC();

    InboundController(InboundProcessor processor, CatalogFollower catalog, GatewayMeters meters) {
        this.processor = processor;
        this.catalog = catalog;
        this.meters = meters;
    }

    @PostMapping(path = "/services/items", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "一网通办事项上线、变更、撤销通知 → 举措推进报送 / 一网通办 service-item notification → measure rollout report",
            description = "{messageId, event: LAUNCHED|CHANGED|WITHDRAWN, itemCode, itemName, districtCode, date | occurredAt, changes?}；"
                    + "上线→LIVE，撤销→SUSPENDED，变更→LIVE（备注写明变更）。未映射的事项进入复核队列。"
                    + " / launched → LIVE, withdrawn → SUSPENDED, changed → LIVE with the change in the note; an unmapped item waits for review.")
    ResponseEntity<InboundResult> serviceItem(@RequestBody byte[] body, @AuthenticationPrincipal SignedApp app) {
        return handle(InboundMessage.SERVICES, app, () -> ServiceItemNotifications.read(json(body), catalog.current()));
    }

    @PostMapping(path = "/services/monthly-reports", consumes = {MediaType.APPLICATION_JSON_VALUE, CSV})
    @Operation(summary = "一网通办运行月报（JSON 或 CSV）→ 成效报送 / 一网通办 monthly operation report (JSON or CSV) → outcome reports",
            description = "每个区的网办率、全程网办率、办件量等指标，按映射报送为案例指标；未映射的指标进入复核队列。消息编号缺省时取请求体摘要。"
                    + " / Each district's figures become outcome reports of the metrics they are mapped to; unmapped figures wait for review."
                    + " Without a message id the body digest is used.")
    ResponseEntity<InboundResult> monthlyReport(@RequestBody byte[] body,
                                                @RequestHeader(name = "Content-Type") String contentType,
                                                @Parameter(description = "消息编号（CSV 用） / message id (for CSV)") @RequestHeader(name = "X-Message-Id", required = false) String messageId,
                                                @Parameter(description = "月份（CSV 无月份列时） / month, when the CSV has no month column") @RequestParam(required = false) String month,
                                                @Parameter(description = "数据截止时间 / when the figures were taken") @RequestParam(required = false) String reportedAt,
                                                @AuthenticationPrincipal SignedApp app) {
        String id = messageId != null && !messageId.isBlank() ? messageId.strip() : RequestSigner.sha256Hex(body);
        boolean csv = contentType.toLowerCase(java.util.Locale.ROOT).startsWith(CSV);
        return handle(InboundMessage.SERVICES, app, () -> csv
                ? MonthlyReports.readCsv(body, month, reportedAt, id, catalog.current(), clock)
                : MonthlyReports.readJson(json(body), id, catalog.current(), clock));
    }

    @PostMapping(path = "/operations/records", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "一网统管运行记录（检查、巡查、事件数）→ 成效报送 / 一网统管 operations records (inspections, patrols, events) → outcome reports",
            description = "{messageId?, period, reportedAt?, districtCode?, records:[{districtCode?, kind: INSPECTION|PATROL|EVENT, indicator, count}]}")
    ResponseEntity<InboundResult> operations(@RequestBody byte[] body, @AuthenticationPrincipal SignedApp app) {
        return handle(InboundMessage.OPERATIONS, app, () -> OperationsRecords.read(json(body), RequestSigner.sha256Hex(body), catalog.current(), clock));
    }

    private ResponseEntity<InboundResult> handle(String system, SignedApp app, java.util.function.Supplier<InboundMessage> read) {
        try {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(processor.process(system, app, read.get()));
        } catch (sh.reform.shared.web.ApiProblemException e) {
            meters.inbound(system, "rejected");
            throw e;
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            throw sh.reform.shared.web.ApiProblemException.invalid(java.util.List.of(new sh.reform.catalog.FieldError("body", "unreadable",
                    "请求体不是有效的 JSON", "the body is not valid JSON")));
        }
    }

}
