package sh.reform.dashboard.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One sheet of an export: Chinese column headers, each with the type its values have in Excel, and the
 * rows. The same table becomes an .xlsx sheet ({@link Workbooks}) or a CSV file ({@link CsvFiles}).
 *
 * @param name sheet name (at most 31 characters, as Excel requires)
 */
public record Table(String name, List<Column> columns, List<List<Object>> rows) {

    /** How a column's values are written: numbers as numbers, dates as dates, the rest as text. */
    public enum Type {
        TEXT, INTEGER, DECIMAL, PERCENT, DATE, DATE_TIME
    }

    /** @param width in characters */
    public record Column(String header, Type type, int width) {
    }

    public Table {
        Objects.requireNonNull(name, "name");
        if (name.length() > 31) {
            throw new IllegalArgumentException("an Excel sheet name has at most 31 characters: " + name);
        }
        columns = List.copyOf(columns);
        for (List<Object> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row of " + row.size() + " values for " + columns.size() + " columns in " + name);
            }
        }
        rows = List.copyOf(rows);
    }

    public List<String> headers() {
        return columns.stream().map(Column::header).toList();
    }

    /** Builds a table row by row. */
    public static final class Builder {
        private final String name;
        private final List<Column> columns = new ArrayList<>();
        private final List<List<Object>> rows = new ArrayList<>();

        public Builder(String name) {
            this.name = name;
        }

        public Builder column(String header, Type type, int width) {
            columns.add(new Column(header, type, width));
            return this;
        }

        /** Values in column order; null leaves the cell empty. */
        public Builder row(Object... values) {
            rows.add(java.util.Collections.unmodifiableList(new ArrayList<>(Arrays.asList(values))));
            return this;
        }

        public Table build() {
            return new Table(name, columns, rows);
        }
    }
}
