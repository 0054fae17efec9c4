package sh.reform.catalog;

/**
 * An administrative unit in the hierarchy nation → province → city → district (county), with
 * its GB/T 2260 code. Shanghai, a province-level municipality, holds its districts directly.
 */
public record Jurisdiction(String code, Level level, String nameZh, String nameEn, String parent) {

    public enum Level { NATION, PROVINCE, CITY, DISTRICT }

    /** Whether events can be reported for this unit (the county level, where reforms are carried out). */
    public boolean reports() {
        return level == Level.DISTRICT;
    }
}
