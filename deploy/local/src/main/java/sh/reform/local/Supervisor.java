package sh.reform.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import sh.reform.local.infra.ManagedProcess;

/**
 * Restarts the launcher's children when they die, with back-off ({@link RestartPolicy}), like systemd's
 * {@code Restart=on-failure}. Generic over children: each is a name, how to get its current process, and
 * how to start it again (same ports, same data, so a broker or a Kafka Streams instance resumes from its
 * own state) and wait until it is ready. Every exit and restart is printed (Chinese and English), appended
 * to the child's log, and written to {@code <data-dir>/supervision.properties}:
 * <pre>
 *   &lt;name&gt;.state=running|restarting|failed
 *   &lt;name&gt;.restarts=2
 *   &lt;name&gt;.lastExitCode=137
 *   &lt;name&gt;.lastExitAt=2026-12-02T14:30:00Z
 *   &lt;name&gt;.readyAgainAt=2026-12-02T14:30:41Z
 * </pre>
 */
final class Supervisor {

    static final String STATUS_FILE = "supervision.properties";

    enum State { RUNNING, RESTARTING, FAILED }

    private final class Child {
        final String name;
        final Supplier<ManagedProcess> current;
        final Runnable relaunch;
        final RestartPolicy.History history = policy.history();
        volatile State state = State.RUNNING;
        volatile int lastExitCode = Integer.MIN_VALUE;
        volatile Instant lastExitAt;
        volatile Instant readyAgainAt;
        volatile Path logFile;

        Child(String name, Supplier<ManagedProcess> current, Runnable relaunch) {
            this.name = name;
            this.current = current;
            this.relaunch = relaunch;
        }
    }

