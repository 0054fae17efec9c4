package sh.reform.local.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class TarGzTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ustar", "gnu", "pax"})
    void unpacksWhatTarPacks(String format) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")), "no tar here");
        Path src = dir.resolve("src");
        String longDir = "lib/" + "d".repeat(60);
        String longName = "io.example.a-rather-long-artifact-name-that-goes-past-one-hundred-characters-1.0.jar";
        Files.createDirectories(src.resolve(longDir));
        Files.writeString(src.resolve(longDir).resolve(longName), "jar bytes");
        Files.writeString(src.resolve("app-runner.jar"), "x".repeat(1500));
        Files.createDirectories(src.resolve("meta"));
        Path archive = dir.resolve("a.tar.gz");
        Process tar = new ProcessBuilder("tar", "--format=" + format, "-czf", archive.toString(), "-C", src.toString(),
                "app-runner.jar", "meta", "lib").inheritIO().start();
        assumeTrue(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar cannot write " + format);

        Path out = dir.resolve("out");
        TarGz.extract(archive, out);
        assertThat(out.resolve(longDir).resolve(longName)).hasContent("jar bytes");
        assertThat(out.resolve("app-runner.jar")).hasContent("x".repeat(1500));
        assertThat(out.resolve("meta")).isDirectory();
    }
}
