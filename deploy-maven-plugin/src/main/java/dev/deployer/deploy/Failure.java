package dev.deployer.deploy;

import java.util.List;

/**
 * Why a deploy failed, and which services to show the logs of.
 *
 * @param reason   one line
 * @param services the services whose last log lines explain it
 */
record Failure(String reason, List<String> services) {

    Failure {
        services = List.copyOf(services);
    }
}
