package sh.reform.status.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.reform.status.fold.Reports.CASE;
import static sh.reform.status.fold.Reports.DISTRICT;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.specific.SpecificRecord;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

import sh.reform.schema.events.AdoptionDecision;
import sh.reform.schema.events.RolloutStage;
import sh.reform.schema.status.ReplicationStatus;
import sh.reform.schema.supervision.ReviewVerdict;

/**
 * The history store's contract, as pure logic over the fold: a cell's events arrive in a random order (so many
 * arrive late, about a date before events already applied), some twice; after each arrival the versions
 * {@link StatusFold#versionsFrom} names are written into a map by occurred-at, as the topology writes them into the
 * versioned store. Then, for random instants T, the latest version at or before T, evaluated at T, must equal the
 * replay oracle: the fold of every event that occurred up to T, evaluated at T (what {@code AsOfReplay} computes).
 */
class HistoryVersionsProperties {

    private static final LocalDateTime START = LocalDateTime.parse("2024-01-01T08:00");
    private static final AtomicInteger INSTANTS_CHECKED = new AtomicInteger();

    private final StatusFold fold = Supervision.fold();

    @Property(tries = 80)
    void asOfByLookupEqualsTheReplayOfTheEventsUpToThen(@ForAll long seed) {
        Random random = new Random(seed);
        List<SpecificRecord> events = randomLife(random);
        List<SpecificRecord> arrival = new ArrayList<>(events);
        Collections.shuffle(arrival, random);
        for (int i = 0, n = random.nextInt(3); i < n; i++) { // duplicates: the same event delivered again
            arrival.add(random.nextInt(arrival.size() + 1), events.get(random.nextInt(events.size())));
        }

        // The processor: apply, write the versions the event changes, evaluate at the arrival's wall clock.
        TreeMap<Long, byte[]> history = new TreeMap<>();
        CellState state = CellState.empty(CASE, DISTRICT);
        Instant wallClock = Instant.parse("2025-06-01T00:00:00Z");
        for (SpecificRecord e : arrival) {
            CellState applied = fold.apply(state, e);
            if (applied == state) {
                continue; // a repeated id changes nothing
            }
            for (StatusFold.Version v : fold.versionsAfterApply(applied, CellState.envelopeOf(e).getOccurredAt())) {
                history.put(v.at().toEpochMilli(), CellState.encodeStatus(v.status()));
            }
            wallClock = wallClock.plus(Duration.ofMinutes(random.nextInt(600)));
            state = fold.evaluate(applied, wallClock);
        }

        List<Instant> instants = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            instants.add(Reports.at("2023-12-20").plusSeconds(random.nextLong(400L * 24 * 3600)).plusMillis(random.nextInt(1000)));
        }
        Instant someEvent = CellState.envelopeOf(events.get(random.nextInt(events.size()))).getOccurredAt();
        instants.add(someEvent);
        instants.add(someEvent.minusMillis(1));

        for (Instant t : instants) {
            Map.Entry<Long, byte[]> version = history.floorEntry(t.toEpochMilli());
            ReplicationStatus lookedUp = version == null ? null : fold.evaluateVersion(CellState.decodeStatus(version.getValue()), t);
            List<SpecificRecord> upToT = arrival.stream()
                    .filter(e -> !CellState.envelopeOf(e).getOccurredAt().isAfter(t)).toList();
            ReplicationStatus replayed = upToT.isEmpty() ? null : fold.foldAll(CASE, DISTRICT, upToT, t).toStatus();
            assertThat(lookedUp).as("as of %s", t).isEqualTo(replayed);
            INSTANTS_CHECKED.incrementAndGet();
        }
        // The upgrade path: every version rebuilt from an (evaluated) stored state is the history written event by event.
        TreeMap<Long, byte[]> rebuilt = new TreeMap<>();
        for (StatusFold.Version v : fold.versionsFrom(state, null)) {
            rebuilt.put(v.at().toEpochMilli(), CellState.encodeStatus(v.status()));
        }
        assertThat(rebuilt.keySet()).isEqualTo(history.keySet());
        rebuilt.forEach((at, bytes) -> assertThat(CellState.decodeStatus(bytes)).isEqualTo(CellState.decodeStatus(history.get(at))));
        // The latest version is the live state before evaluation: same derivation, evaluated the same.
        Instant later = wallClock.plus(Duration.ofDays(1));
        assertThat(fold.evaluateVersion(CellState.decodeStatus(history.lastEntry().getValue()), later))
                .isEqualTo(fold.foldAll(CASE, DISTRICT, events, later).toStatus());
    }

    @AfterContainer
    static void enoughInstants() {
        assertThat(INSTANTS_CHECKED.get()).as("random instants checked against the replay").isGreaterThanOrEqualTo(50);
    }

    /** 3–25 events of every kind for the cell, over about a year, some at the same instant. */
    private static List<SpecificRecord> randomLife(Random random) {
        int n = 3 + random.nextInt(23);
        List<SpecificRecord> out = new ArrayList<>();
        List<String> rollouts = new ArrayList<>();
        List<String> urges = new ArrayList<>();
        String[] measures = {Reports.M1, Reports.M2, Reports.M3};
        for (int i = 0; i < n; i++) {
            String id = "p" + i;
            // Whole days, half of them at the same hour: ties in occurred-at are common.
            LocalDateTime at = START.plusDays(random.nextInt(330)).plusHours(random.nextBoolean() ? 2 : random.nextInt(10));
            String when = at.toString();
            int kind = random.nextInt(10);
            if (kind < 2) {
                AdoptionDecision decision = AdoptionDecision.values()[random.nextInt(AdoptionDecision.values().length)];
                String target = random.nextBoolean() ? null : at.toLocalDate().plusDays(30 + random.nextInt(300)).toString();
                List<String> plan = new ArrayList<>();
                for (String m : measures) {
                    if (random.nextInt(3) == 0) {
                        plan.add(m);
                    }
                }
                out.add(Reports.adoption(id, when, decision, target, plan.toArray(String[]::new)));
            } else if (kind < 5) {
                out.add(Reports.rollout(id, when, measures[random.nextInt(3)],
                        RolloutStage.values()[random.nextInt(RolloutStage.values().length)]));
                rollouts.add(id);
            } else if (kind < 7) {
                out.add(Reports.outcome(id, when, random.nextBoolean() ? Reports.K1 : Reports.K2,
                        "2024-" + String.format("%02d", 1 + random.nextInt(12)), random.nextInt(1000) / 10.0));
            } else if (kind == 7) {
                out.add(random.nextBoolean()
                        ? Supervision.assigned(id, when, at.toLocalDate().plusDays(5 + random.nextInt(60)).toString())
                        : Supervision.acknowledged(id, when));
            } else if (kind == 8) {
                if (!urges.isEmpty() && random.nextBoolean()) {
                    out.add(Supervision.responded(id, when, urges.get(random.nextInt(urges.size()))));
                } else {
                    out.add(Supervision.urged(id, when, at.toLocalDate().plusDays(1 + random.nextInt(10)).toString()));
                    urges.add(id);
                }
            } else if (!rollouts.isEmpty()) {
                out.add(Supervision.reviewed(id, when, rollouts.get(random.nextInt(rollouts.size())),
                        random.nextBoolean() ? ReviewVerdict.ACCEPTED : ReviewVerdict.RETURNED, "材料不全"));
            } else {
                out.add(Reports.rollout(id, when, Reports.M1, RolloutStage.PILOT));
                rollouts.add(id);
            }
        }
        return out;
    }
}
