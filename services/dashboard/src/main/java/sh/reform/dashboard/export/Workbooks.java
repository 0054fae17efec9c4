package sh.reform.dashboard.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Writes tables as an .xlsx workbook with typed cells: integers, decimals and percentages as numeric
 * cells (percentages as fractions, shown with a % format), dates and times as Excel dates in
 * Asia/Shanghai; a bold header row that stays in view and an auto-filter on every sheet.
 */
public final class Workbooks {

    public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    public static final String MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private Workbooks() {
    }

    public static byte[] write(List<Table> tables) {
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Map<Table.Type, CellStyle> styles = styles(book);
            CellStyle header = headerStyle(book);
            for (Table table : tables) {
                Sheet sheet = book.createSheet(table.name());
                Row head = sheet.createRow(0);
                for (int c = 0; c < table.columns().size(); c++) {
                    Table.Column column = table.columns().get(c);
                    Cell cell = head.createCell(c);
                    cell.setCellValue(column.header());
                    cell.setCellStyle(header);
                    sheet.setColumnWidth(c, Math.min(255, Math.max(6, column.width())) * 256);
                }
                int r = 1;
                for (List<Object> values : table.rows()) {
                    Row row = sheet.createRow(r++);
                    for (int c = 0; c < values.size(); c++) {
                        write(row, c, table.columns().get(c).type(), values.get(c), styles);
                    }
                }
                sheet.createFreezePane(0, 1);
                if (!table.columns().isEmpty()) {
                    sheet.setAutoFilter(new CellRangeAddress(0, Math.max(0, r - 1), 0, table.columns().size() - 1));
                }
            }
            book.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Row row, int c, Table.Type type, Object value, Map<Table.Type, CellStyle> styles) {
        if (value == null) {
            return;
        }
        Cell cell = row.createCell(c);
        cell.setCellStyle(styles.get(type));
        switch (type) {
            case INTEGER, DECIMAL, PERCENT -> {
                if (value instanceof Number n) {
                    cell.setCellValue(n.doubleValue());
                } else {
                    cell.setCellValue(value.toString());
                }
            }
            case DATE -> {
                LocalDate date = value instanceof OffsetDateTime t ? t.atZoneSameInstant(SHANGHAI).toLocalDate()
                        : value instanceof LocalDateTime t ? t.toLocalDate() : (LocalDate) value;
                cell.setCellValue(date);
            }
            case DATE_TIME -> cell.setCellValue(localDateTime(value));
            case TEXT -> cell.setCellValue(value.toString());
        }
    }

    static LocalDateTime localDateTime(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t.atZoneSameInstant(SHANGHAI).toLocalDateTime().withNano(0);
        }
        if (value instanceof ZonedDateTime t) {
            return t.withZoneSameInstant(SHANGHAI).toLocalDateTime().withNano(0);
        }
        if (value instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        return ((LocalDateTime) value).withNano(0);
    }

    private static Map<Table.Type, CellStyle> styles(XSSFWorkbook book) {
        var formats = book.createDataFormat();
        Map<Table.Type, CellStyle> styles = new EnumMap<>(Table.Type.class);
        for (Table.Type type : Table.Type.values()) {
            CellStyle style = book.createCellStyle();
            String format = switch (type) {
                case INTEGER -> "0";
                case DECIMAL -> "#,##0.##";
                case PERCENT -> "0.0%";
                case DATE -> "yyyy-mm-dd";
                case DATE_TIME -> "yyyy-mm-dd hh:mm";
                case TEXT -> "@";
            };
            style.setDataFormat(formats.getFormat(format));
            styles.put(type, style);
        }
        return styles;
    }

    private static CellStyle headerStyle(XSSFWorkbook book) {
        CellStyle style = book.createCellStyle();
        Font font = book.createFont();
        font.setBold(true);
        style.setFont(font);
        style.setFillForegroundColor(IndexedColors.GREY_25_PERCENT.getIndex());
        style.setFillPattern(FillPatternType.SOLID_FOREGROUND);
        style.setBorderBottom(BorderStyle.THIN);
        return style;
    }
}
