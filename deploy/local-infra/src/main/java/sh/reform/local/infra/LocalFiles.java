package sh.reform.local.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Where things are: the cache dir, build-time resources, the java launcher, the watch agent. */
final class LocalFiles {

    private static Path agentJar;

    private LocalFiles() {
    }

    /**
     * {@code -Dreform.cache.dir}, else {@code $REFORM_CACHE_DIR}, else {@code $XDG_CACHE_HOME/reform-replication},
     * else {@code ~/.cache/reform-replication}.
     */
    static Path cacheDir() {
        String configured = System.getProperty("reform.cache.dir", System.getenv("REFORM_CACHE_DIR"));
        Path dir;
        if (configured != null && !configured.isBlank()) {
            dir = Path.of(configured);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            dir = base.resolve("reform-replication");
        }
        try {
            return Files.createDirectories(dir.toAbsolutePath());
        } catch (IOException e) {
            Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "reform-replication-" + System.getProperty("user.name"));
            try {
                return Files.createDirectories(fallback);
            } catch (IOException again) {
                throw new UncheckedIOException("cannot create a cache dir at " + dir + " or " + fallback, again);
            }
        }
    }

    /** The {@code java} this JVM runs on: children run on the same one. */
    static String javaCommand() {
        Path java = Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    }

    /** A text resource next to this class, written at build time, trimmed. */
    static String buildResource(String name) {
        try (InputStream in = LocalFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource sh/reform/local/infra/" + name + " is missing from reform-local-infra:"
                        + " build it with Maven (mvn -pl deploy/local-infra install), which writes it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes text to a file through a temporary file and a rename, so readers never see half of it. */
    static void writeAtomically(Path file, String text) {
        writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }

    static void writeAtomically(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The parent-watch agent jar, made once per content from this class path's ParentWatchAgent.class. */
    static synchronized Path parentWatchAgentJar() {
        if (agentJar != null && Files.isRegularFile(agentJar)) {
            return agentJar;
        }
        String className = ParentWatchAgent.class.getName();
        byte[] classBytes;
        try (InputStream in = ParentWatchAgent.class.getResourceAsStream(ParentWatchAgent.class.getSimpleName() + ".class")) {
            if (in == null) {
                throw new IllegalStateException("cannot read the class file of " + className);
            }
            classBytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path jar = cacheDir().resolve("agents").resolve("parent-watch-" + sha256(classBytes).substring(0, 16) + ".jar");
        if (!Files.isRegularFile(jar)) {
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), className);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = bytes; JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
                jarOut.putNextEntry(new JarEntry(className.replace('.', '/') + ".class"));
                jarOut.write(classBytes);
                jarOut.closeEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            writeAtomically(jar, bytes.toByteArray());
        }
        agentJar = jar;
        return jar;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
