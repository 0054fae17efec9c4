package sh.reform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import sh.reform.local.infra.Ports;

/**
 * Keeps the harness from rotting: the quick mode runs every benchmark end to end on a real
 * platform for a few seconds each and writes both reports. No figure is asserted.
 */
class QuickModeTest {

    @Test
    void quickModeRunsEveryBenchmarkAndWritesBothReports(@TempDir Path out) throws Exception {
        Path repo = BenchEnv.repoRoot();
        assumeTrue(Files.exists(repo.resolve("services/replication-status-service/target/replication-status-service.jar")),
                "service jars not built (run the full reactor build)");
        assumeTrue(Stream.of(8080, 8090, 8091, 8092, 8093, 8094, 8095).noneMatch(Ports::isTaken),
                "a local platform is already running on ports 8080 and 8090-8095");
        Path md = Benchmarks.run(Benchmarks.Options.parse(new String[] {"--quick", "--out", out.toString(),
                "--command", "mvn -pl benchmarks verify (quick mode)"}));
        String report = Files.readString(md, StandardCharsets.UTF_8);
        assertThat(report).contains("ingestion.ratio", "freshness.query.p99Ms", "replay.2k.ratio", "single.50rps.p99Ms", "cores", "scale.heapUsedAfterGcMiB", "scale.matrixProvincePage.p99Ms", "scale.case.p99Ms");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".json"));
        }
    }
}
