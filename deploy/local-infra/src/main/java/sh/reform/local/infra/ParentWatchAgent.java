package sh.reform.local.infra;

import java.time.Instant;
import java.util.Optional;

/**
 * A Java agent put into every child JVM ({@code -javaagent:parent-watch.jar=<pid>:<startMillis>}):
 * when the parent JVM is gone (even after {@code kill -9}, where no shutdown hook runs) the child
 * exits through {@link System#exit}, so its own shutdown hooks still close it cleanly.
 * Only JDK classes, no inner classes: the agent jar holds this one class file.
 */
public final class ParentWatchAgent {

    private static final long POLL_MILLIS = 500;
    private static final long HALT_AFTER_MILLIS = 30_000;

    private ParentWatchAgent() {
    }

    public static void premain(String args) {
        if (args == null || args.isBlank()) {
            return;
        }
        String[] parts = args.split(":");
        long pid = Long.parseLong(parts[0].trim());
        long startMillis = parts.length > 1 ? Long.parseLong(parts[1].trim()) : -1;
        if (!parentAlive(pid, startMillis)) {
            System.err.println("[parent-watch] parent process " + pid + " is gone; exiting");
            System.exit(143);
        }
        Thread watcher = new Thread(() -> watch(pid, startMillis), "reform-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void watch(long pid, long startMillis) {
        while (true) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (!parentAlive(pid, startMillis)) {
                System.err.println("[parent-watch] parent process " + pid + " is gone; shutting down");
                Thread halt = new Thread(() -> {
                    try {
                        Thread.sleep(HALT_AFTER_MILLIS);
                    } catch (InterruptedException ignored) {
                        // fall through
                    }
                    Runtime.getRuntime().halt(137);
                }, "reform-parent-watch-halt");
                halt.setDaemon(true);
                halt.start();
                System.exit(143);
                return;
            }
        }
    }

    private static boolean parentAlive(long pid, long startMillis) {
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            return false;
        }
        if (startMillis <= 0) {
            return true;
        }
        // A reused pid belongs to a process that started later.
        Optional<Instant> started = parent.get().info().startInstant();
        return started.isEmpty() || Math.abs(started.get().toEpochMilli() - startMillis) < 2_000;
    }
}
