package sh.reform.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Loopback port helpers: every local process here listens on 127.0.0.1 only. */
public final class Ports {

    public static final String HOST = "127.0.0.1";

    private Ports() {
    }

    /** A port that is free on 127.0.0.1 right now. */
    public static int freePort() {
        return freePorts(1)[0];
    }

    /** {@code count} distinct ports that are free on 127.0.0.1 right now. */
    public static int[] freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                held.add(socket);
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        } finally {
            for (ServerSocket socket : held) {
                closeQuietly(socket);
            }
        }
    }

    /** True if a server could not bind {@code port} on 127.0.0.1 (someone listens there, on it or on 0.0.0.0). */
    public static boolean isTaken(int port) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("not a TCP port: " + port);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as servers do: a port in TIME_WAIT is not taken
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Throws {@link PortInUseException} naming the option that changes it, e.g. {@code --kafka-port}. */
    public static void requireFree(int port, String option) {
        if (isTaken(port)) {
            throw new PortInUseException(port, option);
        }
    }

    /** True if something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean accepts(int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
