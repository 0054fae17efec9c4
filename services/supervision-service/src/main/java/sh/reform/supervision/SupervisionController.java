package sh.reform.supervision;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.schema.supervision.SupervisionEvent;
import sh.reform.shared.reporting.ReportingEngine;
import sh.reform.shared.reporting.ReportingResponses;
import sh.reform.shared.reporting.ReportingResponses.Accepted;
import sh.reform.shared.reporting.ReportingResponses.AcceptedBatch;
import sh.reform.shared.security.ReformPrincipal;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One endpoint per step of the chain. Each marks the request with its step and hands it to the
 * shared reporting path: answered 202 only after the broker acknowledged, a repeat answered the same,
 * nothing published on any refusal. A caller whose role does not take the step is refused before its
 * fields are looked at.
 */
@RestController
@RequestMapping("/api/v1/supervision")
@Tag(name = "supervision", description = "督办：交办、签收、催办、反馈、复核 / Supervision: assign, acknowledge, urge, respond, review")
@SecurityRequirement(name = "bearer")
class SupervisionController {

    private static final String IDEMPOTENCY = "幂等键 / idempotency key";

    private final ReportingEngine<SupervisionEvent> engine;

    SupervisionController(ReportingEngine<SupervisionEvent> engine) {
        this.engine = engine;
    }

    @PostMapping(path = "/assignments", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "交办一个区（市营商办） / Assign a case (or a measure) to a district (city office)",
            description = "{caseId, districtCode, measureId?, dueDate, note?, occurredAt?, eventId?}")
    public ResponseEntity<Accepted> assign(@RequestBody JsonNode body,
                                           @Parameter(description = IDEMPOTENCY) @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                           @AuthenticationPrincipal Jwt jwt) {
        return one(SupervisionAction.ASSIGN, body, key, jwt);
    }

    @PostMapping(path = "/assignments/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "批量交办（市营商办；全部成功或全部不发布） / Assign many cells at once (city office; all or nothing)",
            description = "{dueDate, note?, occurredAt?, eventId?, cells: [{caseId, districtCode, measureId?, dueDate?, note?, eventId?}]}："
                    + "dueDate 为批次默认期限，可逐格覆盖；带 eventId 或 Idempotency-Key 时每格的事件编号由其派生，重发同一批次不会重复发布。"
                    + " / dueDate is the batch default, overridable per cell; with an eventId or Idempotency-Key each cell's event id is derived"
                    + " from it, so sending the same batch again publishes nothing new.")
    public ResponseEntity<AcceptedBatch> assignBatch(@RequestBody JsonNode body,
                                                     @Parameter(description = IDEMPOTENCY) @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                                     @AuthenticationPrincipal Jwt jwt) {
        ReformPrincipal who = ReformPrincipal.of(jwt);
        SupervisionAction.ASSIGN.requireAllowed(who);
        AssignmentBatch batch = AssignmentBatch.read(body, key, who);
        return ReportingResponses.acceptedBatch(batch.publish(engine, who));
    }

    @PostMapping(path = "/acknowledgements", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "签收交办（区级用户，本区） / Acknowledge an assignment (the district itself)",
            description = "{caseId, districtCode, leadAgency, contactName, contactPhone?, note?, occurredAt?, eventId?}")
    public ResponseEntity<Accepted> acknowledge(@RequestBody JsonNode body,
                                                @Parameter(description = IDEMPOTENCY) @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                                @AuthenticationPrincipal Jwt jwt) {
        return one(SupervisionAction.ACKNOWLEDGE, body, key, jwt);
    }

    @PostMapping(path = "/urges", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "催办（市营商办） / Urge a district (city office)",
            description = "{caseId, districtCode, message, replyBy, level? (DISTRICT_CLERK), measureId?, note?, occurredAt?, eventId?}")
    public ResponseEntity<Accepted> urge(@RequestBody JsonNode body,
                                         @Parameter(description = IDEMPOTENCY) @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                         @AuthenticationPrincipal Jwt jwt) {
        return one(SupervisionAction.URGE, body, key, jwt);
    }

    @PostMapping(path = "/responses", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "反馈催办（区级用户，本区） / Respond to an urge (the district itself)",
            description = "{caseId, districtCode, urgeEventId, done, blockers?, proposedDate?, note?, occurredAt?, eventId?}")
    public ResponseEntity<Accepted> respond(@RequestBody JsonNode body,
                                            @Parameter(description = IDEMPOTENCY) @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                            @AuthenticationPrincipal Jwt jwt) {
        return one(SupervisionAction.RESPOND, body, key, jwt);
    }

    @PostMapping(path = "/reviews", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "复核一项报送（市营商办） / Review a district's claim (city office)",
            description = "{caseId, districtCode, claimEventId, claimKind (ADOPTION|MEASURE_STAGE|OUTCOME), verdict (ACCEPTED|RETURNED),"
                    + " reason (退回时必填 / required when RETURNED), note?, occurredAt?, eventId?}")
    public ResponseEntity<Accepted> review(@RequestBody JsonNode body,
                                           @Parameter(description = IDEMPOTENCY) @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                           @AuthenticationPrincipal Jwt jwt) {
        return one(SupervisionAction.REVIEW, body, key, jwt);
    }

    private ResponseEntity<Accepted> one(SupervisionAction action, JsonNode body, String key, Jwt jwt) {
        ReformPrincipal who = ReformPrincipal.of(jwt);
        action.requireAllowed(who);
        return ReportingResponses.accepted(engine.reportOne(marked(body, action), key, who));
    }

    /** The body with its step set (whatever the caller put there); anything but an object is left for the 400. */
    static JsonNode marked(JsonNode body, SupervisionAction action) {
        if (body instanceof ObjectNode o) {
            o.put(SupervisionAction.FIELD, action.name());
        }
        return body;
    }
}
