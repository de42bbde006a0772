package dev.deployer.platform.compose;

import dev.deployer.core.DeployerException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CaddyUpstreamsTest {

    /** What Caddy 2.6's admin API returns for the example's Caddyfile (reverse_proxy app:8080 with retries), plus a second site. */
    private static final String CONFIG = """
            {"apps":{"http":{"servers":{"srv0":{"listen":[":8080"],"routes":[{"handle":[{"handler":"reverse_proxy",\
            "load_balancing":{"try_duration":10000000000},"upstreams":[{"dial":"app:8080","max_requests":50}]}]},\
            {"handle":[{"handler":"subroute","routes":[{"handle":[{"handler":"reverse_proxy","upstreams":[{"dial":"other:9000"}]}]}]}]}]}}}}}""";

    private final CaddyUpstreams upstreams = new CaddyUpstreams("shop", "app");

    @Test
    void routingByTheServiceNameIsNotPinned() {
        assertEquals(Optional.of(new CaddyUpstreams.Routing(8080, List.of())), upstreams.routing(CONFIG));
    }

    @Test
    void aProxyThatDoesNotDialTheServiceHasNoRouting() {
        assertEquals(Optional.empty(), new CaddyUpstreams("shop", "web").routing(CONFIG));
    }

    @Test
    void pinningReplacesOnlyTheServicesUpstreamsKeepingTheirSettings() {
        String pinned = upstreams.route(CONFIG, List.of("shop_app_2", "shop_app_3"), 8080);

        assertEquals(CONFIG.replace("[{\"dial\":\"app:8080\",\"max_requests\":50}]",
                "[{\"dial\":\"shop_app_2:8080\",\"max_requests\":50},{\"dial\":\"shop_app_3:8080\",\"max_requests\":50}]"), pinned);
        assertEquals(Optional.of(new CaddyUpstreams.Routing(8080, List.of("shop_app_2", "shop_app_3"))), upstreams.routing(pinned));
    }

    @Test
    void pinnedContainersOfComposeV2AreRecognisedAndUnpinningRestoresTheServiceName() {
        String pinned = upstreams.route(CONFIG, List.of("shop-app-7"), 8080);

        assertEquals(List.of("shop-app-7"), upstreams.routing(pinned).orElseThrow().pinned());
        assertEquals(CONFIG, upstreams.unpin(pinned, 8080));
    }

    @Test
    void containersOfAnotherProjectOrServiceAreNotOurs() {
        String config = CONFIG.replace("\"app:8080\"", "\"shopping_app_1:8080\"");

        assertEquals(Optional.empty(), upstreams.routing(config));
        assertEquals(config, upstreams.route(config, List.of("shop_app_2"), 8080));
    }

    @Test
    void anAnswerThatIsNotJsonSaysWhatTheProxyMustBe() {
        DeployerException e = assertThrows(DeployerException.class, () -> upstreams.routing("404 page not found"));
        assertEquals(true, e.getMessage().contains("admin endpoint on localhost:2019"), e.getMessage());
    }
}
