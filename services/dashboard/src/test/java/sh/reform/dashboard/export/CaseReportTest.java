package sh.reform.dashboard.export;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.reform.dashboard.export.MatrixReportTest.assertNumeric;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Map;

import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

class CaseReportTest {

    final CaseReport report = new CaseReport(ExportFixtures.caseEntry(), ExportFixtures.caseStatus(),
            Map.of("310101", ExportFixtures.huangpuDetail(), "310104", ExportFixtures.xuhuiDetail()));

    @Test
    void caseReportHasItsSheetsInOrderWithChineseNames() throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(Workbooks.write(report.tables())))) {
            assertThat(book.getNumberOfSheets()).isEqualTo(5);
            assertThat(book.getSheetName(0)).isEqualTo("案例概况");
            assertThat(book.getSheetName(1)).isEqualTo("各区状态");
            assertThat(book.getSheetName(2)).isEqualTo("举措");
            assertThat(book.getSheetName(3)).isEqualTo("成效");
            assertThat(book.getSheetName(4)).isEqualTo("时间线");
            Row summary = book.getSheet("案例概况").getRow(1);
            assertNumeric(summary.getCell(2), 1);
            assertNumeric(summary.getCell(9), 15);
            assertThat(summary.getCell(13).getNumericCellValue()).isCloseTo(2 / 15.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void districtsSheetTypesTheTargetDateAsADateAndCountsAsNumbers() throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(Workbooks.write(report.tables())))) {
            Sheet districts = book.getSheet("各区状态");
            assertThat(districts.getRow(0).getCell(5).getStringCellValue()).isEqualTo("目标日期");
            Row huangpu = districts.getRow(1);
            assertThat(huangpu.getCell(3).getStringCellValue()).isEqualTo("已采纳");
            assertThat(DateUtil.isCellDateFormatted(huangpu.getCell(5))).isTrue();
            assertThat(huangpu.getCell(5).getLocalDateTimeCellValue().toLocalDate()).isEqualTo(LocalDate.of(2027, 6, 30));
            assertThat(huangpu.getCell(8).getStringCellValue()).isEqualTo("按计划推进");
            assertNumeric(huangpu.getCell(9), 3);
            assertThat(districts.getRow(2).getCell(5)).as("no target date reported").isNull();
            assertThat(districts.getRow(2).getCell(8).getStringCellValue()).isEqualTo("目标日期已过");
            assertThat(districts.getRow(3).getCell(3)).as("the origin: no detail, no decision").isNull();
        }
    }

    @Test
    void measuresSheetNamesTheDistrictsWhereEachMeasureIsLiveAndSkipsMeasuresNotYetReported() {
        Table measures = report.measures();
        assertThat(measures.rows()).hasSize(2);
        assertThat(measures.rows().get(0)).containsExactly("M1", "繁简分流合规程序", 1, "黄浦区", "", "");
        assertThat(measures.rows().get(1)).containsExactly("M2", "第三方监督评估机制", 0, "", "黄浦区", "");
    }

    @Test
    void outcomesSheetPutsTheValueBesideTheOriginsReferenceAsNumbers() throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(Workbooks.write(report.tables())))) {
            Row row = book.getSheet("成效").getRow(1);
            assertThat(row.getCell(0).getStringCellValue()).isEqualTo("黄浦区");
            assertThat(row.getCell(3).getStringCellValue()).isEqualTo("2026-10");
            assertNumeric(row.getCell(4), 31.5);
            assertNumeric(row.getCell(6), 26);
            assertThat(DateUtil.isCellDateFormatted(row.getCell(7))).isTrue();
        }
    }

    @Test
    void timelineListsStageChangesOldestFirstWithChineseStageNames() {
        Table timeline = report.timeline();
        assertThat(timeline.rows()).hasSize(3);
        assertThat(timeline.rows().get(0)).containsSubsequence("黄浦区", "案例整体", "未开始", "已采纳");
        assertThat(timeline.rows().get(1)).containsSubsequence("徐汇区", "案例整体", "未开始", "已采纳");
        assertThat(timeline.rows().get(2)).containsSubsequence("黄浦区", "繁简分流合规程序", null, "已上线");
    }
}
