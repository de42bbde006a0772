package dev.deployer.platform.compose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which containers a start that finds the proxy pinned removes at once, and which it stops with the grace period. */
class BlueGreenTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void containersStartedBesideThePinnedOnesNeverServedAndAreRemovedAtOnce() throws Exception {
        // a deploy whose new container failed its health gate: the proxy stays pinned to the old one
        Container old = container("app_1", 1_000L);
        Container refused = container("app_2", 1_060L);

        BlueGreen.Unpinned unpinned = BlueGreen.unpinned(List.of(old), List.of(refused));

        assertEquals(List.of(), names(unpinned.draining()));
        assertEquals(List.of("app_2"), names(unpinned.neverServed()));
    }

    @Test
    void containersOlderThanThePinnedOnesMayStillBeDrainingAndAreStoppedWithTheGracePeriod() throws Exception {
        // a switch-over pinned the proxy to app_3 and app_4 and was interrupted while app_1 and app_2 drained
        Container first = container("app_1", 1_000L);
        Container second = container("app_2", 1_001L);
        Container successor = container("app_3", 1_060L);
        Container other = container("app_4", 1_061L);

        BlueGreen.Unpinned unpinned = BlueGreen.unpinned(List.of(successor, other), List.of(first, second));

        assertEquals(List.of("app_1", "app_2"), names(unpinned.draining()));
        assertEquals(List.of(), names(unpinned.neverServed()));
    }

    @Test
    void bothKindsAtOnceAndAContainerOfUnknownAgeIsTreatedAsDraining() throws Exception {
        Container draining = container("app_1", 1_000L);
        Container unknown = container("app_2", null);
        Container serving = container("app_3", 1_060L);
        Container sameSecond = container("app_4", 1_060L);
        Container refused = container("app_5", 1_200L);

        BlueGreen.Unpinned unpinned = BlueGreen.unpinned(List.of(serving), List.of(draining, unknown, sameSecond, refused));

        assertEquals(List.of("app_1", "app_2"), names(unpinned.draining()));
        assertEquals(List.of("app_4", "app_5"), names(unpinned.neverServed()));
    }

    private static Container container(String name, Long created) throws Exception {
        return JSON.readValue("{\"Id\":\"id-" + name + "\",\"Names\":[\"/" + name + "\"],\"State\":\"running\""
                + (created == null ? "" : ",\"Created\":" + created) + "}", Container.class);
    }

    private static List<String> names(List<Container> containers) {
        return containers.stream().map(BlueGreen::name).toList();
    }
}
