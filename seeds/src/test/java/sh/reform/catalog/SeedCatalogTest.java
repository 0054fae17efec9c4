package sh.reform.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.catalog.CatalogMetric;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class SeedCatalogTest {

    static final Catalog CATALOG = SeedCatalog.load();

    @Test
    void holdsExactlyTwentyCasesFor2023RankedOneToTwenty() {
        List<CatalogCase> cases = CATALOG.casesOf("SH-2023");
        assertThat(cases).hasSize(20);
        assertThat(cases.stream().map(CatalogCase::getRank)).containsExactlyElementsOf(
                Stream.iterate(1, i -> i + 1).limit(20).toList());
        assertThat(cases).allSatisfy(c -> assertThat(c.getYear()).isEqualTo(2023));
    }

    @Test
    void everyDistrictIsTheOriginOfAtLeastOneCase() {
        Set<String> origins = CATALOG.cases().stream().map(CatalogCase::getOriginDistrict).collect(Collectors.toSet());
        assertThat(CATALOG.districts()).hasSize(16);
        assertThat(origins).containsExactlyInAnyOrderElementsOf(CATALOG.districts().stream().map(Jurisdiction::code).toList());
    }

    @Test
    void districtsCarryTheirGbT2260CodesUnderShanghai() {
        Map<String, String> expected = Map.ofEntries(Map.entry("310101", "黄浦区"), Map.entry("310104", "徐汇区"),
                Map.entry("310105", "长宁区"), Map.entry("310106", "静安区"), Map.entry("310107", "普陀区"),
                Map.entry("310109", "虹口区"), Map.entry("310110", "杨浦区"), Map.entry("310112", "闵行区"),
                Map.entry("310113", "宝山区"), Map.entry("310114", "嘉定区"), Map.entry("310115", "浦东新区"),
                Map.entry("310116", "金山区"), Map.entry("310117", "松江区"), Map.entry("310118", "青浦区"),
                Map.entry("310120", "奉贤区"), Map.entry("310151", "崇明区"));
        expected.forEach((code, name) -> {
            Jurisdiction j = CATALOG.jurisdiction(code).orElseThrow();
            assertThat(j.nameZh()).isEqualTo(name);
            assertThat(j.parent()).isEqualTo("310000");
            assertThat(j.nameEn()).isNotBlank();
        });
        assertThat(CATALOG.jurisdiction("310000").orElseThrow().parent()).isEqualTo("100000");
    }

    @Test
    void everyCaseHasAtLeastTwoNamedMeasuresAndEveryMetricAUnit() {
        assertThat(CATALOG.cases()).allSatisfy(c -> {
            assertThat(c.getMeasures()).as(c.getCaseId()).hasSizeGreaterThanOrEqualTo(2);
            c.getMeasures().forEach(m -> assertThat(m.getNameZh()).isNotBlank());
            c.getMetrics().forEach(k -> assertThat(k.getUnit()).as(k.getMetricId()).isNotBlank());
            assertThat(c.getTitleEn()).isNotBlank();
            assertThat(c.getSummaryZh()).isNotBlank();
            assertThat(c.getSummaryEn()).isNotBlank();
            assertThat(c.getContentHash()).hasSize(64);
        });
    }

    @Test
    void recordsTheEarlierBatchesWithoutInventingTheirCases() {
        var earlier = CATALOG.batches().stream().filter(b -> !b.getBatchId().equals("SH-2023")).toList();
        assertThat(earlier).hasSize(3).allSatisfy(b -> assertThat(b.getCasesListed()).isFalse());
        assertThat(CATALOG.cases()).allSatisfy(c -> assertThat(c.getBatchId()).isEqualTo("SH-2023"));
    }

    static List<JsonNode> spotChecks() throws Exception {
        try (InputStream in = SeedCatalogTest.class.getClassLoader().getResourceAsStream("catalog/spot-checks.yaml")) {
            JsonNode root = YAMLMapper.builder().build().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<JsonNode> out = new ArrayList<>();
            root.path("spotChecks").forEach(out::add);
            return out;
        }
    }

    @Test
    void spotCheckTableIsSubstantial() throws Exception {
        List<JsonNode> checks = spotChecks();
        assertThat(checks).hasSizeGreaterThanOrEqualTo(80);
        assertThat(checks.stream().filter(c -> c.has("metricId")).count()).isGreaterThanOrEqualTo(45);
        assertThat(checks.stream().filter(c -> c.has("measureId")).count()).isGreaterThanOrEqualTo(15);
        assertThat(checks.stream().filter(c -> c.has("expectedBaseValue")).count()).isGreaterThanOrEqualTo(5);
        assertThat(checks).allSatisfy(c -> assertThat(c.path("evidence").asString()).matches("\\d{3}: .+"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spotChecks")
    void figuresMatchTheSourceDocuments(JsonNode check) {
        CatalogCase c = CATALOG.caseById(check.path("caseId").asString()).orElseThrow();
        if (check.has("metricId")) {
            CatalogMetric m = CATALOG.metric(c.getCaseId(), check.path("metricId").asString()).orElseThrow();
            assertThat(m.getReference()).anySatisfy(r -> {
                assertThat(r.getValue()).isEqualTo(check.path("expectedValue").asDouble());
                if (check.has("expectedQualifier")) {
                    assertThat(r.getQualifier().name()).isEqualTo(check.path("expectedQualifier").asString());
                }
            });
            if (check.has("expectedUnit")) {
                assertThat(m.getUnit()).isEqualTo(check.path("expectedUnit").asString());
            }
            if (check.has("expectedBaseValue")) {
                assertThat(m.getBaseUnit()).isEqualTo(check.path("expectedBaseUnit").asString());
                assertThat(m.getReference()).anySatisfy(r -> {
                    assertThat(r.getValue()).isEqualTo(check.path("expectedValue").asDouble());
                    assertThat(r.getBaseValue()).isEqualTo(check.path("expectedBaseValue").asDouble());
                });
            }
            return;
        }
        if (check.has("measureId")) {
            var measure = c.getMeasures().stream()
                    .filter(x -> x.getMeasureId().equals(check.path("measureId").asString())).findFirst().orElseThrow();
            assertThat(measure.getDescriptionZh()).contains(check.path("expectedText").asString());
            return;
        }
        String expected = check.path("expected").asString();
        Object actual = switch (check.path("field").asString()) {
            case "rank" -> String.valueOf(c.getRank());
            case "originDistrict" -> c.getOriginDistrict();
            case "leadAgency" -> c.getLeadAgency();
            case "titleZh" -> c.getTitleZh();
            case "domain" -> c.getDomain();
            default -> throw new IllegalArgumentException("unknown spot-check field " + check.path("field"));
        };
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void refusesABatchWithUnknownDistrictDuplicateIdUnnamedMeasureAndUnitlessMetric() throws Exception {
        String yaml = """
                - id: SH-2024-01
                  rank: 1
                  originDistrict: "999999"
                  titleZh: 测试
                  domain: REGULATION
                  measures:
                    - id: SH-2024-01-M1
                  metrics:
                    - id: SH-2024-01-K1
                      nameZh: 办件量
                - id: SH-2023-01
                  rank: 2
                  originDistrict: "310116"
                  titleZh: 重复
                  domain: REGULATION
                  measures:
                    - id: SH-2023-01-M1
                      nameZh: 一
                """;
        JsonNode list = YAMLMapper.builder().build().readTree(yaml);
        CaseReader reader = new CaseReader();
        List<CatalogCase> read = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            CatalogCase c = reader.readCase(list.get(i), "cases[" + i + "]", "SH-2024", 2024);
            if (c != null) {
                read.add(c);
                paths.add("cases[" + i + "]");
            }
        }
        List<FieldError> errors = new ArrayList<>(reader.errors());
        errors.addAll(CatalogValidator.validate(CATALOG, read, paths, false));
        assertThat(errors).extracting(FieldError::field)
                .contains("cases[0].measures[0].nameZh", "cases[0].metrics[0].unit", "cases[1].id");
        assertThat(errors).allSatisfy(e -> {
            assertThat(e.messageZh()).isNotBlank();
            assertThat(e.messageEn()).isNotBlank();
        });

        CatalogCase unknownDistrict = CatalogCase.newBuilder(CATALOG.caseById("SH-2023-01").orElseThrow())
                .setCaseId("SH-2024-01").setBatchId("SH-2024").setOriginDistrict("999999").build();
        assertThat(CatalogValidator.validate(CATALOG, List.of(unknownDistrict), List.of("cases[0]"), false))
                .extracting(FieldError::code).contains("unknown-district");
    }

    @Test
    void everyScaledFigureIsAlsoHeldInItsBaseUnit() {
        assertThat(CATALOG.cases().stream().flatMap(c -> c.getMetrics().stream())).allSatisfy(k -> {
            UnitScale scale = UnitScale.of(k.getUnit()).orElse(null);
            if (scale == null) {
                assertThat(k.getBaseUnit()).as(k.getMetricId()).isNull();
                k.getReference().forEach(r -> assertThat(r.getBaseValue()).as(k.getMetricId()).isNull());
            } else {
                assertThat(k.getBaseUnit()).as(k.getMetricId()).isEqualTo(scale.baseUnit());
                k.getReference().forEach(r -> assertThat(r.getBaseValue()).as(k.getMetricId()).isEqualTo(scale.toBase(r.getValue())));
            }
        });
        assertThat(UnitScale.of("万批")).contains(new UnitScale(1e4, "批"));
        assertThat(UnitScale.of("亿元")).contains(new UnitScale(1e8, "元"));
        assertThat(UnitScale.of("千家")).contains(new UnitScale(1e3, "家"));
        assertThat(UnitScale.of("千万元")).contains(new UnitScale(1e7, "元"));
        assertThat(UnitScale.of("个工作日")).isEmpty();
        assertThat(UnitScale.of("千米")).isEmpty();
        assertThat(UnitScale.of("万")).isEmpty();
    }

    @Test
    void refusesAScaledFigureWithoutItsBaseValueAndAMetricWithoutUnit() throws Exception {
        String yaml = """
                - id: SH-2024-01
                  rank: 1
                  originDistrict: "310116"
                  titleZh: 测试
                  domain: REGULATION
                  measures:
                    - id: SH-2024-01-M1
                      nameZh: 一
                  metrics:
                    - id: SH-2024-01-K1
                      nameZh: 进口批次
                      unit: 万批
                      reference:
                        - value: 2.5
                    - id: SH-2024-01-K2
                      nameZh: 金额
                      unit: 亿元
                      baseUnit: 万元
                      reference:
                        - value: 4
                          baseValue: 40000
                    - id: SH-2024-01-K3
                      nameZh: 企业数
                      unit: 家
                      baseUnit: 家
                      reference:
                        - value: 26
                          baseValue: 26
                    - id: SH-2024-01-K4
                      nameZh: 窗口数
                      unit: 万个
                      baseUnit: 个
                      reference:
                        - value: 1.2
                          baseValue: 12000
                          baseline: 2
                """;
        JsonNode list = YAMLMapper.builder().build().readTree(yaml);
        CaseReader reader = new CaseReader();
        CatalogCase c = reader.readCase(list.get(0), "cases[0]", "SH-2024", 2024);
        assertThat(reader.errors()).isEmpty();
        List<FieldError> errors = CatalogValidator.validate(CATALOG, List.of(c), List.of("cases[0]"), false);
        assertThat(errors).extracting(e -> e.field() + " " + e.code()).containsExactlyInAnyOrder(
                "cases[0].metrics[0].baseUnit base-unit-missing",
                "cases[0].metrics[0].reference[0].baseValue base-value-missing",
                "cases[0].metrics[1].baseUnit base-unit-mismatch",
                "cases[0].metrics[1].reference[0].baseValue base-value-mismatch",
                "cases[0].metrics[2].baseUnit unscaled-unit",
                "cases[0].metrics[2].reference[0].baseValue unscaled-unit",
                "cases[0].metrics[3].reference[0].baseBaseline base-value-missing");
        assertThat(errors).allSatisfy(e -> {
            assertThat(e.messageZh()).isNotBlank();
            assertThat(e.messageEn()).isNotBlank();
        });
        assertThat(errors.get(1).messageZh()).contains("2.5 万批", "25000 批");

        CatalogCase blankUnit = CatalogCase.newBuilder(CATALOG.caseById("SH-2023-01").orElseThrow()).setCaseId("SH-2024-02")
                .setBatchId("SH-2024").build();
        blankUnit.getMetrics().set(0, CatalogMetric.newBuilder(blankUnit.getMetrics().get(0)).setMetricId("SH-2024-02-K1").setUnit(" ").build());
        assertThat(CatalogValidator.validate(CATALOG, List.of(blankUnit), List.of("cases[0]"), false))
                .extracting(FieldError::field).contains("cases[0].metrics[0].unit");
    }

    @Test
    void invalidSeedFilesAreRefusedWithEveryProblemListed() {
        assertThatThrownBy(() -> SeedCatalog.read(name -> name.equals("jurisdictions.yaml")
                ? new java.io.ByteArrayInputStream("jurisdictions: [{code: '310116', level: DISTRICT}]".getBytes())
                : SeedCatalogTest.class.getClassLoader().getResourceAsStream("catalog/" + name)))
                .isInstanceOf(SeedCatalog.InvalidCatalogException.class)
                .hasMessageContaining("nameZh");
    }
}
