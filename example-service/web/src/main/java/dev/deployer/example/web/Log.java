package dev.deployer.example.web;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** One line per event on stdout (the container's log), in the same shape as the api's SLF4J simple logger. */
final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private Log() {
    }

    static void info(String message) {
        line("INFO", message);
    }

    static void warn(String message) {
        line("WARN", message);
    }

    static void error(String message) {
        line("ERROR", message);
    }

    private static void line(String level, String message) {
        System.out.println(TIME.format(OffsetDateTime.now()) + " [" + Thread.currentThread().getName() + "] [" + level
                + "] WebService - " + message);
    }
}
