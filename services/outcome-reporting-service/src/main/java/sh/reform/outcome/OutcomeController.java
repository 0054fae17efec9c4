package sh.reform.outcome;

import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.schema.events.OutcomeReported;
import sh.reform.shared.reporting.ReportingEndpoints;
import sh.reform.shared.reporting.ReportingEngine;

@RestController
@RequestMapping("/api/v1/outcomes")
@Tag(name = "outcomes", description = "成效报送 / Outcome reports")
class OutcomeController extends ReportingEndpoints<OutcomeReported> {

    OutcomeController(ReportingEngine<OutcomeReported> engine) {
        super(engine);
    }
}
