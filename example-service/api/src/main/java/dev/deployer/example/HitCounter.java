package dev.deployer.example;

import java.net.UnknownHostException;
import java.time.Duration;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * The hit counter in Redis, through a small Jedis connection pool with short timeouts, so that neither a
 * request nor the health check hangs when Redis is slow or gone.
 */
public final class HitCounter implements AutoCloseable {

    /** The Redis key of the counter. */
    public static final String KEY = "example-service:hits";

    static final int TIMEOUT_MILLIS = 1000;

    private final RedisClient redis;

    public HitCounter(Config config) {
        DefaultJedisClientConfig client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MILLIS)
                .socketTimeoutMillis(TIMEOUT_MILLIS)
                .password(config.redisPassword())
                .clientName("example-service")
                .build();
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(8);
        pool.setMaxWait(Duration.ofMillis(TIMEOUT_MILLIS));
        // A connection broken by a Redis restart is replaced instead of failing the next request.
        pool.setTestOnBorrow(true);
        this.redis = RedisClient.builder()
                .hostAndPort(new HostAndPort(config.redisHost(), config.redisPort()))
                .clientConfig(client)
                .poolConfig(pool)
                .build();
    }

    /** Adds one hit and returns the new count. */
    public long increment() {
        return redis.incr(KEY);
    }

    /** Whether Redis answers PING, with the reason when it does not. */
    public Status ping() {
        try {
            String answer = redis.ping();
            return "PONG".equals(answer) ? Status.UP : Status.down("unexpected answer to PING: " + answer);
        } catch (RuntimeException e) {
            return Status.down(reason(e));
        }
    }

    /** The most specific message of an exception chain (e.g. "Failed to connect to redis:6379.", "WRONGPASS …"). */
    static String reason(Throwable error) {
        String reason = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage() + " (REDIS_HOST)";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return reason != null ? reason : error.getClass().getSimpleName();
    }

    @Override
    public void close() {
        redis.close();
    }

    /** The health of Redis: UP, or DOWN with a reason. */
    public record Status(boolean up, String reason) {
        static final Status UP = new Status(true, null);

        static Status down(String reason) {
            return new Status(false, reason);
        }
    }
}
