package sh.reform.catalogservice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import sh.reform.catalog.Catalog;
import sh.reform.catalog.SeedCatalog;
import sh.reform.schema.catalog.CatalogBatch;
import sh.reform.schema.catalog.CatalogCase;
import sh.reform.shared.catalog.CatalogFollower;

/**
 * Publishes the packaged seed catalog at start, idempotently: it first reads the catalog topic
 * to its end, then publishes only what is missing or what the seed files changed. A second start
 * publishes nothing.
 *
 * <p>A case the city office amended through the API (changed by someone other than {@code seed})
 * is not overwritten by the seed files: the API is the authority once used.
 */
@Component
class SeedLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SeedLoader.class);
    static final String SEED = "seed";

    private final CatalogFollower follower;
    private final CatalogPublisher publisher;
    private final Clock clock;

    SeedLoader(CatalogFollower follower, CatalogPublisher publisher) {
        this.follower = follower;
        this.publisher = publisher;
        this.clock = Clock.systemUTC();
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        if (!follower.awaitCaughtUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException("could not read the catalog topic within 60 s; is Kafka up?");
        }
        Catalog seed = SeedCatalog.load();
        Result r = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (r == null) {
            try {
                r = load(seed);
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                log.warn("publishing the seed catalog failed ({}); retrying in 2 s", e.toString());
                Thread.sleep(2000);
            }
        }
        log.info("seed catalog: {} batches and {} cases published, {} unchanged", r.batches(), r.cases(), r.unchanged());
    }

    record Result(int batches, int cases, int unchanged) {
    }

    synchronized Result load(Catalog seed) {
        Catalog now = follower.current();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<CatalogBatch> batches = new ArrayList<>();
        for (CatalogBatch b : seed.batches()) {
            Optional<CatalogBatch> existing = now.batch(b.getBatchId());
            if (existing.isEmpty() || (existing.get().getChangedBy().equals(SEED) && !sameBatch(existing.get(), b))) {
                batches.add(CatalogBatch.newBuilder(b).setVersion(existing.map(e -> e.getVersion() + 1).orElse(1))
                        .setChangedBy(SEED).setChangedAt(at).build());
            }
        }
        List<CatalogCase> cases = new ArrayList<>();
        int unchanged = 0;
        for (CatalogCase c : seed.cases()) {
            Optional<CatalogCase> existing = now.caseById(c.getCaseId());
            if (existing.isPresent() && (existing.get().getContentHash().equals(c.getContentHash())
                    || !existing.get().getChangedBy().equals(SEED))) {
                unchanged++;
                continue;
            }
            cases.add(CatalogCase.newBuilder(c).setVersion(existing.map(e -> e.getVersion() + 1).orElse(1))
                    .setChangedBy(SEED).setChangedAt(at).build());
        }
        publisher.publish(batches, cases);
        return new Result(batches.size(), cases.size(), unchanged);
    }

    private static boolean sameBatch(CatalogBatch a, CatalogBatch b) {
        return java.util.Objects.equals(a.getYear(), b.getYear()) && a.getTitleZh().equals(b.getTitleZh())
                && java.util.Objects.equals(a.getTitleEn(), b.getTitleEn()) && java.util.Objects.equals(a.getCaseCount(), b.getCaseCount())
                && a.getCasesListed() == b.getCasesListed() && java.util.Objects.equals(a.getNote(), b.getNote());
    }
}
