package sh.reform.status.bulletin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import sh.reform.schema.bulletin.IssuedBulletin;

/**
 * A bulletin as .xlsx: a cover sheet (batch, period, version, issue date, reason), then one sheet per section with
 * typed cells (numbers as numbers, rates as percentages, dates as dates) and the header row frozen.
 */
final class BulletinWorkbook {

    private BulletinWorkbook() {
    }

    static byte[] write(Bulletin b, IssuedBulletin issued) {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle header = wb.createCellStyle();
            Font bold = wb.createFont();
            bold.setBold(true);
            header.setFont(bold);
            CellStyle percent = wb.createCellStyle();
            percent.setDataFormat(wb.createDataFormat().getFormat("0.0%"));
            CellStyle decimal = wb.createCellStyle();
            decimal.setDataFormat(wb.createDataFormat().getFormat("0.00"));
            CellStyle date = wb.createCellStyle();
            date.setDataFormat(wb.createDataFormat().getFormat("yyyy-mm-dd"));
            CellStyle time = wb.createCellStyle();
            time.setDataFormat(wb.createDataFormat().getFormat("yyyy-mm-dd hh:mm"));

            Sheet cover = wb.createSheet("通报");
            String[][] facts = {
                    {"标题", b.batchId() + " " + b.periodLabelZh() + " 复制推广情况通报"},
                    {"批次", b.batchId()},
                    {"时段", b.periodCode() + "（" + b.periodFirst() + " 至 " + b.periodLast() + "）"},
                    {"数据截至", BulletinTables.text(b.asOf()) + "（上海时间）"},
                    {"版本", issued == null ? "预览（未签发）" : "第 " + issued.getVersion() + " 版"},
                    {"签发时间", issued == null ? "" : BulletinTables.text(ShanghaiTimes.of(issued.getIssuedAt()))},
                    {"签发人", issued == null ? "" : issued.getIssuedBy()},
                    {"签发理由", issued == null || issued.getReason() == null ? "" : issued.getReason()}};
            for (int i = 0; i < facts.length; i++) {
                Row r = cover.createRow(i);
                Cell k = r.createCell(0);
                k.setCellValue(facts[i][0]);
                k.setCellStyle(header);
                r.createCell(1).setCellValue(facts[i][1]);
            }
            cover.setColumnWidth(0, 12 * 256);
            cover.setColumnWidth(1, 60 * 256);

            for (BulletinTables.Section s : BulletinTables.of(b)) {
                Sheet sheet = wb.createSheet(s.sheetName());
                Row h = sheet.createRow(0);
                List<BulletinTables.Column> cols = s.columns();
                for (int c = 0; c < cols.size(); c++) {
                    Cell cell = h.createCell(c);
                    cell.setCellValue(cols.get(c).header());
                    cell.setCellStyle(header);
                    sheet.setColumnWidth(c, Math.min(255, Math.round(cols.get(c).width() * 12)) * 256);
                }
                sheet.createFreezePane(0, 1);
                for (int i = 0; i < s.rows().size(); i++) {
                    Row r = sheet.createRow(i + 1);
                    List<Object> values = s.rows().get(i);
                    for (int c = 0; c < values.size(); c++) {
                        Object v = values.get(c);
                        if (v == null) {
                            continue; // an empty cell: the figure does not apply
                        }
                        Cell cell = r.createCell(c);
                        if (v instanceof BulletinTables.Rate rate) {
                            cell.setCellValue(rate.value());
                            cell.setCellStyle(percent);
                        } else if (v instanceof Integer n) {
                            cell.setCellValue(n);
                        } else if (v instanceof Double d) {
                            cell.setCellValue(d);
                            cell.setCellStyle(decimal);
                        } else if (v instanceof LocalDate d) {
                            cell.setCellValue(d);
                            cell.setCellStyle(date);
                        } else if (v instanceof OffsetDateTime t) {
                            cell.setCellValue(t.toLocalDateTime());
                            cell.setCellStyle(time);
                        } else {
                            cell.setCellValue(v.toString());
                        }
                    }
                }
            }
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
