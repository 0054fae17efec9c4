package sh.reform.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import com.sun.net.httpserver.HttpServer;

/** A subscriber's webhook on loopback: records every request and answers with the status its behaviour gives the n-th request. */
final class WebhookReceiver implements AutoCloseable {

    record Received(Map<String, String> headers, String body, int status, Instant at) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    final List<Received> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    volatile IntUnaryOperator answer = n -> 200;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            int status = answer.applyAsInt(count.incrementAndGet());
            Map<String, String> h = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            requests.add(new Received(h, new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), status, Instant.now()));
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The requests that were answered with 2xx. */
    List<Received> served() {
        return requests.stream().filter(r -> r.status() / 100 == 2).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
