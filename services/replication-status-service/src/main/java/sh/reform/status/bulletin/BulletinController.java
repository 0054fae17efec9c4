package sh.reform.status.bulletin;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import sh.reform.catalog.FieldError;
import sh.reform.schema.bulletin.IssuedBulletin;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.web.ApiProblemException;

/**
 * Bulletins (通报): preview, issue (city office), list, versions, and the .xlsx and PDF of any version or preview.
 * Reads are open like the rest of the status API; issuing needs a city-office token.
 */
@RestController
@RequestMapping("/api/v1/bulletins")
@Tag(name = "bulletins", description = "通报：按批次和时段签发，版本不可改 / bulletins: issued per batch and period, immutable versions")
@ApiResponse(responseCode = "503", description = "暂时无法读取或签发，请按 Retry-After 重试 / retry after Retry-After")
class BulletinController {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final String PERIOD = "时段：月份 2026-11、季度 2026-Q4 或起止日期 2026-11-01_2026-11-15（时段末 24:00 上海时间）"
            + " / period: a month, a quarter or a span of days (ends 24:00 Asia/Shanghai)";

    private final Bulletins bulletins;

    BulletinController(Bulletins bulletins) {
        this.bulletins = bulletins;
    }

    /** A version without its content, for lists. */
    record IssuedView(String bulletinKey, String batchId, String period, int version, String reason, boolean scheduled,
                      OffsetDateTime issuedAt, String issuedBy, OffsetDateTime asOf, Double adoptionRate, Double liveRate,
                      Double verifiedLiveRate, String xlsx, String pdf) {

        static IssuedView of(IssuedBulletin b) {
            String base = "/api/v1/bulletins/" + b.getBatchId() + "/" + b.getPeriod() + "/versions/" + b.getVersion();
            return new IssuedView(b.getBulletinKey(), b.getBatchId(), b.getPeriod(), b.getVersion(), b.getReason(), b.getScheduled(),
                    ShanghaiTimes.of(b.getIssuedAt()), b.getIssuedBy(), ShanghaiTimes.of(b.getAsOf()), b.getAdoptionRate(),
                    b.getLiveRate(), b.getVerifiedLiveRate(), base + "/bulletin.xlsx", base + "/bulletin.pdf");
        }
    }

    /** An issued version with its content as issued. */
    record IssuedBulletinView(IssuedView issued, Bulletin bulletin) {
    }

    /** @param reason required for a re-issue (version 2 on): what it corrects */
    record IssueRequest(String batch, String period, String reason) {
    }

    @GetMapping("/preview")
    @Operation(summary = "预览通报（时段末的状态，与上期比较）/ preview a bulletin (status at the period's end vs the previous period)")
    @ApiResponse(responseCode = "400", description = "时段有误 / bad period")
    @ApiResponse(responseCode = "404", description = "批次无案例 / no cases in the batch")
    Bulletin preview(@Parameter(example = "SH-2023") @RequestParam String batch,
                     @Parameter(description = PERIOD, example = "2026-11") @RequestParam String period) {
        return bulletins.preview(batch, Period.parse("period", period));
    }

    @GetMapping("/preview/bulletin.xlsx")
    @Operation(summary = "预览的 .xlsx / the preview as .xlsx")
    ResponseEntity<byte[]> previewXlsx(@RequestParam String batch, @Parameter(description = PERIOD) @RequestParam String period) {
        Bulletin b = bulletins.preview(batch, Period.parse("period", period));
        return file(BulletinWorkbook.write(b, null), XLSX, name(b, null, "xlsx"));
    }

    @GetMapping("/preview/bulletin.pdf")
    @Operation(summary = "预览的 PDF / the preview as PDF")
    ResponseEntity<byte[]> previewPdf(@RequestParam String batch, @Parameter(description = PERIOD) @RequestParam String period) {
        Bulletin b = bulletins.preview(batch, Period.parse("period", period));
        return file(BulletinPdf.write(b, null), MediaType.APPLICATION_PDF_VALUE, name(b, null, "pdf"));
    }

