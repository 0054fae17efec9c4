package sh.reform.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Percentiles of one sample, and the median and spread of a figure over repeated runs. */
final class Stats {

    private Stats() {
    }

    /** The p-th percentile (0–100) of values, nearest-rank. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    static double[] toArray(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Median, min and max of a figure over repeats. */
    record Spread(double median, double min, double max, int runs) {
        static Spread of(List<Double> runs) {
            double[] v = toArray(runs);
            Arrays.sort(v);
            double median = v.length == 0 ? Double.NaN
                    : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Spread(median, v.length == 0 ? Double.NaN : v[0], v.length == 0 ? Double.NaN : v[v.length - 1], v.length);
        }

        String text(String unit) {
            return String.format(Locale.ROOT, "%s %s (min %s, max %s, %d runs)", fmt(median), unit, fmt(min), fmt(max), runs);
        }
    }

    static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "n/a";
        }
        return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.2f", d);
    }

    /** Collects one named figure across repeats. */
    static final class Series {
        final String name;
        final String unit;
        final List<Double> runs = new ArrayList<>();

        Series(String name, String unit) {
            this.name = name;
            this.unit = unit;
        }

        void add(double v) {
            runs.add(v);
        }

        Spread spread() {
            return Spread.of(runs);
        }
    }
}
