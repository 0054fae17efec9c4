package sh.reform.status.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import sh.reform.catalog.Catalog;
import sh.reform.catalog.Jurisdiction;
import sh.reform.catalog.SeedCatalog;
import sh.reform.schema.bulletin.IssuedBulletin;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.status.ClaimReview;
import sh.reform.schema.status.ClaimState;
import sh.reform.schema.status.DeadlineState;
import sh.reform.schema.status.Health;
import sh.reform.schema.status.MetricStatus;
import sh.reform.schema.status.OverallStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.status.SupervisionState;
import sh.reform.schema.status.UrgeState;
import sh.reform.schema.supervision.ClaimKind;
import sh.reform.schema.supervision.EscalationLevel;
import sh.reform.shared.topics.Topic;
import sh.reform.status.fold.HealthRules;
import sh.reform.status.query.StatusAsOf;
import sh.reform.status.scoring.ScoringModel;

/**
 * The .xlsx and the PDF of a bulletin, read back: the PDF's text (PDFBox) holds the Chinese district names and case
 * titles (not boxes: the font has their glyphs and the text extracts as the same characters), its first page is
 * rendered to {@code target/bulletin-first-page.png} for a person to look at; the .xlsx holds every section cell for
 * cell, typed. Pure: no Kafka.
 */
class BulletinFilesTest {

    static final Period NOVEMBER = Period.parse("period", "2026-11");
    static Bulletin bulletin;
    static IssuedBulletin issued;
    static List<CatalogCase> cases;
    static List<Jurisdiction> districts;

    @BeforeAll
    static void compile() {
        Catalog catalog = SeedCatalog.load();
        cases = catalog.cases().stream().filter(c -> c.getBatchId().equals("SH-2023")).toList();
        districts = List.copyOf(catalog.districts());
        CatalogCase c13 = byId("SH-2023-13");
        CatalogCase c15 = byId("SH-2023-15");
        Instant end = NOVEMBER.asOf();
        Map<String, ReplicationStatus> now = new HashMap<>();
        now.put(Topic.cellKey(c13.getCaseId(), "310118"), status(c13, "310118", OverallStage.LIVE, Health.GREEN, end)
                .setMetrics(List.of(MetricStatus.newBuilder().setMetricId(c13.getMetrics().isEmpty() ? "M" : c13.getMetrics().get(0).getMetricId())
                        .setPeriod("2026-11").setValue(42).setUnit("%").setReferenceValue(40.0).setReportedAt(end).setEventId("e1").build()))
                .build());
        now.put(Topic.cellKey(c15.getCaseId(), "310120"), status(c15, "310120", OverallStage.ROLLING_OUT, Health.RED, end)
                .setHealthRules(List.of(HealthRules.TARGET_PASSED_NOT_LIVE)).setTargetDate(LocalDate.of(2026, 10, 31))
                .setSupervision(SupervisionState.newBuilder().setAssigned(true).setDueDate(LocalDate.of(2026, 11, 20))
                        .setDeadline(DeadlineState.OVERDUE).setDaysToDue(-10)
                        .setUrges(List.of(UrgeState.newBuilder().setUrgeEventId("u1").setUrgedAt(Instant.parse("2026-11-22T02:00:00Z"))
                                .setMessage("请说明未按期上线的原因").setReplyBy(LocalDate.of(2026, 11, 25))
                                .setLevel(EscalationLevel.DISTRICT_CLERK).setInitialLevel(EscalationLevel.DISTRICT_CLERK).build()))
                        .setClaims(List.of(ClaimState.newBuilder().setClaimEventId("c1").setKind(ClaimKind.MEASURE_STAGE)
                                .setSubject(c15.getCaseId() + "-M1").setClaim("LIVE").setClaimedAt(Instant.parse("2026-11-10T02:00:00Z"))
                                .setReview(ClaimReview.RETURNED).setReviewedAt(Instant.parse("2026-11-12T02:00:00Z"))
                                .setReason("缺少上线截图").build()))
                        .setClaimsReturned(1).build())
                .build());
        Map<String, ReplicationStatus> before = new HashMap<>();
        before.put(Topic.cellKey(c13.getCaseId(), "310118"), status(c13, "310118", OverallStage.ADOPTED, Health.GREEN,
                NOVEMBER.previous().asOf()).build());
        bulletin = new BulletinCompiler(HealthRules.defaults(), ScoringModel.defaults()).compile(NOVEMBER,
                new StatusAsOf.Snapshot("SH-2023", end, cases, districts, now),
                new StatusAsOf.Snapshot("SH-2023", NOVEMBER.previous().asOf(), cases, districts, before));
        issued = IssuedBulletin.newBuilder().setBulletinKey("SH-2023|2026-11|v2").setBatchId("SH-2023").setPeriod("2026-11")
                .setPeriodStart(NOVEMBER.first()).setPeriodEnd(NOVEMBER.last()).setVersion(2).setReason("更正青浦区成效数据")
                .setIssuedAt(Instant.parse("2026-12-01T02:00:00Z")).setIssuedBy("city-office").setAsOf(end)
                .setContentJson("{}").build();
    }

    static ReplicationStatus.Builder status(CatalogCase c, String district, OverallStage stage, Health health, Instant at) {
        return ReplicationStatus.newBuilder().setCaseId(c.getCaseId()).setDistrictCode(district).setOverallStage(stage)
                .setHealth(health).setEvaluatedAt(at).setLastReportAt(at).setEventCount(1);
    }

