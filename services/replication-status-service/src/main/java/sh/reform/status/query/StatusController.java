package sh.reform.status.query;

import java.time.Clock;
import java.util.Optional;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.status.rollup.RollupsView;

/**
 * The city office's read API. Every endpoint answers the live status, or with {@code asOf} the status
 * as it stood then (replayed from the event log through the same fold). While the state stores are not
 * queryable (start-up, rebalance) the answer is 503 with Retry-After, never an incomplete view.
 */
@RestController
@RequestMapping("/api/v1/status")
@Tag(name = "status", description = "复制推广状态、红黄绿预警与排名 / replication status, early warnings and rankings")
@ApiResponse(responseCode = "503", description = "状态存储暂不可查询（启动或再平衡中），请按 Retry-After 重试 / stores not queryable yet, retry after Retry-After")
class StatusController {

    private static final String AS_OF = "过去某时的状态：日期（上海时间当日结束）或时间 / the status as it stood then: a date "
            + "(end of that day, Asia/Shanghai) or an instant, e.g. 2026-11-01 or 2026-11-01T10:00:00+08:00";

    private final StatusQueries queries;
    private final Clock clock = Clock.systemUTC();

    StatusController(StatusQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/matrix")
    @Operation(summary = "批次矩阵：案例 × 各区 / a batch's cases × the districts",
            description = "每格为阶段、红黄绿与进度；按页返回（案例按名次分页，区按参考顺序分页，可限定某省、市），"
                    + "上海一个批次一页即可 / each cell: stage, health and progress; one page of cases (by rank) and of "
                    + "districts (reference order, optionally under one province or city); a Shanghai batch fits in one page")
    @ApiResponse(responseCode = "400", description = "分页参数有误，逐项说明 / bad paging parameters, each named")
    @ApiResponse(responseCode = "404", description = "批次无案例 / no cases in the batch")
    MatrixView matrix(@Parameter(description = "批次，如 SH-2023 / batch id", example = "SH-2023") @RequestParam String batch,
                      @Parameter(description = AS_OF) @RequestParam(required = false) String asOf,
                      @Parameter(description = "只看此省、市、区之下的区县，如 310000 / only districts under this code")
                      @RequestParam(required = false) String parent,
                      @Parameter(description = "案例页码，从 0 起 / page of cases, from 0") @RequestParam(defaultValue = "0") int page,
                      @Parameter(description = "每页案例数（1–500）/ cases per page") @RequestParam(defaultValue = "100") int size,
                      @Parameter(description = "区页码，从 0 起 / page of districts, from 0") @RequestParam(defaultValue = "0") int districtPage,
                      @Parameter(description = "每页区数（1–500）/ districts per page") @RequestParam(defaultValue = "100") int districtSize) {
        return queries.matrix(batch, asOf(asOf),
                new StatusQueries.MatrixPage(Optional.ofNullable(parent).filter(s -> !s.isBlank()), page, size, districtPage, districtSize));
    }

    @GetMapping("/cases/{caseId}")
    @Operation(summary = "一个案例在各区的状态与汇总 / one case in every district, with its rollup")
    @ApiResponse(responseCode = "404", description = "目录中无此案例 / unknown case")
    CaseStatusView caseStatus(@Parameter(example = "SH-2023-01") @PathVariable String caseId,
                              @Parameter(description = AS_OF) @RequestParam(required = false) String asOf) {
        return queries.caseStatus(caseId, asOf(asOf));
    }

    @GetMapping("/districts/{code}")
    @Operation(summary = "一个区：已上报、红灯及原因、尚未复制的案例 / one district: its reports, red cells with reasons, cases not yet adopted")
    @ApiResponse(responseCode = "404", description = "无此区 / unknown district")
    DistrictStatusView district(@Parameter(description = "区划代码 / GB/T 2260 code", example = "310116") @PathVariable String code,
                                @Parameter(description = "只看某批次 / only this batch") @RequestParam(required = false) String batch,
                                @Parameter(description = AS_OF) @RequestParam(required = false) String asOf) {
        return queries.district(code, Optional.ofNullable(batch), asOf(asOf));
    }

    @GetMapping("/cells/{caseId}/{district}")
    @Operation(summary = "一个案例在一个区的完整状态与历史 / one case in one district: full status, flags, metrics, history")
    @ApiResponse(responseCode = "404", description = "无此案例或区 / unknown case or district")
    CellView cell(@Parameter(example = "SH-2023-01") @PathVariable String caseId,
                  @Parameter(example = "310104") @PathVariable String district,
                  @Parameter(description = AS_OF) @RequestParam(required = false) String asOf) {
        return queries.cell(caseId, district, asOf(asOf));
    }

    @GetMapping("/rollups")
    @Operation(summary = "汇总：各案例、各区、全市复制推广率与比学赶超排名 / rollups per case, per district, city-wide, and the ranking")
    RollupsView rollups(@Parameter(description = "只看某批次 / only this batch") @RequestParam(required = false) String batch,
                        @Parameter(description = AS_OF) @RequestParam(required = false) String asOf) {
        return queries.rollups(Optional.ofNullable(batch), asOf(asOf));
    }

    @GetMapping("/supervision")
    @Operation(summary = "督办待办：逾期、临近、待复核、被退回、未反馈的催办 / supervision to-do: overdue, due soon, claims to review or returned, unanswered urges",
            description = "批次内每个交办或有待复核、被退回报送的格子，最紧急的在前；district 只看一个区（区工作台）。"
                    + " / every cell of the batch that is assigned or has a claim pending or returned, most urgent first; "
                    + "district narrows it to one district (the district workspace).")
    @ApiResponse(responseCode = "404", description = "批次无案例或无此区 / no cases in the batch, or unknown district")
    SupervisionView supervision(@Parameter(description = "批次，如 SH-2023 / batch id", example = "SH-2023") @RequestParam String batch,
                                @Parameter(description = "只看此区 / only this district", example = "310116")
                                @RequestParam(required = false) String district,
                                @Parameter(description = AS_OF) @RequestParam(required = false) String asOf) {
        return queries.supervision(batch, Optional.ofNullable(district).filter(s -> !s.isBlank()), asOf(asOf));
    }

    private Optional<java.time.Instant> asOf(String raw) {
        return AsOf.parse(raw, clock.instant());
    }
}
