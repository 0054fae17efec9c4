package sh.reform.gateway.outbound;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import sh.reform.catalog.Catalog;
import sh.reform.catalog.FieldError;
import sh.reform.gateway.store.KafkaJsonStore;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.reporting.ReportFields;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.JsonNode;

/**
 * The webhook subscriptions, kept in the compacted topic {@code reform.gateway.subscriptions}
 * (secrets included: the topic needs the same protection as the apps file), and their dead
 * letters.
 */
public final class Subscriptions {

    static final int MIN_SECRET_LENGTH = 16;

    private final KafkaJsonStore<Subscription> store;
    private final WebhookDispatcher dispatcher;
    private final CatalogFollower catalog;
    private final Clock clock;

    public Subscriptions(KafkaJsonStore<Subscription> store, WebhookDispatcher dispatcher, CatalogFollower catalog, Clock clock) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** Registers a webhook: {@code {url, secret, caseIds?, districtCodes?, kinds?, description?}}. */
    public Subscription register(JsonNode body, ReformPrincipal who) {
        if (body == null || !body.isObject()) {
            throw ApiProblemException.invalid(List.of(new FieldError("body", "type", "请求体应为 JSON 对象", "the body must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        ReportFields f = new ReportFields(body, "", errors);
        String url = f.text("url", true, 2000);
        if (url != null) {
            try {
                URI u = URI.create(url);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new IllegalArgumentException("scheme");
                }
            } catch (IllegalArgumentException e) {
                f.error("url", "format", "url 应为 http(s):// 地址", "url must be an http(s):// address");
            }
        }
        String secret = f.text("secret", true, 200);
        if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
            f.error("secret", "too-short", "签名密钥至少 " + MIN_SECRET_LENGTH + " 个字符", "the signing secret needs at least " + MIN_SECRET_LENGTH + " characters");
        }
        Catalog cat = catalog.current();
        List<String> cases = f.textList("caseIds");
        cases.stream().filter(c -> cat.caseById(c).isEmpty()).forEach(c ->
                f.error("caseIds", "unknown-case", "案例目录中没有“" + c + "”", "no case '" + c + "' in the catalog"));
        List<String> districts = f.textList("districtCodes");
        districts.stream().filter(d -> !cat.isReportingDistrict(d)).forEach(d ->
                f.error("districtCodes", "unknown-district", "未知的区代码“" + d + "”", "unknown district code '" + d + "'"));
        Set<ChangeKind> kinds = EnumSet.noneOf(ChangeKind.class);
        for (String k : f.textList("kinds")) {
            try {
                kinds.add(ChangeKind.valueOf(k.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                f.error("kinds", "unknown-value", "变化类型“" + k + "”无效，应为 stage、measure、health、metric 或 notification",
                        "'" + k + "' is not a kind of change (stage, measure, health, metric, notification)");
            }
        }
        String description = f.text("description", false, 500);
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        Subscription s = new Subscription(UUID.randomUUID().toString(), url, secret, cases, districts, kinds, description,
                who.name(), Instant.now(clock));
        store.put(s.id(), s);
        return s;
    }

    public List<Subscription> all() {
        return store.all().stream().sorted(Comparator.comparing(Subscription::createdAt)).toList();
    }

    public Subscription get(String id) {
        return store.get(id).orElseThrow(() -> ApiProblemException.notFound("没有订阅“" + id + "”", "no subscription '" + id + "'"));
    }

    public void delete(String id) {
        get(id);
        store.delete(id);
        dispatcher.forget(id);
    }

    public Subscription.View view(Subscription s) {
        return new Subscription.View(s.id(), s.url(), s.caseIds(), s.districtCodes(), s.kinds(), s.description(), s.createdBy(),
                s.createdAt(), dispatcher.state(s));
    }

    public List<DeadLetter> deadLetters(String id) {
        return dispatcher.deadLetters(get(id).id());
    }

    public int replay(String id) {
        return dispatcher.replay(get(id));
    }

    public boolean ready() {
        return store.caughtUp();
    }
}
