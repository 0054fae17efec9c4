package sh.reform.shared.reporting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.multipart.MultipartFile;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import sh.reform.catalog.FieldError;
import sh.reform.shared.reporting.ReportingEngine.ImportMode;
import sh.reform.shared.reporting.ReportingEngine.ImportResult;
import sh.reform.shared.reporting.ReportingResponses.Accepted;
import sh.reform.shared.reporting.ReportingResponses.AcceptedBatch;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP endpoints every reporting service offers under its own path: report one, report a
 * batch, import a file, download an import template. A service's controller extends this with its
 * {@code @RequestMapping} and engine; it holds nothing else.
 */
public abstract class ReportingEndpoints<E extends SpecificRecord> {

    private final ReportingEngine<E> engine;

    protected ReportingEndpoints(ReportingEngine<E> engine) {
        this.engine = engine;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "报送一条 / Report one event",
            description = "经消息服务确认写入后答复 202（含事件编号、分区、位点）；同一事件编号（或 Idempotency-Key）重复报送返回相同答复，内容不同则 409。"
                    + " / Answered 202 only after the broker acknowledged; a repeat returns the same answer, other content with the same id gets 409.")
    public ResponseEntity<Accepted> reportOne(@RequestBody JsonNode body,
                                              @Parameter(description = "幂等键 / idempotency key") @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                              @AuthenticationPrincipal Jwt jwt) {
        return ReportingResponses.accepted(engine.reportOne(body, key, ReformPrincipal.of(jwt)));
    }

    @PostMapping(path = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "批量报送（最多 1000 条，全部成功或全部不发布） / Report a batch (up to 1,000; all or nothing)")
    public ResponseEntity<AcceptedBatch> reportBatch(@RequestBody JsonNode body, @AuthenticationPrincipal Jwt jwt) {
        return ReportingResponses.acceptedBatch(engine.reportBatch(body, ReformPrincipal.of(jwt)));
    }

    @PostMapping(path = "/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "导入 CSV 或 Excel 文件，逐行报告 / Import a CSV or Excel file, with a per-row report",
            description = "默认任何一行有误则不发布（ALL_OR_NOTHING）；mode=VALID_ONLY 只发布无误的行。"
                    + " / By default nothing is published when any row is invalid; mode=VALID_ONLY publishes the valid rows only.")
    public ResponseEntity<ImportResult> importFile(@RequestPart("file") MultipartFile file,
                                                   @RequestParam(defaultValue = "ALL_OR_NOTHING") String mode,
                                                   @AuthenticationPrincipal Jwt jwt) throws IOException {
        ImportMode m;
        try {
            m = ImportMode.valueOf(mode.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblemException.invalid(List.of(new FieldError("mode", "unknown-value",
                    "mode 应为 ALL_OR_NOTHING 或 VALID_ONLY", "mode must be ALL_OR_NOTHING or VALID_ONLY")));
        }
        byte[] content = file.getBytes();
        var rows = ImportFiles.parse(content, file.getOriginalFilename(), engine.kind().columnAliases());
        return ReportingResponses.imported(engine.importRows(rows, m, ReformPrincipal.of(jwt), ImportFiles.digest(content)));
    }

    @GetMapping(path = "/template.csv", produces = "text/csv")
    @Operation(summary = "导入模板（中文列名） / Import template (Chinese headers)")
    public ResponseEntity<byte[]> template() {
        String header = String.join(",", engine.kind().columnAliases().keySet()) + "\r\n";
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = header.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, out, 0, bom.length);
        System.arraycopy(text, 0, out, bom.length, text.length);
        return ResponseEntity.ok().header("Content-Disposition", "attachment; filename=\"" + engine.kind().serviceName() + "-template.csv\"")
                .contentType(MediaType.parseMediaType("text/csv; charset=UTF-8")).body(out);
    }
}
