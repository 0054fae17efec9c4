package sh.reform.catalog;

/**
 * One refusal of one field, in the users' languages: Simplified Chinese first, English second.
 *
 * @param field JSON-pointer-like path of the field, e.g. {@code cases[3].metrics[0].unit}
 * @param code  stable machine code, e.g. {@code required}, {@code unknown-district}
 */
public record FieldError(String field, String code, String messageZh, String messageEn) {

    public static FieldError required(String field) {
        return new FieldError(field, "required", "必填项缺失：" + field, "required field is missing: " + field);
    }

    @Override
    public String toString() {
        return field + ": " + messageZh + " / " + messageEn;
    }
}
