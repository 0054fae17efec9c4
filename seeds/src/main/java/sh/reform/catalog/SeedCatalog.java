package sh.reform.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import sh.reform.schema.catalog.CatalogBatch;
import sh.reform.schema.catalog.CatalogCase;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The catalog as kept in {@code seeds/catalog/}: {@code jurisdictions.yaml}, {@code domains.yaml},
 * {@code batches.yaml}, and {@code cases-<year>.yaml} for each batch whose cases are listed.
 * Packaged on the class path under {@code catalog/}; {@link #fromDirectory} reads a working copy.
 */
public final class SeedCatalog {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private SeedCatalog() {
    }

    /**
     * The catalog packaged with the platform, or the one in the folder named by the system property
     * {@code reform.seeds.dir} (or {@code REFORM_SEEDS_DIR}): a deployment for other cities or the
     * national scale brings its own jurisdictions and batches that way.
     */
    public static Catalog load() {
        String dir = System.getProperty("reform.seeds.dir", System.getenv("REFORM_SEEDS_DIR"));
        if (dir != null && !dir.isBlank()) {
            return fromDirectory(Path.of(dir));
        }
        return read(name -> SeedCatalog.class.getClassLoader().getResourceAsStream("catalog/" + name));
    }

    public static Catalog fromDirectory(Path dir) {
        return read(name -> {
            Path f = dir.resolve(name);
            try {
                return Files.exists(f) ? Files.newInputStream(f) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Reads and validates; throws {@link InvalidCatalogException} listing every problem. */
    static Catalog read(Function<String, InputStream> files) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode jur = tree(files, "jurisdictions.yaml");
        List<Jurisdiction> jurisdictions = new ArrayList<>();
        CaseReader reader = new CaseReader();
        for (int i = 0; i < jur.path("jurisdictions").size(); i++) {
            JsonNode j = jur.path("jurisdictions").get(i);
            String p = "jurisdictions.yaml:jurisdictions[" + i + "]";
            String code = reader.text(j, p, "code", true);
            String nameZh = reader.text(j, p, "nameZh", true);
            String level = reader.text(j, p, "level", true);
            if (code != null && nameZh != null && level != null) {
                jurisdictions.add(new Jurisdiction(code, Jurisdiction.Level.valueOf(level.toUpperCase(Locale.ROOT)), nameZh,
                        reader.text(j, p, "nameEn", false), reader.text(j, p, "parent", false)));
            }
        }
        List<Domain> domains = new ArrayList<>();
        JsonNode dom = tree(files, "domains.yaml").path("domains");
        for (int i = 0; i < dom.size(); i++) {
            String p = "domains.yaml:domains[" + i + "]";
            domains.add(new Domain(reader.text(dom.get(i), p, "code", true), reader.text(dom.get(i), p, "nameZh", true),
                    reader.text(dom.get(i), p, "nameEn", false)));
        }
        List<CatalogBatch> batches = new ArrayList<>();
        JsonNode bat = tree(files, "batches.yaml").path("batches");
        for (int i = 0; i < bat.size(); i++) {
            CatalogBatch b = reader.readBatch(bat.get(i), "batches.yaml:batches[" + i + "]");
            if (b != null) {
                batches.add(b);
            }
        }
        Catalog base = new Catalog(jurisdictions, domains, batches, List.of());
        List<CatalogCase> cases = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (CatalogBatch b : batches) {
            if (!b.getCasesListed() || b.getYear() == null) {
                continue;
            }
            String file = "cases-" + b.getYear() + ".yaml";
            JsonNode doc = tree(files, file);
            if (!b.getBatchId().equals(doc.path("batch").asString(""))) {
                errors.add(new FieldError(file + ":batch", "mismatch", "批次应为 " + b.getBatchId(), "batch must be " + b.getBatchId()));
            }
            JsonNode list = doc.path("cases");
            for (int i = 0; i < list.size(); i++) {
                String p = file + ":cases[" + i + "]";
                CatalogCase c = reader.readCase(list.get(i), p, b.getBatchId(), b.getYear());
                if (c != null) {
                    cases.add(withHash(c));
                    paths.add(p);
                }
            }
        }
        errors.addAll(reader.errors());
        errors.addAll(CatalogValidator.validate(base, cases, paths, false));
        for (Jurisdiction j : jurisdictions) {
            if (j.parent() != null && jurisdictions.stream().noneMatch(o -> o.code().equals(j.parent()))) {
                errors.add(new FieldError("jurisdictions.yaml:" + j.code() + ".parent", "unknown-parent",
                        "上级区划 " + j.parent() + " 不存在", "parent " + j.parent() + " does not exist"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidCatalogException(errors);
        }
        return new Catalog(jurisdictions, domains, batches, cases);
    }

    static CatalogCase withHash(CatalogCase c) {
        return CatalogCase.newBuilder(c).setContentHash(CaseHashes.contentHash(c)).build();
    }

    private static JsonNode tree(Function<String, InputStream> files, String name) {
        try (InputStream in = files.apply(name)) {
            if (in == null) {
                throw new InvalidCatalogException(List.of(new FieldError(name, "missing", "目录文件缺失：" + name, "catalog file missing: " + name)));
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (tools.jackson.core.JacksonException e) {
            throw new InvalidCatalogException(List.of(new FieldError(name, "syntax", name + " 不是有效的 YAML：" + e.getOriginalMessage(),
                    name + " is not valid YAML: " + e.getOriginalMessage())));
        }
    }

    /** The catalog files break a rule; {@link #errors()} has every problem. */
    public static final class InvalidCatalogException extends RuntimeException {
        private final List<FieldError> errors;

        public InvalidCatalogException(List<FieldError> errors) {
            super("invalid catalog:\n  " + String.join("\n  ", errors.stream().map(FieldError::toString).toList()));
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }
}
