package sh.reform.local;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A stand-in service for the launcher test: answers /actuator/health with 200 after a short delay. */
public final class HealthServer {

    private HealthServer() {
    }

    public static void main(String[] args) throws Exception {
        Thread.sleep(300);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
        server.createContext("/actuator/health", exchange -> {
            byte[] body = ("{\"status\":\"UP\",\"kafka\":\"" + args[1] + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
