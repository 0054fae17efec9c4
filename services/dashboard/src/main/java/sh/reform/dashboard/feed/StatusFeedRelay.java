package sh.reform.dashboard.feed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import sh.reform.dashboard.DashboardSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows the status service's Server-Sent Events stream and keeps the latest alerts and status changes,
 * so a page opened now can show what happened before it was opened (the stream itself only sends what
 * happens from the moment a client connects). The browser still gets live events straight from the
 * status service; this is the memory behind the "latest alerts" and the live feed. Reconnects on its own.
 */
@Component
class StatusFeedRelay implements SmartLifecycle {

    static final int KEEP_ALERTS = 200;
    static final int KEEP_CHANGES = 300;
    private static final Logger log = LoggerFactory.getLogger(StatusFeedRelay.class);
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** One event as the stream sent it, with the time this server received it. */
    record FeedEvent(String type, String id, OffsetDateTime receivedAt, JsonNode data) {
    }

    private final String streamUrl;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Deque<FeedEvent> alerts = new ArrayDeque<>();
    private final Deque<FeedEvent> changes = new ArrayDeque<>();
    private volatile boolean running;
    private volatile boolean connected;
    private volatile InputStream body;
    private Thread thread;

    StatusFeedRelay(DashboardSettings settings, JsonMapper json) {
        this.streamUrl = settings.getApis().getStatus() + "/api/v1/status/stream";
        this.json = json;
    }

    synchronized List<FeedEvent> alerts() {
        return new ArrayList<>(alerts);
    }

    synchronized List<FeedEvent> changes() {
        return new ArrayList<>(changes);
    }

    boolean connected() {
        return connected;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::follow, "status-feed-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        closeBody();
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void follow() {
        long backoff = 1000;
        while (running) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(streamUrl)).header("Accept", "text/event-stream").GET().build();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                body = response.body();
                if (response.statusCode() != 200) {
                    closeBody();
                    throw new IOException("status stream answered " + response.statusCode());
                }
                connected = true;
                backoff = 1000;
                read(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                log.debug("status stream not available ({}); retrying", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                connected = false;
                closeBody();
            }
            sleep(backoff);
            backoff = Math.min(backoff * 2, 15_000);
        }
    }

    /** The Server-Sent Events format: fields until a blank line, which dispatches the event. */
    private void read(BufferedReader reader) throws IOException {
        String event = "message";
        String id = null;
        StringBuilder data = new StringBuilder();
        String line;
        while (running && (line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    dispatch(event, id, data.toString());
                }
                event = "message";
                id = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            }
            // comments (":keep-alive") and other fields are ignored
        }
    }

    void dispatch(String event, String id, String data) {
        JsonNode node;
        try {
            node = json.readTree(data);
        } catch (RuntimeException e) {
            log.debug("skipping unreadable stream event {}: {}", id, e.getMessage());
            return;
        }
        FeedEvent e = new FeedEvent(event, id, OffsetDateTime.now(SHANGHAI), node);
        synchronized (this) {
            Deque<FeedEvent> into = "alert".equals(event) ? alerts : changes;
            into.addFirst(e);
            while (into.size() > ("alert".equals(event) ? KEEP_ALERTS : KEEP_CHANGES)) {
                into.removeLast();
            }
        }
    }

    private void closeBody() {
        InputStream b = body;
        body = null;
        if (b != null) {
            try {
                b.close();
            } catch (IOException ignored) {
                // closing a broken stream
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
