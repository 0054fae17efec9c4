package sh.reform.catalog;

/** A case domain of the catalog's controlled vocabulary, e.g. {@code REGULATION} 监管执法. */
public record Domain(String code, String nameZh, String nameEn) {
}
