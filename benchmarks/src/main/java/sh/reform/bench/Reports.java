package sh.reform.bench;

import java.util.Random;
import java.util.UUID;

/** Report bodies for the reporting APIs: measure rollouts in cells of the benchmark catalog. */
final class Reports {

    private final NationalSeeds seeds;
    private final Random random;

    Reports(NationalSeeds seeds, long seed) {
        this.seeds = seeds;
        this.random = new Random(seed);
    }

    record Cell(String caseId, String district) {
        String key() {
            return caseId + "|" + district;
        }
    }

    Cell randomCell() {
        return new Cell(seeds.caseIds.get(random.nextInt(seeds.caseIds.size())), seeds.districts.get(random.nextInt(seeds.districts.size())));
    }

    String rollout(Cell cell) {
        int m = 1 + random.nextInt(3);
        String[] stages = {"PLANNED", "PILOT", "LIVE", "SCALED"};
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"caseId\":\"" + cell.caseId() + "\",\"districtCode\":\"" + cell.district()
                + "\",\"occurredAt\":\"2026-11-20T10:00:00+08:00\",\"measureId\":\"" + cell.caseId() + "-M" + m
                + "\",\"stage\":\"" + stages[random.nextInt(stages.length)] + "\",\"coverage\":{\"covered\":" + (1 + random.nextInt(9))
                + ",\"total\":10,\"unit\":\"街镇\"},\"serviceItemCode\":\"3100000000" + (1000 + random.nextInt(9000)) + "\"}";
    }
}
