package sh.reform.shared.reporting;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import sh.reform.catalog.FieldError;
import tools.jackson.databind.JsonNode;

/**
 * Reads the fields of one report — a JSON object, or a CSV/Excel row turned into one — with
 * every problem recorded as a {@link FieldError} (Chinese and English) instead of an exception.
 * Numbers and dates given as text (as a spreadsheet cell gives them) are accepted.
 */
public final class ReportFields {

    public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private final JsonNode node;
    private final String prefix;
    private final List<FieldError> errors;

    public ReportFields(JsonNode node, String prefix, List<FieldError> errors) {
        this.node = node;
        this.prefix = prefix == null ? "" : prefix;
        this.errors = errors;
    }

    public String path(String field) {
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public void error(String field, String code, String zh, String en) {
        errors.add(new FieldError(path(field), code, zh, en));
    }

    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull() && !(v.isString() && v.asString().isBlank());
    }

    public JsonNode raw(String field) {
        return node.get(field);
    }

    public String text(String field, boolean required, int maxLength) {
        if (!has(field)) {
            if (required) {
                errors.add(FieldError.required(path(field)));
            }
            return null;
        }
        JsonNode v = node.get(field);
        if (!v.isValueNode()) {
            error(field, "type", "应为文本", "must be text");
            return null;
        }
        String s = v.asString().strip();
        if (s.length() > maxLength) {
            error(field, "too-long", "过长（最多 " + maxLength + " 个字符）", "too long (at most " + maxLength + " characters)");
            return null;
        }
        return s;
    }

    public Double number(String field, boolean required) {
        if (!has(field)) {
            if (required) {
                errors.add(FieldError.required(path(field)));
            }
            return null;
        }
        JsonNode v = node.get(field);
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isString()) {
            try {
                double d = new BigDecimal(v.asString().strip().replace(",", "")).doubleValue();
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        error(field, "type", "应为数字，收到“" + abbreviate(v) + "”", "must be a number, got '" + abbreviate(v) + "'");
        return null;
    }

    public Long wholeNumber(String field, boolean required) {
        Double d = number(field, required);
        if (d == null) {
            return null;
        }
        if (d != Math.rint(d)) {
            error(field, "type", "应为整数", "must be a whole number");
            return null;
        }
        return d.longValue();
    }

    /**
     * The common form {@code 2026-11-20T10:00:00+08:00} (or {@code ...Z}) read without the
     * general formatter, which is a large part of reading a report; null for anything else (also
     * for an impossible date or offset), which the general parsers then read or reject as before.
     */
    static Instant plainOffsetDateTime(String s) {
        int n = s.length();
        if (n != 20 && n != 25 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int offsetSeconds;
        if (n == 20) {
            if (s.charAt(19) != 'Z') {
                return null;
            }
            offsetSeconds = 0;
        } else {
            char sign = s.charAt(19);
            int oh = digits(s, 20, 2);
            int om = digits(s, 23, 2);
            if (sign != '+' && sign != '-' || s.charAt(22) != ':' || oh < 0 || om < 0 || oh > 18 || om > 59 || oh == 18 && om > 0) {
                return null;
            }
            offsetSeconds = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(java.time.ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public UUID uuid(String field, boolean required) {
        String s = text(field, required, 64);
        if (s == null) {
            return null;
        }
        try {
            UUID u = UUID.fromString(s);
            if (u.toString().equalsIgnoreCase(s)) {
                return u;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        error(field, "format", "应为 UUID，如 3f2b8c1e-6d4a-4e8f-9a57-0c1d2e3f4a5b", "must be a UUID, e.g. 3f2b8c1e-6d4a-4e8f-9a57-0c1d2e3f4a5b");
        return null;
    }

    /** An instant: ISO with offset, or a local date-time / date read in Asia/Shanghai. */
    public Instant instant(String field, boolean required) {
        String s = text(field, required, 40);
        if (s == null) {
            return null;
        }
        Instant fast = plainOffsetDateTime(s);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e1) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDateTime.parse(s.replace(' ', 'T')).atZone(SHANGHAI).toInstant();
                } catch (DateTimeParseException e3) {
                    try {
                        return LocalDate.parse(s).atStartOfDay(SHANGHAI).toInstant();
                    } catch (DateTimeParseException e4) {
                        error(field, "format", "时间格式不对，应如 2026-11-20T10:00:00+08:00 或 2026-11-20",
                                "malformed time; expected e.g. 2026-11-20T10:00:00+08:00 or 2026-11-20");
                        return null;
                    }
                }
            }
        }
    }

    public LocalDate date(String field, boolean required) {
        String s = text(field, required, 40);
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s.length() > 10 && s.charAt(10) == 'T' ? s.substring(0, 10) : s);
        } catch (DateTimeParseException e) {
            error(field, "format", "日期格式不对，应如 2027-06-30", "malformed date; expected e.g. 2027-06-30");
            return null;
        }
    }

    public <E extends Enum<E>> E enumValue(String field, Class<E> type, boolean required, E dflt) {
        String s = text(field, required, 40);
        if (s == null) {
            return dflt;
        }
        try {
            E e = Enum.valueOf(type, s.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (!e.name().equals("UNKNOWN")) {
                return e;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (!e.name().equals("UNKNOWN")) {
                allowed.add(e.name());
            }
        }
        error(field, "unknown-value", "取值“" + s + "”无效，应为：" + String.join("、", allowed),
                "'" + s + "' is not one of " + String.join(", ", allowed));
        return dflt;
    }

    public List<String> textList(String field) {
        if (!has(field)) {
            return List.of();
        }
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isString() || v.get(i).asString().isBlank()) {
                    errors.add(new FieldError(path(field) + "[" + i + "]", "type", "应为文本", "must be text"));
                } else {
                    out.add(v.get(i).asString().strip());
                }
            }
        } else if (v.isString()) {
            // a spreadsheet cell: "M1;M2" or "M1,M2" or "M1、M2"
            for (String s : v.asString().split("[;,，、；\\s]+")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        } else {
            error(field, "type", "应为文本列表", "must be a list of text");
        }
        return out;
    }

    /** A nested object's fields, or null when absent. */
    public ReportFields object(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode v = node.get(field);
        if (!v.isObject()) {
            error(field, "type", "应为对象", "must be an object");
            return null;
        }
        return new ReportFields(v, path(field), errors);
    }

    private static String abbreviate(JsonNode v) {
        String s = v.isString() ? v.asString() : v.toString();
        return s.length() > 30 ? s.substring(0, 30) + "…" : s;
    }
}
