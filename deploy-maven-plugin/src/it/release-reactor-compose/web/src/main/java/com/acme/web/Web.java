package com.acme.web;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** GET /health answers "web <version>" (500 when this build is broken). */
public class Web {

    static final boolean HEALTHY = true;

    public static void main(String[] args) throws Exception {
        String version = System.getenv().getOrDefault("APP_VERSION", "dev");
        // BIND and PORT: on Swarm's host network (release-reactor-swarm-quantum) each service has a port of its own
        String bind = System.getenv().getOrDefault("BIND", "0.0.0.0");
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        server.createContext("/health", exchange -> {
            byte[] body = ((HEALTHY ? "web " : "broken ") + version).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(HEALTHY ? 200 : 500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println("web listening on " + bind + ":" + port + ", version " + version);
    }
}
