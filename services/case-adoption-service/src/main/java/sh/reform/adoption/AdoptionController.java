package sh.reform.adoption;

import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.schema.events.CaseAdoptionReported;
import sh.reform.shared.reporting.ReportingEndpoints;
import sh.reform.shared.reporting.ReportingEngine;

@RestController
@RequestMapping("/api/v1/adoptions")
@Tag(name = "adoptions", description = "案例复制决定 / Case adoption decisions")
class AdoptionController extends ReportingEndpoints<CaseAdoptionReported> {

    AdoptionController(ReportingEngine<CaseAdoptionReported> engine) {
        super(engine);
    }
}
