package sh.reform.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic national catalog for the scale and replay benchmarks: the nation, 31 provinces,
 * {@code districts} county-level units (Shanghai's 16 real ones among them, with their real codes)
 * and one batch of {@code cases} cases with three measures and one metric each. Written as seed
 * files the platform reads through {@code REFORM_SEEDS_DIR}; the cases are placeholders, never
 * presented as real reforms.
 */
final class NationalSeeds {

    static final String[] SHANGHAI = {"310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112",
            "310113", "310114", "310115", "310116", "310117", "310118", "310120", "310151"};

    final List<String> districts = new ArrayList<>();
    final List<String> caseIds = new ArrayList<>();
    /** Province codes with at least one county in {@link #districts} (Shanghai's 310000 among them). */
    final List<String> provinces = new ArrayList<>();

    static NationalSeeds write(Path dir, int districtCount, int caseCount) {
        NationalSeeds s = new NationalSeeds();
        StringBuilder j = new StringBuilder("jurisdictions:\n");
        j.append(unit("100000", "NATION", "中华人民共和国", "China", null));
        for (int p = 11; p < 11 + 31; p++) {
            j.append(unit(p + "0000", "PROVINCE", "省级单位" + p, "Province " + p, "100000"));
        }
        s.provinces.add("310000");
        for (String code : SHANGHAI) {
            j.append(unit(code, "DISTRICT", "上海" + code, "Shanghai " + code, "310000"));
            s.districts.add(code);
        }
        int n = 0;
        outer:
        for (int p = 11; p < 11 + 31; p++) {
            for (int c = 1; c <= 99; c++) {
                if (p == 31) {
                    continue outer;
                }
                String code = String.format("%d%02d%02d", p, c / 10 + 1, c % 10 + 1);
                if (s.districts.contains(code)) {
                    continue;
                }
                j.append(unit(code, "DISTRICT", "区县" + code, "County " + code, p + "0000"));
                s.districts.add(code);
                if (!s.provinces.contains(p + "0000")) {
                    s.provinces.add(p + "0000");
                }
                if (++n + SHANGHAI.length >= districtCount) {
                    break outer;
                }
            }
        }
        StringBuilder cases = new StringBuilder("batch: CN-2026\ncases:\n");
        for (int i = 1; i <= caseCount; i++) {
            String id = String.format("CN-2026-%04d", i);
            s.caseIds.add(id);
            String origin = s.districts.get((i * 7) % s.districts.size());
            cases.append("  - id: ").append(id).append("\n    rank: ").append(i).append("\n    originDistrict: \"").append(origin)
                    .append("\"\n    titleZh: 基准测试用改革事项").append(i).append("\n    titleEn: Benchmark reform ").append(i)
                    .append("\n    domain: GOVERNMENT_SERVICES\n    summaryZh: 基准测试占位案例\n    summaryEn: Benchmark placeholder\n    measures:\n");
            for (int m = 1; m <= 3; m++) {
                cases.append("      - id: ").append(id).append("-M").append(m).append("\n        nameZh: 举措").append(m).append('\n');
            }
            cases.append("    metrics:\n      - id: ").append(id).append("-K1\n        nameZh: 网办率\n        unit: \"%\"\n        kind: PERCENT\n");
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("jurisdictions.yaml"), j.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("domains.yaml"), "domains:\n  - code: GOVERNMENT_SERVICES\n    nameZh: 政务服务\n    nameEn: Government services\n",
                    StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("batches.yaml"), "batches:\n  - id: CN-2026\n    year: 2026\n    titleZh: 基准测试批次\n    titleEn: Benchmark batch\n"
                    + "    caseCount: " + caseCount + "\n    casesListed: true\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("cases-2026.yaml"), cases.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    private static String unit(String code, String level, String zh, String en, String parent) {
        return "  - code: \"" + code + "\"\n    level: " + level + "\n    nameZh: " + zh + "\n    nameEn: " + en
                + "\n    parent: " + (parent == null ? "null" : "\"" + parent + "\"") + "\n";
    }
}