    private final RestartPolicy policy;
    private final Path statusFile;
    private final PrintStream out;
    private final PrintStream err;
    private final BooleanSupplier stopping;
    private final Runnable afterRestart;
    private final Map<String, Child> children = new LinkedHashMap<>();
    private final ExecutorService restarts = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "reform-supervisor-restart");
        t.setDaemon(true);
        return t;
    });
    private volatile String fatal;

    Supervisor(RestartPolicy policy, Path dataDir, PrintStream out, PrintStream err, BooleanSupplier stopping, Runnable afterRestart) {
        this.policy = policy;
        this.statusFile = dataDir.resolve(STATUS_FILE);
        this.out = out;
        this.err = err;
        this.stopping = stopping;
        this.afterRestart = afterRestart;
    }

    /**
     * Watches {@code name}: {@code current} gives its process (null while it is being started);
     * {@code relaunch} starts it again and returns once it is ready, or throws (a failure like another exit).
     */
    void supervise(String name, Supplier<ManagedProcess> current, Runnable relaunch) {
        synchronized (children) {
            children.put(name, new Child(name, current, relaunch));
        }
        writeStatus();
    }

    /** Stops watching {@code name} (it is being stopped on purpose). */
    void forget(String name) {
        synchronized (children) {
            children.remove(name);
        }
        writeStatus();
    }

    /**
     * One look at every running child; a dead one is restarted in the background (or, past the limit, this
     * returns why everything must stop). Returns null while all is well.
     */
    String check() {
        if (fatal != null) {
            return fatal;
        }
        List<Child> all;
        synchronized (children) {
            all = new ArrayList<>(children.values());
        }
        for (Child child : all) {
            if (child.state != State.RUNNING || stopping.getAsBoolean()) {
                continue;
            }
            ManagedProcess process = child.current.get();
            if (process == null || process.isAlive()) {
                continue;
            }
            child.logFile = process.logFile();
            child.lastExitCode = process.exitCode();
            child.lastExitAt = Instant.now();
            onFailure(child, process, "意外退出,退出码 " + child.lastExitCode, "exited unexpectedly with code " + child.lastExitCode);
        }
        return fatal;
    }

    private void onFailure(Child child, ManagedProcess process, String whyZh, String whyEn) {
        RestartPolicy.Decision decision;
        synchronized (child) {
            decision = child.history.onFailure(Instant.now());
        }
        if (decision instanceof RestartPolicy.GiveUp giveUp) {
            child.state = State.FAILED;
            writeStatus();
            String message = child.name + " " + whyZh + ";" + giveUp.window().toSeconds() + " s 内已重启 " + giveUp.restartsInWindow()
                    + " 次(上限 " + giveUp.limit() + "),放弃并停止全部 / " + child.name + " " + whyEn + " after "
                    + giveUp.restartsInWindow() + " restarts within " + giveUp.window().toSeconds() + " s (limit "
                    + giveUp.limit() + ", --restart-limit/--restart-window); giving up and stopping everything";
            logLine(child, "supervisor: " + whyEn + "; restart limit reached (" + giveUp.restartsInWindow() + " within "
                    + giveUp.window().toSeconds() + " s); giving up");
            fatal = process != null ? process.failure(message).getMessage() : message;
            return;
        }
        RestartPolicy.Restart restart = (RestartPolicy.Restart) decision;
        child.state = State.RESTARTING;
        writeStatus();
        String delay = String.format(Locale.ROOT, "%.1f s", restart.delay().toMillis() / 1e3);
        err.println("[supervisor] " + child.name + " " + whyZh + ";" + delay + " 后第 " + restart.number() + " 次重启 / "
                + whyEn + "; restart #" + restart.number() + " in " + delay);
        logLine(child, "supervisor: " + whyEn + "; restart #" + restart.number() + " in " + delay);
        restarts.submit(() -> restartAfter(child, restart));
    }

    private void restartAfter(Child child, RestartPolicy.Restart restart) {
        try {
            Thread.sleep(restart.delay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (stopping.getAsBoolean()) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            child.relaunch.run();
        } catch (RuntimeException e) {
            if (stopping.getAsBoolean()) {
                return;
            }
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            ManagedProcess p = safeCurrent(child);
            if (p != null) {
                child.logFile = p.logFile();
            }
            onFailure(child, null, "重启失败(" + first + ")", "failed to restart (" + first + ")");
            return;
        }
        child.readyAgainAt = Instant.now();
        child.state = State.RUNNING;
        ManagedProcess p = safeCurrent(child);
        if (p != null) {
            child.logFile = p.logFile();
        }
        String secs = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9);
        out.println("[supervisor] " + child.name + " 已重启并就绪(第 " + restart.number() + " 次,用时 " + secs + ") / restarted and ready"
                + " (restart #" + restart.number() + ", " + secs + ")" + (p != null ? ", pid " + p.pid() : ""));
        logLine(child, "supervisor: restarted and ready (restart #" + restart.number() + ", " + secs + ")");
        writeStatus();
        afterRestart.run();
    }

    private static ManagedProcess safeCurrent(Child child) {
        try {
            return child.current.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Restarts per child since the launcher started. */
    Map<String, Integer> restartCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        synchronized (children) {
            children.values().forEach(c -> counts.put(c.name, c.history.total()));
        }
        return counts;
    }

    void shutdown() {
        restarts.shutdownNow();
    }

    private void logLine(Child child, String line) {
        Path log = child.logFile;
        if (log == null) {
            return;
        }
        try {
            Files.writeString(log, System.lineSeparator() + "==== " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                    + " [reform] " + child.name + ": " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the console line is enough
        }
    }

    synchronized void writeStatus() {
        StringBuilder text = new StringBuilder("# reform local platform: the launcher's supervisor (restarts since it started)\n");
        synchronized (children) {
            for (Child c : children.values()) {
                text.append(c.name).append(".state=").append(c.state.name().toLowerCase(Locale.ROOT)).append('\n');
                text.append(c.name).append(".restarts=").append(c.history.total()).append('\n');
                if (c.lastExitCode != Integer.MIN_VALUE) {
                    text.append(c.name).append(".lastExitCode=").append(c.lastExitCode).append('\n');
                }
                if (c.lastExitAt != null) {
                    text.append(c.name).append(".lastExitAt=").append(c.lastExitAt).append('\n');
                }
                if (c.readyAgainAt != null) {
                    text.append(c.name).append(".readyAgainAt=").append(c.readyAgainAt).append('\n');
                }
            }
        }
        try {
            Files.createDirectories(statusFile.getParent());
            Path tmp = statusFile.resolveSibling(STATUS_FILE + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, statusFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ignored) {
            // a status file is a convenience; the console has it all
        }
    }
}
