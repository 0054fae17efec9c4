package sh.reform.dashboard.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a table as CSV for Excel and scripts alike: UTF-8 with a byte-order mark (so Excel reads the
 * Chinese headers), CRLF, numbers as plain numbers (percentages as fractions, like the .xlsx),
 * dates as ISO dates and times as ISO times with the +08:00 offset.
 */
public final class CsvFiles {

    public static final String MEDIA_TYPE = "text/csv;charset=UTF-8";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private CsvFiles() {
    }

    public static byte[] write(Table table) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                CSVFormat.EXCEL.builder().setHeader(table.headers().toArray(String[]::new)).get())) {
            for (List<Object> row : table.rows()) {
                List<String> texts = new ArrayList<>(row.size());
                for (int c = 0; c < row.size(); c++) {
                    texts.add(text(table.columns().get(c).type(), row.get(c)));
                }
                printer.printRecord(texts);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String text(Table.Type type, Object value) {
        if (value == null) {
            return "";
        }
        return switch (type) {
            case INTEGER -> value instanceof Number n ? Long.toString(n.longValue()) : value.toString();
            case DECIMAL, PERCENT -> value instanceof Number n ? plain(n.doubleValue()) : value.toString();
            case DATE -> value instanceof OffsetDateTime t ? t.atZoneSameInstant(Workbooks.SHANGHAI).toLocalDate().toString()
                    : value instanceof LocalDate d ? d.toString() : value.toString();
            case DATE_TIME -> value instanceof OffsetDateTime t
                    ? t.atZoneSameInstant(Workbooks.SHANGHAI).toOffsetDateTime().withNano(0).format(TIME) : value.toString();
            case TEXT -> value.toString();
        };
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
