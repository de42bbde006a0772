package dev.deployer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in the test JVM: accepts on one address and pipes each connection to the first of its targets that
 * accepts it. It stands in for what sits in front of a private Swarm's nodes (a load balancer: the first node whose
 * app answers) and carries the nodes' registry traffic to the host's 127.0.0.1. Closed with everything it opened.
 */
public final class TcpRelay implements AutoCloseable {

    private final ServerSocket server;
    private final List<InetSocketAddress> targets;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private TcpRelay(ServerSocket server, List<InetSocketAddress> targets) {
        this.server = server;
        this.targets = targets;
    }

    /** Listens on {@code host:port} and relays to {@code targets}, tried in order. */
    public static TcpRelay start(String host, int port, List<InetSocketAddress> targets) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(host, port), 50);
            TcpRelay relay = new TcpRelay(server, List.copyOf(targets));
            Thread accept = new Thread(relay::accept, "relay-" + host + ":" + port);
            accept.setDaemon(true);
            accept.start();
            return relay;
        } catch (IOException e) {
            throw new AssertionError("Cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread connect = new Thread(() -> relay(client), "relay-connection");
                connect.setDaemon(true);
                connect.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relay(Socket client) {
        for (InetSocketAddress target : targets) {
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 1000);
            } catch (IOException refused) {
                close(upstream);
                continue;
            }
            open.add(upstream);
            pipe(client, upstream);
            pipe(upstream, client);
            return;
        }
        close(client); // no target answers: the client sees the connection closed
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                close(from); // either side closing ends the connection, after what was sent has been passed on
                close(to);
            }
        }, "relay-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closed
        }
        open.forEach(this::close);
    }
}
