package sh.reform.shared.serde;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import sh.reform.shared.registry.SchemaRegistryClient;

/** One registry client (and so one cache) per registry address in a JVM, shared by all serdes. */
final class RegistryClients {
    private static final Map<String, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

    private RegistryClients() {
    }

    static SchemaRegistryClient shared(String url, String userInfo, Duration timeout) {
        return CLIENTS.computeIfAbsent(url + "|" + userInfo + "|" + timeout.toMillis(),
                k -> new SchemaRegistryClient(url, userInfo, timeout));
    }
}
