package sh.reform.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the benchmark runs: the repository, its class path, and the machine. */
final class BenchEnv {

    private BenchEnv() {
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("reform.repo.root", ".")).toAbsolutePath().normalize();
    }

    /** The benchmark's class path (the Kafka tools run with it). */
    static String classPath() {
        String file = System.getProperty("reform.bench.classpath.file");
        String classes = System.getProperty("reform.bench.classes");
        if (file == null) {
            return System.getProperty("java.class.path");
        }
        try {
            return (classes == null ? "" : classes + java.io.File.pathSeparator) + Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        m.put("memoryGiB", Math.round(total / 1024.0 / 1024 / 1024 * 10) / 10.0);
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        try {
            m.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown"));
            m.put("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).trim());
        } catch (IOException e) {
            m.put("cpu", "unknown");
        }
        return m;
    }

    static Map<String, Object> versions() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("kafka", org.apache.kafka.common.utils.AppInfoParser.getVersion());
        v.put("springBoot", org.springframework.boot.SpringBootVersion.getVersion());
        v.put("avro", org.apache.avro.Schema.class.getPackage().getImplementationVersion());
        v.put("schemaRegistry", "Apicurio Registry 2.6.13.Final (Confluent API /apis/ccompat/v7)");
        v.put("platform", "0.1.0-SNAPSHOT");
        return v;
    }
}
