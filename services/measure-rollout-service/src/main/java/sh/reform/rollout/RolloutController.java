package sh.reform.rollout;

import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.schema.events.MeasureRolloutReported;
import sh.reform.shared.reporting.ReportingEndpoints;
import sh.reform.shared.reporting.ReportingEngine;

@RestController
@RequestMapping("/api/v1/rollouts")
@Tag(name = "rollouts", description = "举措推进 / Measure rollout")
class RolloutController extends ReportingEndpoints<MeasureRolloutReported> {

    RolloutController(ReportingEngine<MeasureRolloutReported> engine) {
        super(engine);
    }
}
