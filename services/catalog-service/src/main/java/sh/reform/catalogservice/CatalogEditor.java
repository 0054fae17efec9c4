package sh.reform.catalogservice;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import sh.reform.catalog.CaseHashes;
import sh.reform.catalog.CaseReader;
import sh.reform.catalog.Catalog;
import sh.reform.catalog.CatalogValidator;
import sh.reform.catalog.FieldError;
import sh.reform.schema.catalog.CaseState;
import sh.reform.schema.catalog.CatalogBatch;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The city office's changes to the catalog: publish a batch, amend a case, retire a case. Each
 * is validated field by field against the current catalog, versioned (+1), attributed (who, when)
 * and published; a refused change publishes nothing. Changes are serialised in this instance.
 */
@Component
class CatalogEditor {

    private static final Pattern BATCH_ID = Pattern.compile("[A-Z]{2,8}-\\d{4}");

    private final CatalogFollower follower;
    private final CatalogPublisher publisher;

    CatalogEditor(CatalogFollower follower, CatalogPublisher publisher) {
        this.follower = follower;
        this.publisher = publisher;
    }

    synchronized PublishedBatch publishBatch(JsonNode body, ReformPrincipal who) {
        requireCityOffice(who);
        Catalog now = follower.current();
        CaseReader reader = new CaseReader();
        List<FieldError> errors = new ArrayList<>();
        CatalogBatch batch = reader.readBatch(body, "batch");
        Integer year = batch == null ? null : batch.getYear();
        if (batch != null) {
            if (!BATCH_ID.matcher(batch.getBatchId()).matches()) {
                errors.add(new FieldError("batch.id", "format", "批次编号格式不对，应如 SH-2024", "batch id is malformed; expected e.g. SH-2024"));
            } else if (now.batch(batch.getBatchId()).isPresent()) {
                errors.add(new FieldError("batch.id", "duplicate", "批次 " + batch.getBatchId() + " 已存在", "batch " + batch.getBatchId() + " already exists"));
            }
            if (year == null) {
                errors.add(FieldError.required("batch.year"));
            }
        }
        JsonNode list = body == null ? null : body.get("cases");
        List<CatalogCase> cases = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        if (list == null || !list.isArray() || list.isEmpty()) {
            errors.add(new FieldError("cases", "required", "批次至少需要一个案例", "a batch needs at least one case"));
        } else if (batch != null) {
            for (int i = 0; i < list.size(); i++) {
                CatalogCase c = reader.readCase(list.get(i), "cases[" + i + "]", batch.getBatchId(), year);
                if (c != null) {
                    cases.add(c);
                    paths.add("cases[" + i + "]");
                }
            }
        }
        errors.addAll(0, reader.errors());
        errors.addAll(CatalogValidator.validate(now, cases, paths, false));
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        CatalogBatch b = CatalogBatch.newBuilder(batch).setCaseCount(cases.size()).setCasesListed(true)
                .setVersion(1).setChangedBy(who.name()).setChangedAt(at).build();
        List<CatalogCase> versioned = cases.stream().map(c -> stamp(c, 1, who, at)).toList();
        publisher.publish(List.of(b), versioned);
        return new PublishedBatch(b.getBatchId(), versioned.stream().map(c -> new PublishedCase(c.getCaseId(), c.getVersion())).toList());
    }

    synchronized PublishedCase amend(String caseId, JsonNode body, ReformPrincipal who) {
        requireCityOffice(who);
        Catalog now = follower.current();
        CatalogCase existing = now.caseById(caseId).orElseThrow(() -> notFound(caseId));
        if (body instanceof ObjectNode o) {
            if (o.has("id") && !o.get("id").asString("").equals(caseId)) {
                throw ApiProblemException.invalid(List.of(new FieldError("id", "mismatch", "请求体中的案例编号与地址不一致",
                        "the case id in the body differs from the one in the path")));
            }
            o.put("id", caseId);
        }
        CaseReader reader = new CaseReader();
        CatalogCase c = reader.readCase(body, "case", existing.getBatchId(), existing.getYear());
        List<FieldError> errors = new ArrayList<>(reader.errors());
        if (c != null) {
            errors.addAll(CatalogValidator.validate(now, List.of(c), List.of("case"), true));
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.invalid(errors);
        }
        CatalogCase candidate = CatalogCase.newBuilder(c).setState(existing.getState()).build();
        if (CaseHashes.contentHash(candidate).equals(existing.getContentHash())) {
            return new PublishedCase(caseId, existing.getVersion());
        }
        CatalogCase next = stamp(candidate, existing.getVersion() + 1, who, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        publisher.publish(List.of(), List.of(next));
        return new PublishedCase(caseId, next.getVersion());
    }

    synchronized PublishedCase retire(String caseId, ReformPrincipal who) {
        requireCityOffice(who);
        CatalogCase existing = follower.current().caseById(caseId).orElseThrow(() -> notFound(caseId));
        if (existing.getState() == CaseState.RETIRED) {
            return new PublishedCase(caseId, existing.getVersion());
        }
        CatalogCase next = stamp(CatalogCase.newBuilder(existing).setState(CaseState.RETIRED).build(),
                existing.getVersion() + 1, who, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        publisher.publish(List.of(), List.of(next));
        return new PublishedCase(caseId, next.getVersion());
    }

    private static CatalogCase stamp(CatalogCase c, int version, ReformPrincipal who, Instant at) {
        CatalogCase withHash = CatalogCase.newBuilder(c).setContentHash(CaseHashes.contentHash(c)).build();
        return CatalogCase.newBuilder(withHash).setVersion(version).setChangedBy(who.name()).setChangedAt(at).build();
    }

    private static void requireCityOffice(ReformPrincipal who) {
        if (!who.isCityOffice()) {
            throw ApiProblemException.forbidden("只有市级营商办可以修改案例目录（您的身份：" + who.role() + "）",
                    "only the city office may change the catalog (you are " + who.role() + ")");
        }
    }

    static ApiProblemException notFound(String caseId) {
        return ApiProblemException.notFound("没有编号为 " + caseId + " 的案例", "no case with id " + caseId);
    }

    record PublishedCase(String caseId, int version) {
    }

    record PublishedBatch(String batchId, List<PublishedCase> cases) {
    }
}
