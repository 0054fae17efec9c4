package sh.reform.shared.reporting;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import sh.reform.catalog.Catalog;
import sh.reform.catalog.FieldError;
import sh.reform.schema.common.EventEnvelope;
import sh.reform.schema.common.ReportSource;
import sh.reform.shared.catalog.CatalogFollower;
import sh.reform.shared.kafka.EventRecords;
import sh.reform.shared.kafka.ProducerDefaults;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.web.ApiProblemException;
import tools.jackson.databind.JsonNode;

/**
 * The reporting path every reporting service shares: read and check a report field by field
 * against the catalog, check who may report for the district, make a repeated request publish
 * nothing new, publish with {@code acks=all} and answer only after the broker acknowledged —
 * or answer 503 with Retry-After within 5 seconds when the broker or registry is unavailable.
 *
 * <p>Single reports go through an idempotent producer; batches and file imports through one of a
 * small pool of transactional producers ({@link Settings#transactionalProducers()}), so that they
 * land all or nothing and concurrent batches do not wait for each other. Each pooled producer has
 * its own transactional id, {@code <prefix>-tx-<slot>}: with a prefix that is stable for the
 * instance, a restarted instance fences its predecessor's producers and aborts whatever
 * transaction they left open, instead of leaving it to the transaction timeout.
 */
public final class ReportingEngine<E extends SpecificRecord> implements AutoCloseable {

    public static final int MAX_BATCH = 1000;
    public static final int MAX_IMPORT_ROWS = 10_000;
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    static final Duration ACK_TIMEOUT = Duration.ofMillis(4800);
    static final Instant EARLIEST = Instant.parse("2018-12-31T16:00:00Z");

    private static final Logger log = LoggerFactory.getLogger(ReportingEngine.class);

    private final ReportKind<E> kind;
    private final CatalogFollower catalog;
    private final ReceiptIndex index;
    /** How long a batch waits for a free transactional producer before it is answered 503. */
    static final Duration SLOT_WAIT = Duration.ofSeconds(30);
    /** Transactional ids claimed in this JVM: two engines of one JVM must never fence each other. */
    private static final Set<String> CLAIMED_PREFIXES = ConcurrentHashMap.newKeySet();

    private final Map<String, Object> producerProps;
    private final Map<String, Object> txProducerProps;
    private final KafkaProducer<String, Object> producer;
    private volatile boolean closed;
    private final String txPrefix;
    private final List<TxSlot> txSlots;
    private final BlockingQueue<TxSlot> freeTxSlots;
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    /** Event ids whose last attempt failed without a broker answer: it may have been written anyway. */
    private final Set<String> uncertain = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ReportingEngine(ReportKind<E> kind, CatalogFollower catalog, String bootstrapServers, String registryUrl,
                           Map<String, Object> extraProducerProps, Clock clock, MeterRegistry meters) {
        this(kind, catalog, bootstrapServers, registryUrl, extraProducerProps, clock, meters, Settings.defaults());
    }

