package sh.reform.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own performance tools ({@code org.apache.kafka.tools.ProducerPerformance} and
 * {@code ConsumerPerformance}, from kafka-tools of the pinned Kafka version), each in a child JVM
 * with the same class path, against the same broker, in the same run.
 */
final class KafkaTools {

    private static final Pattern PRODUCER_SUMMARY = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency,"
                    + " (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99.9th");

    private KafkaTools() {
    }

    record ProducerResult(long records, double recordsPerSec, double p50Ms, double p99Ms, double p999Ms, String summary) {
    }

    record ConsumerResult(long records, double recordsPerSec, String summary) {
    }

    static ProducerResult producerPerformance(String bootstrap, String topic, long records, int recordSize) {
        String out = run(List.of("org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
                "--num-records", Long.toString(records), "--record-size", Integer.toString(recordSize), "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true",
                "linger.ms=5", "compression.type=lz4"));
        Matcher m = null;
        for (String line : out.split("\n")) {
            Matcher candidate = PRODUCER_SUMMARY.matcher(line);
            if (candidate.find()) {
                m = candidate;
            }
        }
        if (m == null) {
            throw new IllegalStateException("ProducerPerformance printed no summary:\n" + out);
        }
        return new ProducerResult(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(6)),
                Double.parseDouble(m.group(8)), Double.parseDouble(m.group(9)), m.group(0));
    }

    static ConsumerResult consumerPerformance(String bootstrap, String topic, long records) {
        String out = run(List.of("org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap,
                "--topic", topic, "--messages", Long.toString(records), "--timeout", "120000"));
        String[] lines = out.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String[] cols = lines[i].split(",");
            if (cols.length >= 6 && cols[4].trim().matches("\\d+")) {
                return new ConsumerResult(Long.parseLong(cols[4].trim()), Double.parseDouble(cols[5].trim()), lines[i].trim());
            }
        }
        throw new IllegalStateException("ConsumerPerformance printed no figures:\n" + out);
    }

    private static String run(List<String> mainAndArgs) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-cp", BenchEnv.classPath()));
        cmd.addAll(mainAndArgs);
        try {
            Path log = Files.createTempFile("kafka-tool", ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("Kafka tool timed out: " + mainAndArgs.get(0));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(mainAndArgs.get(0) + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
