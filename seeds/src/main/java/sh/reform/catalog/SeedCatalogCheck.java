package sh.reform.catalog;

import java.nio.file.Path;

/** Build step: the seed catalog in the given folder parses, fits the Avro catalog schema and passes validation. */
public final class SeedCatalogCheck {

    private SeedCatalogCheck() {
    }

    public static void main(String[] args) {
        Catalog c = SeedCatalog.fromDirectory(Path.of(args[0]));
        System.out.printf("[seed-catalog] OK: %d jurisdictions (%d districts), %d domains, %d batches, %d cases%n",
                c.jurisdictions().size(), c.districts().size(), c.domains().size(), c.batches().size(), c.cases().size());
    }
}
