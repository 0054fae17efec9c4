package sh.reform.status.bulletin;

import java.util.ArrayList;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.catalog.FieldError;
import sh.reform.shared.web.ApiProblemException;
import sh.reform.status.scoring.DistrictScore;
import sh.reform.status.scoring.ScoringModel;
import sh.reform.status.scoring.ScoringSettings;

/** District scores (量化考核): the ranking with each score's breakdown, and the trend over periods. */
@RestController
@RequestMapping("/api/v1/scores")
@Tag(name = "scores", description = "量化考核：各区得分、计分明细与趋势 / district scores, their breakdown and trend")
class ScoreController {

    static final int MAX_PERIODS = 24;

    private final Bulletins bulletins;
    private final ScoringSettings scoring;

    ScoreController(Bulletins bulletins, ScoringSettings scoring) {
        this.bulletins = bulletins;
        this.scoring = scoring;
    }

    record Scores(String batchId, String period, ScoringModel model, List<DistrictScore> scores) {
    }

    @GetMapping
    @Operation(summary = "某时段末各区得分及计分明细 / district scores at a period's end, with their breakdown")
    @ApiResponse(responseCode = "400", description = "时段有误 / bad period")
    Scores scores(@Parameter(example = "SH-2023") @RequestParam String batch,
                  @Parameter(description = "时段 / period, e.g. 2026-11, 2026-Q4", example = "2026-11") @RequestParam String period) {
        Period p = Period.parse("period", period);
        return new Scores(batch, p.code(), scoring.toModel(), bulletins.scores(batch, p));
    }

    @GetMapping("/trend")
    @Operation(summary = "逐月（或逐季）的比率与得分趋势 / rates and scores month by month (or quarter by quarter)")
    @ApiResponse(responseCode = "400", description = "时段有误或过多 / bad or too many periods")
    List<Bulletins.TrendPoint> trend(@Parameter(example = "SH-2023") @RequestParam String batch,
                                     @Parameter(description = "起始月份 / first month", example = "2026-06") @RequestParam String from,
                                     @Parameter(description = "结束月份 / last month", example = "2026-11") @RequestParam String to) {
        Period first = Period.parse("from", from);
        Period last = Period.parse("to", to);
        if (first.kind() != last.kind() || first.kind() == Period.Kind.CUSTOM || last.first().isBefore(first.first())) {
            throw ApiProblemException.invalid(List.of(new FieldError("to", "range",
                    "起止应同为月份或同为季度，且结束不早于起始", "from and to must both be months or both quarters, to not before from")));
        }
        List<Period> periods = new ArrayList<>();
        for (Period p = last; !p.first().isBefore(first.first()); p = p.previous()) {
            periods.add(0, p);
            if (periods.size() > MAX_PERIODS) {
                throw ApiProblemException.invalid(List.of(new FieldError("from", "too-many",
                        "最多 " + MAX_PERIODS + " 个时段", "at most " + MAX_PERIODS + " periods")));
            }
        }
        return bulletins.trend(batch, periods);
    }

}
