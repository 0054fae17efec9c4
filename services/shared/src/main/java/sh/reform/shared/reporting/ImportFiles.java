package sh.reform.shared.reporting;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import sh.reform.catalog.FieldError;
import sh.reform.shared.reporting.ReportingEngine.ImportRow;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an uploaded CSV or Excel (.xlsx) file into rows of fields. The first row holds the column
 * headers: a field name ({@code caseId}) or its Chinese alias ({@code 案例编号}). CSV may be UTF-8
 * (with or without BOM) or GB18030, as Chinese Excel saves it. Excel dates become ISO dates.
 */
public final class ImportFiles {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ImportFiles() {
    }

    public static List<ImportRow> parse(byte[] content, String filename, Map<String, String> aliases) {
        String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        if (name.endsWith(".xlsx")) {
            return xlsx(content, aliases);
        }
        if (name.endsWith(".csv") || name.endsWith(".txt")) {
            return csv(content, aliases);
        }
        throw ApiProblemException.invalid(List.of(new FieldError("file", "format",
                "仅支持 .csv 和 .xlsx 文件，收到“" + filename + "”", "only .csv and .xlsx files are supported, got '" + filename + "'")));
    }

    public static String digest(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<ImportRow> csv(byte[] content, Map<String, String> aliases) {
        String text = decode(content);
        try (CSVParser parser = CSVParser.parse(new StringReader(text), CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get())) {
            List<CSVRecord> records = parser.getRecords();
            if (records.isEmpty()) {
                return List.of();
            }
            List<String> fields = headers(records.get(0).toList(), aliases);
            List<ImportRow> rows = new ArrayList<>();
            for (int i = 1; i < records.size(); i++) {
                CSVRecord r = records.get(i);
                ObjectNode node = JSON.createObjectNode();
                boolean any = false;
                for (int c = 0; c < fields.size() && c < r.size(); c++) {
                    String v = r.get(c).strip();
                    if (!v.isEmpty()) {
                        node.put(fields.get(c), v);
                        any = true;
                    }
                }
                if (any) {
                    rows.add(new ImportRow((int) r.getRecordNumber(), node));
                }
            }
            return rows;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiProblemException a) {
                throw a;
            }
            throw ApiProblemException.invalid(List.of(new FieldError("file", "format", "CSV 文件无法解析：" + e.getMessage(),
                    "the CSV file cannot be read: " + e.getMessage())));
        }
    }

    static List<ImportRow> xlsx(byte[] content, Map<String, String> aliases) {
        try (Workbook wb = new XSSFWorkbook(new ByteArrayInputStream(content))) {
            Sheet sheet = wb.getSheetAt(0);
            DataFormatter fmt = new DataFormatter(Locale.ROOT);
            Row header = sheet.getRow(sheet.getFirstRowNum());
            if (header == null) {
                return List.of();
            }
            List<String> titles = new ArrayList<>();
            for (int c = 0; c < header.getLastCellNum(); c++) {
                Cell cell = header.getCell(c);
                titles.add(cell == null ? "" : fmt.formatCellValue(cell));
            }
            List<String> fields = headers(titles, aliases);
            List<ImportRow> rows = new ArrayList<>();
            for (int r = sheet.getFirstRowNum() + 1; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                if (row == null) {
                    continue;
                }
                ObjectNode node = JSON.createObjectNode();
                boolean any = false;
                for (int c = 0; c < fields.size(); c++) {
                    String v = cellText(row.getCell(c), fmt);
                    if (v != null && !v.isBlank()) {
                        node.put(fields.get(c), v.strip());
                        any = true;
                    }
                }
                if (any) {
                    rows.add(new ImportRow(r + 1, node));
                }
            }
            return rows;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiProblemException a) {
                throw a;
            }
            throw ApiProblemException.invalid(List.of(new FieldError("file", "format", "Excel 文件无法解析（需为 .xlsx）：" + e.getMessage(),
                    "the Excel file cannot be read (must be .xlsx): " + e.getMessage())));
        }
    }

    private static String cellText(Cell cell, DataFormatter fmt) {
        if (cell == null) {
            return null;
        }
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        return switch (type) {
            case NUMERIC -> {
                if (DateUtil.isCellDateFormatted(cell)) {
                    LocalDateTime t = cell.getLocalDateTimeCellValue();
                    yield t.toLocalTime().toSecondOfDay() == 0 ? t.toLocalDate().toString() : t.toString();
                }
                yield BigDecimal.valueOf(cell.getNumericCellValue()).stripTrailingZeros().toPlainString();
            }
            case STRING -> cell.getStringCellValue();
            case BOOLEAN -> Boolean.toString(cell.getBooleanCellValue());
            case BLANK, _NONE, ERROR -> null;
            default -> fmt.formatCellValue(cell);
        };
    }

    private static List<String> headers(List<String> titles, Map<String, String> aliases) {
        List<String> fields = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < titles.size(); i++) {
            String t = titles.get(i).replace("\uFEFF", "").strip();
            String f = resolve(t, aliases);
            if (f == null && !t.isEmpty()) {
                errors.add(new FieldError("header[" + (i + 1) + "]", "unknown-column", "无法识别的列名“" + t + "”，可用列名：" + aliases.keySet(),
                        "unknown column '" + t + "'; known columns: " + aliases.values()));
            }
            fields.add(f == null ? "_ignored_" + i : f);
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        return fields;
    }

    private static String resolve(String title, Map<String, String> aliases) {
        if (title.isEmpty()) {
            return null;
        }
        for (var e : aliases.entrySet()) {
            if (e.getKey().equalsIgnoreCase(title) || e.getValue().equalsIgnoreCase(title)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String decode(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return new String(content, Charset.forName("GB18030"));
        }
    }
}
