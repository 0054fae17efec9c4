package sh.reform.local.infra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * A child process whose output goes to a log file, that can be waited on until it is ready, and that
 * never outlives this JVM: a shutdown hook stops the live ones (newest first), and child JVMs started
 * through {@link #javaCommand} carry an agent that ends them if this JVM dies without running hooks.
 */
public final class ManagedProcess {

    /** How long {@link #stop()} waits after SIGTERM before it forces the process down. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(20);
    /** How many log lines an error message carries. */
    public static final int TAIL_LINES = 30;

    private static final Deque<ManagedProcess> LIVE = new ConcurrentLinkedDeque<>();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    static {
        Thread hook = new Thread(ManagedProcess::stopAllLive, "reform-managed-process-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A readiness check; exceptions count as "not ready yet". */
    @FunctionalInterface
    public interface Probe {
        boolean ready() throws Exception;
    }

    private final String name;
    private final List<String> command;
    private final Path logFile;
    private final long logStart;
    private final Process process;
    private final Instant startedAt;
    private long scanPosition;
    private byte[] scanCarry = new byte[0];

    private ManagedProcess(String name, List<String> command, Path logFile, long logStart, Process process) {
        this.name = name;
        this.command = List.copyOf(command);
        this.logFile = logFile;
        this.logStart = logStart;
        this.process = process;
        this.startedAt = Instant.now();
        this.scanPosition = logStart;
    }

    /**
     * The command line of a child JVM: the same {@code java} as this JVM, the parent-watch agent, then
     * {@code jvmArgsAndMain} (e.g. {@code -Xmx256m -jar app.jar --server.port=8082}). On Linux the child
     * gets its own session ({@code setsid}), so a Ctrl-C in the terminal reaches only the launcher, which
     * then stops its children in order.
     */
    public static List<String> javaCommand(List<String> jvmArgsAndMain) {
        List<String> cmd = new ArrayList<>();
        Path setsid = setsid();
        if (setsid != null) {
            cmd.add(setsid.toString());
        }
        cmd.add(LocalFiles.javaCommand());
        ProcessHandle self = ProcessHandle.current();
        long startMillis = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        cmd.add("-javaagent:" + LocalFiles.parentWatchAgentJar() + "=" + self.pid() + ":" + startMillis);
        cmd.addAll(jvmArgsAndMain);
        return cmd;
    }

    private static Path setsid() {
        if (LocalFiles.isWindows() || "false".equalsIgnoreCase(System.getProperty("reform.setsid"))) {
            return null;
        }
        for (String candidate : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        return null;
    }

    /**
     * Starts {@code command} in {@code workDir} with {@code env} added to this process's environment;
     * stdout and stderr are appended to {@code logFile}.
     */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path logFile) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.createDirectories(workDir);
            String header = System.lineSeparator() + "==== " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                    + " starting " + name + ": " + String.join(" ", command) + System.lineSeparator();
            Files.writeString(logFile, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            long logStart = Files.size(logFile);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().putAll(env);
            ManagedProcess managed = new ManagedProcess(name, command, logFile, logStart, builder.start());
            LIVE.addLast(managed);
            return managed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + String.join(" ", command) + ")", e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public List<String> command() {
        return command;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, or -1 while it runs. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * Polls {@code probe} until it answers true. Throws with the last lines of the log if the process
     * exits first or if {@code timeout} passes (then the process is killed).
     */
    public void awaitReady(Duration timeout, Probe probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw failure(name + " exited with code " + process.exitValue() + " before it was ready / 启动失败");
            }
            try {
                if (probe.ready()) {
                    return;
                }
            } catch (Exception notYet) {
                // not ready yet
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw failure(name + " was not ready within " + timeout.toSeconds() + " s / 启动超时");
            }
            sleep(100);
        }
    }

    /** Waits until the process ends (killing it after {@code timeout}) and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw failure(name + " did not finish within " + timeout.toSeconds() + " s / 执行超时");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        LIVE.remove(this);
        return process.exitValue();
    }

    /** An exception carrying {@code message} and the last {@value #TAIL_LINES} lines of this process's log. */
    public IllegalStateException failure(String message) {
        return new IllegalStateException(message + System.lineSeparator()
                + "last " + TAIL_LINES + " lines of " + logFile + ":" + System.lineSeparator() + tail(TAIL_LINES));
    }

    /** True once {@code marker} appeared in what this process wrote to its log (ASCII markers). */
    public synchronized boolean logContains(String marker) {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long end = file.length();
            while (scanPosition < end) {
                int length = (int) Math.min(1 << 16, end - scanPosition);
                byte[] chunk = new byte[scanCarry.length + length];
                System.arraycopy(scanCarry, 0, chunk, 0, scanCarry.length);
                file.seek(scanPosition);
                file.readFully(chunk, scanCarry.length, length);
                scanPosition += length;
                if (indexOf(chunk, needle) >= 0) {
                    scanCarry = needle; // stays found
                    return true;
                }
                int keep = Math.min(chunk.length, needle.length - 1);
                scanCarry = Arrays.copyOfRange(chunk, chunk.length - keep, chunk.length);
            }
            return Arrays.equals(scanCarry, needle);
        } catch (IOException e) {
            return false;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The last {@code lines} lines this process wrote to its log. */
    public String tail(int lines) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long end = file.length();
            long from = Math.max(logStart, end - 256 * 1024);
            byte[] bytes = new byte[(int) (end - from)];
            file.seek(from);
            file.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\\R");
            return String.join(System.lineSeparator(), Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** Graceful stop: SIGTERM, up to {@link #DEFAULT_STOP_GRACE}, then forced. */
    public void stop() {
        stop(DEFAULT_STOP_GRACE);
    }

    /** Graceful stop: SIGTERM, up to {@code grace}, then forced. Idempotent. */
    public synchronized void stop(Duration grace) {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.err.println("[reform] " + name + " (pid " + pid() + ") did not stop within "
                            + grace.toSeconds() + " s; killing it / 强制结束");
                    forceDown();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            forceDown();
        } finally {
            LIVE.remove(this);
        }
    }

    /** Like {@code kill -9}: no shutdown of any kind in the child. */
    public synchronized void kill() {
        try {
            forceDown();
        } finally {
            LIVE.remove(this);
        }
    }

    private void forceDown() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stopAllLive() {
        ManagedProcess newest;
        while ((newest = LIVE.pollLast()) != null) {
            newest.stop();
        }
    }

    /** True if GET {@code url} answers 200 within a couple of seconds. */
    public static boolean httpOk(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + (isAlive() ? "" : ", exited " + exitCode()) + ", log " + logFile + ")";
    }
}
