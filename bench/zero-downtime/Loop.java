import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The zero-downtime benchmark's request loop: GET url one request after another (one keep-alive connection, a new
 * one after a failure), until the stop file exists, maxRequests were sent or maxSeconds passed, whichever comes
 * first. Each request has a 5 s time-out; an answer other than 200 or an I/O error counts as failed. Writes the
 * ready file after the first successful answer (the caller starts the deploy then), and at the end one line:
 *
 *   requests=N failed=N longestGapMs=N firstFailure=... versions=v1:N,v2:N stoppedBy=stop|count|time
 *
 * longestGapMs is the longest time between two successive successful answers (or, when the last answers failed,
 * from the last successful one to the end). JDK only:
 *   java Loop.java http://127.0.0.1:18977/version 20000 300 ready-file stop-file [pause-ms]
 */
public class Loop {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        long maxRequests = Long.parseLong(args[1]);
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
        Path ready = Path.of(args[3]);
        Path stop = Path.of(args[4]);
        long pauseMs = args.length > 5 ? Long.parseLong(args[5]) : 10;
        HttpClient client = newClient();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
        Map<String, Integer> versions = new TreeMap<>();
        long requests = 0, failed = 0, longestGap = 0, lastSuccess = -1;
        boolean lastOk = true;
        String firstFailure = "-";
        String stoppedBy = "count";
        while (requests < maxRequests) {
            if (Files.exists(stop)) {
                stoppedBy = "stop";
                break;
            }
            if (System.nanoTime() > deadline) {
                stoppedBy = "time";
                break;
            }
            requests++;
            String failure = null;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    long now = System.nanoTime();
                    if (lastSuccess >= 0) {
                        longestGap = Math.max(longestGap, now - lastSuccess);
                    } else {
                        Files.writeString(ready, "ready\n");
                    }
                    lastSuccess = now;
                    versions.merge(response.body().strip().replaceAll("[\\s,:=]", "_"), 1, Integer::sum);
                } else {
                    failure = "HTTP " + response.statusCode();
                }
            } catch (IOException e) {
                failure = e.getClass().getSimpleName();
                client = newClient(); // a broken connection is not reused
            }
            lastOk = failure == null;
            if (failure != null) {
                failed++;
                if (firstFailure.equals("-")) {
                    firstFailure = failure.replace(' ', '_');
                }
            }
            if (pauseMs > 0) {
                Thread.sleep(pauseMs); // pacing of the load (about 1000/pauseMs requests per second at most), not synchronisation
            }
        }
        if (lastSuccess >= 0 && !lastOk) {
            // it ended failing: the time since the last successful answer is a gap too
            longestGap = Math.max(longestGap, System.nanoTime() - lastSuccess);
        }
        StringBuilder v = new StringBuilder();
        versions.forEach((name, count) -> v.append(v.length() == 0 ? "" : ",").append(name).append(':').append(count));
        System.out.println("requests=" + requests + " failed=" + failed + " longestGapMs=" + longestGap / 1_000_000
                + " firstFailure=" + firstFailure + " versions=" + (v.length() == 0 ? "-" : v) + " stoppedBy=" + stoppedBy);
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    }
}
