package sh.reform.status.fold;

import java.util.List;
import java.util.stream.Collectors;

import sh.reform.schema.status.Health;

/**
 * The outcome of {@link HealthRules#evaluate}: the colour and the rules of that colour that fired,
 * the first of them being the one an alert names.
 */
public record HealthEvaluation(Health health, List<FiredRule> rules) {

    public HealthEvaluation {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a health is always set by at least one rule");
        }
        rules = List.copyOf(rules);
    }

    static HealthEvaluation of(Health health, List<FiredRule> rules) {
        return new HealthEvaluation(health, rules);
    }

    /** Rule names, for {@code ReplicationStatus.healthRules}. */
    public List<String> ruleNames() {
        return rules.stream().map(FiredRule::name).toList();
    }

    /** The reasons of every rule, in Chinese, joined. */
    public String reasonZh() {
        return rules.stream().map(FiredRule::reasonZh).collect(Collectors.joining("；"));
    }

    /** The reasons of every rule, in English, joined. */
    public String reasonEn() {
        return rules.stream().map(FiredRule::reasonEn).collect(Collectors.joining("; "));
    }

    /** One rule that fired, with its reason in both languages (Simplified Chinese first). */
    public record FiredRule(String name, Health health, String reasonZh, String reasonEn) {

        static FiredRule of(String name, Health health, Object... args) {
            Bilingual reason = Bilingual.of("health." + name, args);
            return new FiredRule(name, health, reason.zh(), reason.en());
        }
    }
}
