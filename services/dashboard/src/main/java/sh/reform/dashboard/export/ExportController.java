package sh.reform.dashboard.export;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import sh.reform.dashboard.DashboardSettings;
import sh.reform.dashboard.api.PlatformClient;
import sh.reform.dashboard.api.PlatformClient.UpstreamException;
import sh.reform.dashboard.api.StatusViews.CaseStatus;
import sh.reform.dashboard.api.StatusViews.Cell;
import sh.reform.dashboard.api.StatusViews.CellDetail;

/**
 * Downloads: the matrix of a batch and a case report, as .xlsx (typed cells, Chinese headers) or CSV,
 * live or as of a past date ({@code asOf}, passed on to the status API).
 */
@RestController
class ExportController {

    private final PlatformClient platform;
    private final DashboardSettings settings;

    ExportController(PlatformClient platform, DashboardSettings settings) {
        this.platform = platform;
        this.settings = settings;
    }

    @GetMapping("/export/matrix.xlsx")
    ResponseEntity<byte[]> matrixXlsx(@RequestParam(required = false) String batch, @RequestParam(required = false) String asOf) {
        String b = batch(batch);
        var matrix = platform.matrix(b, asOf);
        byte[] body = Workbooks.write(MatrixReport.tables(matrix, platform.cases(b), OffsetDateTime.now(Workbooks.SHANGHAI)));
        return file(body, Workbooks.MEDIA_TYPE, "复制推广矩阵-" + b + suffix(asOf) + ".xlsx");
    }

    @GetMapping("/export/matrix.csv")
    ResponseEntity<byte[]> matrixCsv(@RequestParam(required = false) String batch, @RequestParam(required = false) String asOf) {
        String b = batch(batch);
        var matrix = platform.matrix(b, asOf);
        return file(CsvFiles.write(MatrixReport.detail(matrix, platform.cases(b))), CsvFiles.MEDIA_TYPE,
                "复制推广矩阵-" + b + suffix(asOf) + ".csv");
    }

    @GetMapping("/export/cases/{caseId}.xlsx")
    ResponseEntity<byte[]> caseXlsx(@PathVariable String caseId, @RequestParam(required = false) String asOf) {
        CaseReport report = caseReport(caseId, asOf);
        return file(Workbooks.write(report.tables()), Workbooks.MEDIA_TYPE, "案例报告-" + caseId + suffix(asOf) + ".xlsx");
    }

    @GetMapping("/export/cases/{caseId}.csv")
    ResponseEntity<byte[]> caseCsv(@PathVariable String caseId, @RequestParam(required = false) String asOf) {
        CaseReport report = caseReport(caseId, asOf);
        return file(CsvFiles.write(report.districts()), CsvFiles.MEDIA_TYPE, "案例报告-" + caseId + suffix(asOf) + ".csv");
    }

    private CaseReport caseReport(String caseId, String asOf) {
        var entry = platform.caseEntry(caseId);
        CaseStatus status = platform.caseStatus(caseId, asOf);
        // Only districts that reported have details; fetch them side by side (at most 16 small requests).
        Map<String, CompletableFuture<CellDetail>> pending = new LinkedHashMap<>();
        for (Cell cell : status.districts()) {
            if (cell.eventCount() > 0) {
                pending.put(cell.districtCode(), CompletableFuture.supplyAsync(() -> platform.cell(caseId, cell.districtCode(), asOf)));
            }
        }
        Map<String, CellDetail> details = new LinkedHashMap<>();
        pending.forEach((district, future) -> details.put(district, join(future)));
        return new CaseReport(entry, status, details);
    }

    private static CellDetail join(CompletableFuture<CellDetail> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private String batch(String batch) {
        return batch == null || batch.isBlank() ? settings.getDefaultBatch() : batch.strip();
    }

    private static String suffix(String asOf) {
        return asOf == null || asOf.isBlank() ? "" : "-截至" + asOf.strip().replaceAll("[^0-9A-Za-z-]", "");
    }

    private static ResponseEntity<byte[]> file(byte[] body, String mediaType, String filename) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(mediaType))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(filename, StandardCharsets.UTF_8).build().toString())
                .body(body);
    }

    /** The status or catalog API refused (404 unknown case, 400 bad asOf) or is not available (503). */
    @ExceptionHandler(UpstreamException.class)
    ResponseEntity<ProblemDetail> upstream(UpstreamException e) {
        HttpStatus status = switch (e.status().value()) {
            case 400 -> HttpStatus.BAD_REQUEST;
            case 404 -> HttpStatus.NOT_FOUND;
            default -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, "导出失败：状态或目录服务答复 " + e.status().value()
                + " / export failed: the status or catalog API answered " + e.status().value());
        ResponseEntity.BodyBuilder b = ResponseEntity.status(status);
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            b.header(HttpHeaders.RETRY_AFTER, "5");
        }
        return b.contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
