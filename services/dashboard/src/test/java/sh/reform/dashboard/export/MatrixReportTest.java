package sh.reform.dashboard.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

class MatrixReportTest {

    static final OffsetDateTime EXPORTED = OffsetDateTime.parse("2026-11-25T09:00:00+08:00");

    @Test
    void matrixWorkbookHasChineseHeadersAndOneTypedRowPerCaseAndDistrict() throws IOException {
        byte[] xlsx = Workbooks.write(MatrixReport.tables(ExportFixtures.matrix(), ExportFixtures.catalog(), EXPORTED));

        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            assertThat(book.getSheetAt(0).getSheetName()).isEqualTo("矩阵明细");
            Sheet detail = book.getSheet("矩阵明细");
            Row header = detail.getRow(0);
            assertThat(header.getCell(0).getStringCellValue()).isEqualTo("案例编号");
            assertThat(header.getCell(1).getStringCellValue()).isEqualTo("排名");
            assertThat(header.getCell(13).getStringCellValue()).isEqualTo("进度");
            assertThat(header.getCell(15).getStringCellValue()).isEqualTo("最近报送");
            assertThat(detail.getLastRowNum()).isEqualTo(6);

            Row huangpu = detail.getRow(1);
            assertThat(huangpu.getCell(0).getStringCellValue()).isEqualTo("SH-2023-01");
            assertNumeric(huangpu.getCell(1), 1);           // 排名
            assertThat(huangpu.getCell(3).getStringCellValue()).isEqualTo("法治保障");
            assertThat(huangpu.getCell(4).getStringCellValue()).isEqualTo("金山区");
            assertThat(huangpu.getCell(8).getStringCellValue()).isEqualTo("已上线");
            assertThat(huangpu.getCell(9).getStringCellValue()).isEqualTo("绿");
            assertNumeric(huangpu.getCell(11), 3);          // 已上线举措
            assertNumeric(huangpu.getCell(12), 3);          // 计划举措
            assertNumeric(huangpu.getCell(13), 1.0);        // 进度, a fraction shown as a percentage
            assertThat(huangpu.getCell(13).getCellStyle().getDataFormatString()).isEqualTo("0.0%");
            assertNumeric(huangpu.getCell(14), 5);          // 事件数
            Cell reported = huangpu.getCell(15);
            assertThat(reported.getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(DateUtil.isCellDateFormatted(reported)).isTrue();
            assertThat(reported.getLocalDateTimeCellValue()).isEqualTo(LocalDateTime.of(2026, 11, 20, 10, 30));

            Row xuhui = detail.getRow(2);
            assertThat(xuhui.getCell(9).getStringCellValue()).isEqualTo("红");
            assertThat(xuhui.getCell(10).getStringCellValue()).isEqualTo("目标日期已过仍未全面上线");

            Row origin = detail.getRow(3);
            assertThat(origin.getCell(7).getStringCellValue()).isEqualTo("是");
            assertThat(origin.getCell(8).getStringCellValue()).isEqualTo("首创区");
            assertThat(origin.getCell(13)).as("no progress: an empty cell, not a zero").isNull();
            assertThat(origin.getCell(15)).as("never reported: no date").isNull();
        }
    }

    @Test
    void gridSheetShowsEachCaseAgainstEveryDistrictWithTheAdoptingCount() throws IOException {
        byte[] xlsx = Workbooks.write(MatrixReport.tables(ExportFixtures.matrix(), ExportFixtures.catalog(), EXPORTED));

        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet grid = book.getSheet("矩阵");
            assertThat(grid.getRow(0).getCell(3).getStringCellValue()).isEqualTo("黄浦区");
            assertThat(grid.getRow(0).getCell(6).getStringCellValue()).isEqualTo("已复制区数");
            Row first = grid.getRow(1);
            assertNumeric(first.getCell(0), 1);
            assertThat(first.getCell(3).getStringCellValue()).isEqualTo("已上线");
            assertThat(first.getCell(4).getStringCellValue()).isEqualTo("已采纳");
            assertThat(first.getCell(5).getStringCellValue()).isEqualTo("首创区");
            assertNumeric(first.getCell(6), 2);
            assertNumeric(grid.getRow(2).getCell(6), 1); // a paused district has adopted
            assertThat(book.getSheet("说明").getRow(1).getCell(1).getStringCellValue()).isEqualTo("SH-2023");
        }
    }

    @Test
    void matrixCsvStartsWithAByteOrderMarkAndWritesNumbersAndTimesPlainly() {
        String csv = new String(CsvFiles.write(MatrixReport.detail(ExportFixtures.matrix(), ExportFixtures.catalog())), StandardCharsets.UTF_8);

        String[] lines = csv.split("\r\n");
        assertThat(lines).hasSize(7);
        assertThat(lines[0]).startsWith("\uFEFF案例编号,排名,案例名称,领域,首创区,区代码,区,是否首创区,阶段,红黄绿");
        assertThat(lines[1]).isEqualTo("SH-2023-01,1,精耕企业合规“实验田”,法治保障,金山区,310101,黄浦区,否,已上线,绿,,3,3,1,5,2026-11-20T10:30:00+08:00");
        assertThat(lines[6]).contains(",已暂停,黄,,1,4,0.25,2,");
    }

    @Test
    void aSheetNameLongerThanExcelAllowsIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Table.Builder("x".repeat(32)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    static void assertNumeric(Cell cell, double expected) {
        assertThat(cell.getCellType()).isEqualTo(CellType.NUMERIC);
        assertThat(cell.getNumericCellValue()).isEqualTo(expected);
    }
}
