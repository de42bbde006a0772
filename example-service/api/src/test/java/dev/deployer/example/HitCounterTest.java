package dev.deployer.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

class HitCounterTest {

    @Test
    void reasonIsTheMostSpecificMessage() {
        JedisConnectionException error = new JedisConnectionException("Failed to connect to redis:6379.",
                new ConnectException(null));

        assertEquals("Failed to connect to redis:6379.", HitCounter.reason(error));
    }

    @Test
    void anUnknownHostIsNamedAsSuch() {
        JedisConnectionException error = new JedisConnectionException("Failed to connect",
                new JedisConnectionException(new UnknownHostException("redis")));

        assertEquals("unknown host redis (REDIS_HOST)", HitCounter.reason(error));
    }
}