    @PostMapping
    @Operation(summary = "签发通报（市营商办）：首次为第 1 版，再次签发须写明理由，生成新版本 / issue a bulletin (city office); "
            + "a re-issue needs a reason and makes a new version",
            description = "请求体 body: {batch, period, reason?}. 签发后向各区和市营商办发出通知 / announced through the notifications")
    @ApiResponse(responseCode = "201", description = "已签发（经 Kafka 确认）/ issued, acknowledged by Kafka")
    @ApiResponse(responseCode = "400", description = "字段有误，逐项说明 / bad fields, each named")
    @ApiResponse(responseCode = "401", description = "未登录 / no token")
    @ApiResponse(responseCode = "403", description = "仅市营商办可签发 / only the city office issues bulletins")
    ResponseEntity<IssuedView> issue(@RequestBody(required = false) IssueRequest body, @AuthenticationPrincipal Jwt jwt) {
        ReformPrincipal who = ReformPrincipal.of(jwt);
        if (!who.isCityOffice()) {
            throw ApiProblemException.forbidden("只有市营商办可以签发通报", "only the city office issues bulletins");
        }
        List<FieldError> errors = new ArrayList<>();
        if (body == null || body.batch() == null || body.batch().isBlank()) {
            errors.add(new FieldError("batch", "required", "请填写批次（如 SH-2023）", "batch is required (e.g. SH-2023)"));
        }
        Period period = null;
        if (body == null || body.period() == null || body.period().isBlank()) {
            errors.add(new FieldError("period", "required", "请填写时段（如 2026-11）", "period is required (e.g. 2026-11)"));
        } else {
            try {
                period = Period.parse("period", body.period());
            } catch (ApiProblemException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        IssuedBulletin issued = bulletins.issue(body.batch().trim(), period, body.reason(), who.name());
        IssuedView v = IssuedView.of(issued);
        return ResponseEntity.created(URI.create("/api/v1/bulletins/" + v.batchId() + "/" + v.period() + "/versions/" + v.version()))
                .body(v);
    }

    @GetMapping
    @Operation(summary = "已签发的通报（每版一行）/ issued bulletins, one row per version")
    List<IssuedView> list(@Parameter(description = "只看某批次 / only this batch") @RequestParam(required = false) String batch) {
        return bulletins.issued(Optional.ofNullable(batch).filter(s -> !s.isBlank())).stream().map(IssuedView::of).toList();
    }

    @GetMapping("/{batch}/{period}")
    @Operation(summary = "一份通报的所有版本 / every version of one bulletin")
    List<IssuedView> versions(@PathVariable String batch, @Parameter(description = PERIOD) @PathVariable String period) {
        return bulletins.versions(batch, Period.parse("period", period)).stream().map(IssuedView::of).toList();
    }

    @GetMapping("/{batch}/{period}/versions/{version}")
    @Operation(summary = "某一版的内容（签发时的原样）/ one version as issued")
    @ApiResponse(responseCode = "404", description = "无此版本 / no such version")
    IssuedBulletinView version(@PathVariable String batch, @PathVariable String period, @PathVariable int version) {
        IssuedBulletin b = bulletins.version(batch, Period.parse("period", period), version);
        return new IssuedBulletinView(IssuedView.of(b), Bulletins.content(b));
    }

    @GetMapping("/{batch}/{period}/versions/{version}/bulletin.xlsx")
    @Operation(summary = "某一版的 .xlsx（每节一页，首行冻结）/ one version as .xlsx (a sheet per section, frozen headers)")
    ResponseEntity<byte[]> versionXlsx(@PathVariable String batch, @PathVariable String period, @PathVariable int version) {
        IssuedBulletin b = bulletins.version(batch, Period.parse("period", period), version);
        Bulletin content = Bulletins.content(b);
        return file(BulletinWorkbook.write(content, b), XLSX, name(content, b, "xlsx"));
    }

    @GetMapping("/{batch}/{period}/versions/{version}/bulletin.pdf")
    @Operation(summary = "某一版的 PDF（A4，页眉含批次、时段、签发日期，页码）/ one version as PDF (A4, header, page numbers)")
    ResponseEntity<byte[]> versionPdf(@PathVariable String batch, @PathVariable String period, @PathVariable int version) {
        IssuedBulletin b = bulletins.version(batch, Period.parse("period", period), version);
        Bulletin content = Bulletins.content(b);
        return file(BulletinPdf.write(content, b), MediaType.APPLICATION_PDF_VALUE, name(content, b, "pdf"));
    }

    private static String name(Bulletin b, IssuedBulletin issued, String ext) {
        return "通报-" + b.batchId() + "-" + b.periodCode() + (issued == null ? "-预览" : "-v" + issued.getVersion()) + "." + ext;
    }

    private static ResponseEntity<byte[]> file(byte[] body, String type, String filename) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename, StandardCharsets.UTF_8).build().toString())
                .contentType(MediaType.parseMediaType(type))
                .body(body);
    }
}