    static CatalogCase byId(String id) {
        return cases.stream().filter(c -> c.getCaseId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void thePdfReadsBackWithChineseDistrictNamesAndCaseTitlesAndItsFirstPageIsRendered() throws Exception {
        byte[] pdf = BulletinPdf.write(bulletin, issued);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(doc.getPage(0).getMediaBox().getWidth()).as("A4").isCloseTo(595.3f, org.assertj.core.data.Offset.offset(1f));
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("青浦区", "奉贤区", "黄浦区").contains(byId("SH-2023-15").getTitleZh().substring(0, 8))
                    .contains("通报 · 批次 SH-2023 · 时段 2026-11 · 签发日期 2026-12-01")
                    .contains("第 1 页 / 共 " + doc.getNumberOfPages() + " 页")
                    .contains("缺少上线截图").contains("请说明未按期上线的原因").contains("更正青浦区成效数据")
                    .doesNotContain("\uFFFD");
            String firstTitleLine = text.lines().filter(l -> l.contains("优秀案例复制推广情况通报")).findFirst().orElseThrow();
            assertThat(firstTitleLine).contains("2026年11月");
            BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, 110);
            Path png = Path.of("target", "bulletin-first-page.png");
            Files.createDirectories(png.getParent());
            ImageIO.write(page, "png", png.toFile());
            assertThat(Files.size(png)).isPositive();
        }
    }

    @Test
    void theWorkbookReadsBackCellForCellWithTypedCellsAndFrozenHeaders() throws Exception {
        byte[] xlsx = BulletinWorkbook.write(bulletin, issued);
        List<BulletinTables.Section> sections = BulletinTables.of(bulletin);
        try (Workbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            assertThat(wb.getNumberOfSheets()).isEqualTo(sections.size() + 1);
            assertThat(wb.getSheetAt(0).getRow(4).getCell(1).getStringCellValue()).isEqualTo("第 2 版");
            for (int i = 0; i < sections.size(); i++) {
                BulletinTables.Section s = sections.get(i);
                Sheet sheet = wb.getSheetAt(i + 1);
                assertThat(sheet.getSheetName()).isEqualTo(s.sheetName());
                assertThat(sheet.getPaneInformation().isFreezePane()).as("frozen header of " + s.sheetName()).isTrue();
                assertThat(sheet.getPaneInformation().getHorizontalSplitPosition()).isEqualTo((short) 1);
                Row h = sheet.getRow(0);
                for (int c = 0; c < s.columns().size(); c++) {
                    assertThat(h.getCell(c).getStringCellValue()).isEqualTo(s.columns().get(c).header());
                }
                assertThat(sheet.getLastRowNum()).as("rows of " + s.sheetName()).isEqualTo(s.rows().size());
                for (int r = 0; r < s.rows().size(); r++) {
                    List<Object> expected = s.rows().get(r);
                    Row row = sheet.getRow(r + 1);
                    for (int c = 0; c < expected.size(); c++) {
                        assertCell(s.sheetName() + " row " + (r + 1) + " col " + c, row.getCell(c), expected.get(c));
                    }
                }
            }
            Sheet districtsSheet = wb.getSheet("各区");
            assertThat(districtsSheet.getRow(1).getCell(0).getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(districtsSheet.getRow(1).getCell(8).getCellStyle().getDataFormatString()).isEqualTo("0.0%");
        }
    }

    private static void assertCell(String where, Cell cell, Object expected) {
        if (expected == null) {
            assertThat(cell).as(where).isNull();
            return;
        }
        assertThat(cell).as(where).isNotNull();
        if (expected instanceof BulletinTables.Rate r) {
            assertThat(cell.getNumericCellValue()).as(where).isEqualTo(r.value());
        } else if (expected instanceof Integer n) {
            assertThat(cell.getNumericCellValue()).as(where).isEqualTo(n.doubleValue());
        } else if (expected instanceof Double d) {
            assertThat(cell.getNumericCellValue()).as(where).isEqualTo(d);
        } else if (expected instanceof LocalDate d) {
            assertThat(cell.getLocalDateTimeCellValue().toLocalDate()).as(where).isEqualTo(d);
        } else if (expected instanceof java.time.OffsetDateTime t) {
            assertThat(cell.getLocalDateTimeCellValue()).as(where).isEqualTo(t.toLocalDateTime());
        } else {
            assertThat(cell.getStringCellValue()).as(where).isEqualTo(expected.toString());
        }
    }

    @Test
    void theBulletinSaysWhatItsStatusesSay() {
        assertThat(bulletin.asOf().toString()).isEqualTo("2026-11-30T23:59:59.999+08:00");
        assertThat(bulletin.redCells()).singleElement().satisfies(r -> assertThat(r.districtNameZh()).isEqualTo("奉贤区"));
        assertThat(bulletin.overdue()).singleElement().satisfies(o -> assertThat(o.daysOverdue()).isEqualTo(10));
        assertThat(bulletin.urges()).singleElement().satisfies(u -> assertThat(u.answered()).isFalse());
        assertThat(bulletin.returnedClaims()).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo("缺少上线截图"));
        assertThat(bulletin.outcomes()).singleElement().satisfies(o -> assertThat(o.ratio()).isEqualTo(1.05));
        assertThat(bulletin.city().live()).isEqualTo(1);
        assertThat(bulletin.trend().city().live()).isEqualTo(1);
        assertThat(bulletin.trend().city().adopted()).isEqualTo(1);
        assertThat(bulletin.leaders()).extracting(Bulletin.DistrictLine::districtCode).contains("310118");
        assertThat(bulletin.scores()).hasSize(districts.size());
    }
}
