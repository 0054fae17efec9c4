package sh.reform.catalog;

import java.util.Optional;
import java.util.Set;

/**
 * A scaled unit as the source documents write it — a Chinese magnitude prefix before the counted
 * unit ("2.5 万批", "3039 万元", "4 亿元", "5 千家") — split into its factor and its base unit, so a
 * figure can be kept as stated for display and also held in base units for comparing and summing.
 *
 * @param factor   what one of the unit is worth in base units (万 = 10 000, 亿 = 100 000 000, …)
 * @param baseUnit the unit without the prefix ("批", "元", "家")
 */
public record UnitScale(double factor, String baseUnit) {

    /** Longest prefixes first, so 千万 is not read as 千. */
    private static final String[] PREFIXES = {"万亿", "千万", "百万", "亿", "万", "千"};
    private static final double[] FACTORS = {1e12, 1e7, 1e6, 1e8, 1e4, 1e3};
    /** Units that start with a magnitude character but are units of their own, not scaled counts. */
    private static final Set<String> OWN_UNITS = Set.of("千米", "千克", "千瓦", "千瓦时", "千伏", "千帕", "千卡", "千字节");

    /** The scale of {@code unit}, or empty when the unit carries no magnitude prefix. */
    public static Optional<UnitScale> of(String unit) {
        if (unit == null) {
            return Optional.empty();
        }
        String u = unit.strip();
        if (OWN_UNITS.contains(u)) {
            return Optional.empty();
        }
        for (int i = 0; i < PREFIXES.length; i++) {
            if (u.startsWith(PREFIXES[i]) && u.length() > PREFIXES[i].length()) {
                return Optional.of(new UnitScale(FACTORS[i], u.substring(PREFIXES[i].length())));
            }
        }
        return Optional.empty();
    }

    /** {@code value} in base units. */
    public double toBase(double value) {
        return value * factor;
    }

    /** Whether {@code base} is {@code value} in base units (to rounding of the decimal figure). */
    public boolean matches(double value, double base) {
        double expected = toBase(value);
        return Math.abs(expected - base) <= Math.max(1e-6, Math.abs(expected) * 1e-9);
    }
}