    public ReportingEngine(ReportKind<E> kind, CatalogFollower catalog, String bootstrapServers, String registryUrl,
                           Map<String, Object> extraProducerProps, Clock clock, MeterRegistry meters, Settings settings) {
        this.kind = kind;
        this.catalog = catalog;
        this.clock = clock;
        this.meters = meters == null ? new SimpleMeterRegistry() : meters;
        Map<String, Object> p = new HashMap<>(ProducerDefaults.avroProducer(bootstrapServers, registryUrl));
        if (extraProducerProps != null) {
            p.putAll(extraProducerProps);
        }
        this.producerProps = ProducerDefaults.enforce(p);
        // Single reports: each request waits for its own acknowledgement, so a long linger only adds latency;
        // under load the in-flight requests batch the records anyway.
        Map<String, Object> single = new HashMap<>(producerProps);
        if (extraProducerProps == null || !extraProducerProps.containsKey(ProducerConfig.LINGER_MS_CONFIG)) {
            single.put(ProducerConfig.LINGER_MS_CONFIG, settings.singleLingerMs());
        }
        this.producer = new KafkaProducer<>(ProducerDefaults.enforce(single));
        // Batches: the commit flushes everything at once, so larger producer batches cost no latency.
        Map<String, Object> tx = new HashMap<>(producerProps);
        if (extraProducerProps == null || !extraProducerProps.containsKey(ProducerConfig.BATCH_SIZE_CONFIG)) {
            tx.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.transactionBatchBytes());
        }
        tx.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        this.txProducerProps = ProducerDefaults.enforce(tx);
        this.txPrefix = claimPrefix(settings.transactionalIdPrefix() == null || settings.transactionalIdPrefix().isBlank()
                ? kind.serviceName() + "-" + UUID.randomUUID() : settings.transactionalIdPrefix().strip());
        int n = Math.max(1, settings.transactionalProducers());
        List<TxSlot> slots = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            slots.add(new TxSlot(txPrefix + "-tx-" + i));
        }
        this.txSlots = List.copyOf(slots);
        this.freeTxSlots = new ArrayBlockingQueue<>(n, true, slots);
        this.index = new ReceiptIndex(bootstrapServers, kind.topic().name());
        this.index.start();
        Thread warm = new Thread(this::warmUpTransactions, "tx-warm-up-" + kind.serviceName());
        warm.setDaemon(true);
        warm.start();
    }

    /** The first free prefix of this JVM: {@code wanted}, else {@code wanted-2}, {@code wanted-3}, ... */
    private static String claimPrefix(String wanted) {
        for (int i = 1; ; i++) {
            String candidate = i == 1 ? wanted : wanted + "-" + i;
            if (CLAIMED_PREFIXES.add(candidate)) {
                return candidate;
            }
        }
    }

    /** Initialises the transactional producers ahead of the first batch (a new cluster's coordinator can take seconds). */
    private void warmUpTransactions() {
        for (int attempt = 0; attempt < 30; attempt++) {
            boolean ready = true;
            for (int k = 0; k < txSlots.size(); k++) {
                if (closed) {
                    return;
                }
                TxSlot slot;
                try {
                    slot = freeTxSlots.poll(SLOT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (slot == null) {
                    ready = false;
                    continue;
                }
                try {
                    slot.producer();
                } catch (RuntimeException e) {
                    ready = false;
                    log.debug("transactional producer {} not ready yet: {}", slot.transactionalId, e.toString());
                } finally {
                    freeTxSlots.add(slot);
                }
            }
            if (ready) {
                return;
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public ReceiptIndex index() {
        return index;
    }

    /** The transactional ids of the pooled producers, one per slot. */
    public List<String> transactionalIds() {
        return txSlots.stream().map(t -> t.transactionalId).toList();
    }

    /** How many pooled transactional producers are initialised right now. */
    public int transactionalProducersReady() {
        return (int) txSlots.stream().filter(t -> t.producer != null).count();
    }

    public ReportKind<E> kind() {
        return kind;
    }

    /** Reports one event. */
    public Receipt reportOne(JsonNode body, String idempotencyKey, ReformPrincipal who) {
        if (body == null || !body.isObject()) {
            throw ApiProblemException.invalid(List.of(new FieldError("body", "type", "请求体应为 JSON 对象", "the body must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        E event = read(new ReportFields(body, "", errors), idempotencyKey, who, ReportSource.MANUAL_ENTRY, null);
        if (!errors.isEmpty()) {
            count("rejected");
            throw ApiProblemException.invalid(errors);
        }
        return publishOne(event);
    }

    /** Reports up to {@value #MAX_BATCH} events in one Kafka transaction: all or nothing. */
    public List<Receipt> reportBatch(JsonNode body, ReformPrincipal who) {
        JsonNode list = body != null && body.isObject() ? body.get("reports") : body;
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw ApiProblemException.invalid(List.of(new FieldError("reports", "required",
                    "批量报送应为非空的 JSON 数组（或含 reports 数组的对象）", "a batch is a non-empty JSON array (or an object with a reports array)")));
        }
        if (list.size() > MAX_BATCH) {
            throw ApiProblemException.invalid(List.of(new FieldError("reports", "too-many",
                    "一批最多 " + MAX_BATCH + " 条，收到 " + list.size() + " 条", "at most " + MAX_BATCH + " reports per batch, got " + list.size())));
        }
        List<FieldError> errors = new ArrayList<>();
        List<E> events = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String prefix = "reports[" + i + "]";
            JsonNode item = list.get(i);
            if (!item.isObject()) {
                errors.add(new FieldError(prefix, "type", "应为 JSON 对象", "must be a JSON object"));
                continue;
            }
            E e = read(new ReportFields(item, prefix, errors), null, who, ReportSource.MANUAL_ENTRY, null);
            if (e != null) {
                events.add(e);
            }
        }
        requireDistinctIds(events, i -> "reports[" + i + "].eventId", errors);
        if (!errors.isEmpty()) {
            count("rejected");
            throw ApiProblemException.invalid(errors);
        }
        return publishAll(events);
    }

    /** Reads rows of an import file (each a field → cell map) and publishes them as one transaction. */
    public ImportResult importRows(List<ImportRow> rows, ImportMode mode, ReformPrincipal who, String fileDigest) {
        if (rows.isEmpty()) {
            throw ApiProblemException.invalid(List.of(new FieldError("file", "empty", "文件中没有数据行", "the file has no data rows")));
        }
        if (rows.size() > MAX_IMPORT_ROWS) {
            throw ApiProblemException.invalid(List.of(new FieldError("file", "too-many",
                    "一个文件最多 " + MAX_IMPORT_ROWS + " 行", "at most " + MAX_IMPORT_ROWS + " rows per file")));
        }
        List<ImportResult.RowError> rowErrors = new ArrayList<>();
        List<E> valid = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ImportRow row : rows) {
            List<FieldError> errors = new ArrayList<>();
            // A row without an event id gets one derived from the file and the row, so uploading the same file again publishes nothing new.
            String derived = UUID.nameUUIDFromBytes((who.name() + "|" + fileDigest + "|" + row.number()).getBytes(StandardCharsets.UTF_8)).toString();
            E e;
            try {
                e = read(new ReportFields(row.fields(), "", errors), null, who, ReportSource.FILE_IMPORT, derived);
            } catch (ApiProblemException forbidden) {
                errors.add(new FieldError("districtCode", "forbidden", forbidden.detailZh(), forbidden.detailEn()));
                e = null;
            }
            if (e != null && !seen.add(envelopeOf(e).getEventId())) {
                errors.add(new FieldError("eventId", "duplicate", "文件中事件编号重复", "event id repeated in the file"));
            }
            if (errors.isEmpty() && e != null) {
                valid.add(e);
            } else {
                errors.forEach(f -> rowErrors.add(new ImportResult.RowError(row.number(), f.field(), f.messageZh(), f.messageEn())));
            }
        }
        int invalidRows = (int) rowErrors.stream().mapToInt(ImportResult.RowError::row).distinct().count();
        if (invalidRows > 0 && mode == ImportMode.ALL_OR_NOTHING) {
            count("rejected");
            return new ImportResult(mode, rows.size(), 0, 0, invalidRows, false, rowErrors, List.of());
        }
        List<Receipt> receipts = valid.isEmpty() ? List.of() : publishAll(valid);
        int duplicates = (int) receipts.stream().filter(Receipt::duplicate).count();
        return new ImportResult(mode, rows.size(), receipts.size() - duplicates, duplicates, invalidRows, true, rowErrors, receipts);
    }

    private void requireDistinctIds(List<E> events, java.util.function.IntFunction<String> field, List<FieldError> errors) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            if (!ids.add(envelopeOf(events.get(i)).getEventId())) {
                errors.add(new FieldError(field.apply(i), "duplicate", "同一批中事件编号重复", "event id repeated within the batch"));
            }
        }
    }

    /** Reads the envelope and the kind's fields; null (with errors) when unusable; 403 when not allowed. */
    E read(ReportFields f, String idempotencyKey, ReformPrincipal who, ReportSource defaultSource, String derivedId) {
        Catalog cat = catalog.current();
        int start = f.errors().size();
        String district = f.text("districtCode", true, 12);
        if (district != null && cat.isReportingDistrict(district) && !who.mayReportFor(district)) {
            String mine = who.district() == null ? String.valueOf(who.role()) : districtName(cat, who.district());
            throw ApiProblemException.forbidden(
                    mine + " 的令牌不能为" + districtName(cat, district) + "（" + district + "）报送；区级用户只能报送本区的情况",
                    "a token of " + mine + " cannot report for district " + district + "; a district reporter reports only for its own district");
        }
        if (district != null && !cat.isReportingDistrict(district)) {
            f.error("districtCode", "unknown-district", "未知的区代码“" + district + "”（应为 GB/T 2260 区县代码，如 310116 金山区）",
                    "unknown district code '" + district + "' (expected a GB/T 2260 county-level code, e.g. 310116)");
        }
        String eventId = eventId(f, idempotencyKey, who, derivedId);
        String caseId = f.text("caseId", true, 40);
        if (caseId != null) {
            var c = cat.caseById(caseId);
            if (c.isEmpty()) {
                f.error("caseId", "unknown-case", "案例目录中没有“" + caseId + "”", "no case '" + caseId + "' in the catalog");
            } else if (!cat.isActive(caseId)) {
                f.error("caseId", "retired-case", "案例 " + caseId + " 已撤下，不再接受报送", "case " + caseId + " is retired and accepts no reports");
            }
        }
        Instant now = clock.instant();
        boolean mayOmitOccurredAt = kind.occurredAtDefaultsToNow();
        Instant occurredAt = f.instant("occurredAt", !mayOmitOccurredAt);
        if (occurredAt == null && mayOmitOccurredAt && !f.has("occurredAt")) {
            occurredAt = now;
        }
        if (occurredAt != null && occurredAt.isAfter(now.plus(Duration.ofMinutes(5)))) {
            f.error("occurredAt", "future", "发生时间不能晚于当前时间 5 分钟以上", "occurred-at cannot be more than 5 minutes in the future");
        } else if (occurredAt != null && occurredAt.isBefore(EARLIEST)) {
            f.error("occurredAt", "too-early", "发生时间早于 2019 年，不在跟踪范围内", "occurred-at is before 2019, outside the tracked period");
        }
        ReportSource source = f.enumValue("source", ReportSource.class, false, defaultSource);
        String note = f.text("note", false, 2000);
        if (eventId == null || caseId == null || district == null || occurredAt == null) {
            return null;
        }
        EventEnvelope env = EventEnvelope.newBuilder()
                .setEventId(eventId).setOccurredAt(occurredAt.truncatedTo(ChronoUnit.MILLIS))
                .setRecordedAt(now.truncatedTo(ChronoUnit.MILLIS)).setDistrictCode(district).setCaseId(caseId)
                .setReporter(who.toReporter()).setSource(source).setNote(note).build();
        // The kind's own fields are checked even when the envelope has problems, so the caller sees every problem at once.
        E event = kind.read(f, env, cat);
        if (event != null) {
            kind.authorize(event, who);
        }
        return f.errors().size() > start ? null : event;
    }

    private static String eventId(ReportFields f, String idempotencyKey, ReformPrincipal who, String derivedId) {
        UUID fromBody = f.uuid("eventId", false);
        if (f.has("eventId") && fromBody == null) {
            return null;
        }
        String fromHeader = null;
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            try {
                fromHeader = UUID.fromString(idempotencyKey.strip()).toString();
            } catch (IllegalArgumentException e) {
                fromHeader = UUID.nameUUIDFromBytes((who.name() + "|" + idempotencyKey.strip()).getBytes(StandardCharsets.UTF_8)).toString();
            }
        }
        if (fromBody != null && fromHeader != null && !fromBody.toString().equals(fromHeader)) {
            f.error("eventId", "mismatch", "请求体中的 eventId 与 Idempotency-Key 不一致", "eventId in the body differs from the Idempotency-Key header");
            return null;
        }
        if (fromBody != null) {
            return fromBody.toString();
        }
        if (fromHeader != null) {
            return fromHeader;
        }
        return derivedId != null ? derivedId : UUID.randomUUID().toString();
    }

    private static String districtName(Catalog cat, String code) {
        return cat.jurisdiction(code).map(j -> j.nameZh()).orElse(code);
    }

    private Receipt publishOne(E event) {
        String id = envelopeOf(event).getEventId();
        long hash = hash(event);
        CompletableFuture<Void> mine = new CompletableFuture<>();
        while (true) {
            CompletableFuture<Void> other = inFlight.putIfAbsent(id, mine);
            if (other == null) {
                break;
            }
            other.join(); // the same id is being published right now: wait, then answer as a repeat
        }
        try {
            settleUncertain(List.of(id));
            Receipt existing = existing(id, hash);
            if (existing != null) {
                uncertain.remove(id);
                count("duplicate");
                return existing;
            }
            ProducerRecord<String, Object> r = recordOf(event, hash);
            RecordMetadata m;
            try {
                m = producer.send(r).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiProblemException.unavailable(RETRY_AFTER, e);
            } catch (Exception e) {
                count("unavailable");
                uncertain.add(id);
                log.warn("report {} not acknowledged: {}", id, e.toString());
                throw ApiProblemException.unavailable(RETRY_AFTER, e);
            }
            uncertain.remove(id);
            index.put(id, hash, m.partition(), m.offset());
            count("accepted");
            return new Receipt(id, m.topic(), m.partition(), m.offset(), false);
        } finally {
            inFlight.remove(id, mine);
            mine.complete(null);
        }
    }

    private List<Receipt> publishAll(List<E> events) {
        Map<Integer, Receipt> answers = new LinkedHashMap<>();
        List<Integer> toSend = new ArrayList<>();
        long[] hashes = new long[events.size()];
        settleUncertain(events.stream().map(e -> envelopeOf(e).getEventId()).toList());
        for (int i = 0; i < events.size(); i++) {
            hashes[i] = hash(events.get(i));
            Receipt existing = existing(envelopeOf(events.get(i)).getEventId(), hashes[i]);
            if (existing != null) {
                answers.put(i, existing);
            } else {
                toSend.add(i);
            }
        }
        if (!toSend.isEmpty()) {
            TxSlot slot;
            try {
                slot = freeTxSlots.poll(SLOT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiProblemException.unavailable(RETRY_AFTER, e);
            }
            if (slot == null || closed) {
                if (slot != null) {
                    freeTxSlots.add(slot);
                }
                count("unavailable");
                throw ApiProblemException.unavailable(RETRY_AFTER, null);
            }
            try {
                publishInTransaction(slot, events, toSend, hashes, answers);
            } finally {
                freeTxSlots.add(slot);
            }
        }
        count("accepted");
        List<Receipt> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            out.add(answers.get(i));
        }
        return out;
    }

    /** One transaction on the slot's producer; on any failure the transaction is aborted and the producer replaced. */
    private void publishInTransaction(TxSlot slot, List<E> events, List<Integer> toSend, long[] hashes, Map<Integer, Receipt> answers) {
        KafkaProducer<String, Object> tx = null;
        List<Future<RecordMetadata>> futures = new ArrayList<>(toSend.size());
        try {
            tx = slot.producer();
            tx.beginTransaction();
            for (int i : toSend) {
                futures.add(tx.send(recordOf(events.get(i), hashes[i])));
            }
            tx.commitTransaction();
            for (int k = 0; k < toSend.size(); k++) {
                int i = toSend.get(k);
                RecordMetadata m = futures.get(k).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                String id = envelopeOf(events.get(i)).getEventId();
                index.put(id, hashes[i], m.partition(), m.offset());
                answers.put(i, new Receipt(id, m.topic(), m.partition(), m.offset(), false));
            }
        } catch (Exception e) {
            count("unavailable");
            toSend.forEach(i -> uncertain.add(envelopeOf(events.get(i)).getEventId()));
            log.warn("batch of {} not committed by {}: {}", toSend.size(), slot.transactionalId, e.toString());
            if (tx != null) {
                slot.reset(tx);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw ApiProblemException.unavailable(RETRY_AFTER, e);
        }
    }

    /** Before deciding about ids whose earlier attempt is unknown, read the topic up to now (or answer 503). */
    private void settleUncertain(List<String> ids) {
        if (ids.stream().noneMatch(uncertain::contains)) {
            return;
        }
        if (!index.awaitUpToDate(ACK_TIMEOUT)) {
            count("unavailable");
            throw ApiProblemException.unavailable(RETRY_AFTER, null);
        }
    }

    /**
     * One pooled transactional producer. Whoever took the slot from {@link #freeTxSlots} uses it
     * alone; its transactional id stays the same when the producer is replaced, so the new one
     * fences the old (and aborts a transaction it may have left open).
     */
    private final class TxSlot {
        final String transactionalId;
        volatile KafkaProducer<String, Object> producer;

        TxSlot(String transactionalId) {
            this.transactionalId = transactionalId;
        }

        KafkaProducer<String, Object> producer() {
            KafkaProducer<String, Object> p = producer;
            if (p == null) {
                Map<String, Object> props = new HashMap<>(txProducerProps);
                props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
                props.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
                p = new KafkaProducer<>(props);
                try {
                    p.initTransactions();
                } catch (RuntimeException e) {
                    p.close(Duration.ZERO);
                    throw e;
                }
                if (closed) {
                    p.close(Duration.ZERO);
                    throw new IllegalStateException("reporting engine closed");
                }
                producer = p;
            }
            return p;
        }

        void reset(KafkaProducer<String, Object> p) {
            try {
                p.abortTransaction();
            } catch (RuntimeException ignored) {
                // the producer is closed below either way; its successor fences it
            }
            p.close(Duration.ZERO);
            producer = null;
        }
    }

    /** The earlier receipt of this id; 409 when the id was used for different content. */
    private Receipt existing(String eventId, long hash) {
        long[] h = new long[1];
        Receipt r = index.find(eventId, h);
        if (r == null) {
            return null;
        }
        if (h[0] != hash) {
            count("conflict");
            throw ApiProblemException.conflict("事件编号 " + eventId + " 已用于内容不同的报送；如需更正，请使用新的事件编号报送",
                    "event id " + eventId + " was already used for a report with different content; report a correction with a new event id");
        }
        return r.asDuplicate();
    }

    private ProducerRecord<String, Object> recordOf(E event, long hash) {
        ProducerRecord<String, Object> r = EventRecords.record(kind.topic(), kind.serviceName(), envelopeOf(event), event);
        r.headers().add(ReceiptIndex.CONTENT_HASH_HEADER, ReceiptIndex.hashHeader(hash));
        return r;
    }

    static EventEnvelope envelopeOf(SpecificRecord event) {
        return (EventEnvelope) event.get(event.getSchema().getField("envelope").pos());
    }

    /**
     * 64 bits of SHA-256 over the event as Avro, without the time it was recorded. The envelope's
     * recorded-at is blanked for the moment of the encoding (the event is not yet shared with any
     * other thread) instead of deep-copying the event, and the writer, encoder, buffer and digest
     * are reused per thread: the same bytes, hence the same hash, as before.
     */
    static long contentHash(SpecificRecord event) {
        return contentHash(event, false);
    }

    /** The content hash of an event of this engine's kind (see {@link ReportKind#occurredAtDefaultsToNow()}). */
    private long hash(E event) {
        return contentHash(event, kind.occurredAtDefaultsToNow());
    }

    /**
     * As {@link #contentHash(SpecificRecord)}; with {@code occurredAtMayDefault}, an event that occurred when it
     * was recorded (its occurred-at was left out) is hashed without its occurred-at too: a retry is recorded later.
     */
    static long contentHash(SpecificRecord event, boolean occurredAtMayDefault) {
        HashScratch s = HASH_SCRATCH.get();
        EventEnvelope env = envelopeOf(event);
        Instant recordedAt = env.getRecordedAt();
        Instant occurredAt = env.getOccurredAt();
        boolean timeless = occurredAtMayDefault && occurredAt != null && occurredAt.equals(recordedAt);
        env.setRecordedAt(Instant.EPOCH);
        if (timeless) {
            env.setOccurredAt(Instant.EPOCH);
        }
        try {
            s.out.reset();
            s.encoder = EncoderFactory.get().directBinaryEncoder(s.out, s.encoder);
            s.writers.computeIfAbsent(event.getSchema(), SpecificDatumWriter::new).write(event, s.encoder);
            s.encoder.flush();
            s.sha256.reset();
            s.sha256.update(s.out.buffer(), 0, s.out.size());
            return ByteBuffer.wrap(s.sha256.digest()).getLong();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            env.setRecordedAt(recordedAt);
            env.setOccurredAt(occurredAt);
        }
    }

    private static final ThreadLocal<HashScratch> HASH_SCRATCH = ThreadLocal.withInitial(HashScratch::new);

    /** Per-thread state of {@link #contentHash}. */
    private static final class HashScratch {
        final Bytes out = new Bytes();
        final Map<org.apache.avro.Schema, SpecificDatumWriter<SpecificRecord>> writers = new java.util.IdentityHashMap<>();
        final MessageDigest sha256;
        BinaryEncoder encoder;

        HashScratch() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A byte buffer whose content is read in place. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(512);
        }

        byte[] buffer() {
            return buf;
        }
    }

    private void count(String outcome) {
        counters.computeIfAbsent(outcome, o -> meters.counter("reform.reports", "kind", kind.serviceName(), "outcome", o)).increment();
    }

    @Override
    public void close() {
        closed = true;
        index.close();
        producer.close(Duration.ofSeconds(5));
        for (TxSlot slot : txSlots) {
            KafkaProducer<String, Object> p = slot.producer;
            if (p != null) {
                p.close(Duration.ofSeconds(5));
            }
        }
        CLAIMED_PREFIXES.remove(txPrefix);
    }

    /**
     * Tuning of the producers (never of their safety: {@link ProducerDefaults#SAFETY} always applies).
     *
     * @param transactionalProducers how many batches or imports may be in their transaction at once
     * @param transactionalIdPrefix  stable per instance, unique across instances; null for a random one
     * @param singleLingerMs         {@code linger.ms} of the single-report producer
     * @param transactionBatchBytes  {@code batch.size} of the transactional producers
     */
    public record Settings(int transactionalProducers, String transactionalIdPrefix, int singleLingerMs, int transactionBatchBytes) {

        public static final int DEFAULT_TRANSACTIONAL_PRODUCERS = 3;
        public static final int DEFAULT_SINGLE_LINGER_MS = 1;
        public static final int DEFAULT_TRANSACTION_BATCH_BYTES = 128 * 1024;

        public Settings {
            if (transactionalProducers < 1) {
                throw new IllegalArgumentException("at least one transactional producer, got " + transactionalProducers);
            }
            if (singleLingerMs < 0 || transactionBatchBytes < 1) {
                throw new IllegalArgumentException("linger must be >= 0 ms and the batch size positive");
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_TRANSACTIONAL_PRODUCERS, null, DEFAULT_SINGLE_LINGER_MS, DEFAULT_TRANSACTION_BATCH_BYTES);
        }
    }

    /** Whether the import publishes nothing when any row is invalid (default) or the valid rows only. */
    public enum ImportMode { ALL_OR_NOTHING, VALID_ONLY }

    /** One data row of an import file: its 1-based row number in the sheet and its fields. */
    public record ImportRow(int number, JsonNode fields) {
    }

    /** The per-row report of an import. */
    public record ImportResult(ImportMode mode, int rows, int accepted, int duplicates, int rejectedRows, boolean published,
                               List<RowError> errors, List<Receipt> receipts) {
        public record RowError(int row, String field, String messageZh, String messageEn) {
        }
    }
}
