#!/usr/bin/env bash
# .ci/verify-env.sh: smoke-test what .ci/setup-env.sh provides (about 20 s). Leaves nothing
# behind: its Compose project and stack are removed at the end, also on failure.
#   images run (java -version, redis-server --version, caddy version), the registry answers
#   401 without and 200 with credentials through the CA, Java trusts the registry, a Compose
#   app + Redis (health check) + Caddy reverse proxy works, a Swarm stack (Redis with
#   endpoint_mode dnsrr, reached by name) converges.
set -euo pipefail
shopt -s inherit_errexit

# shellcheck source=/dev/null
. /var/lib/deployer-ci/env.sh
readonly NAME=dcverify$$ STACK=dcverifys$$
WORK=$(mktemp -d /tmp/deployer-ci-verify.XXXXXX)
failed=0
ok() { printf '  ok    %s\n' "$*"; }
bad() { printf '  FAIL  %s\n' "$*"; failed=1; }
check() { local what=$1; shift; if out=$("$@" 2>&1); then ok "$what"; else bad "$what"; printf '%s\n' "$out" | tail -5 | sed 's/^/        /'; fi; }
cleanup() {
  (cd "$WORK" && docker-compose -p "$NAME" down -v --remove-orphans >/dev/null 2>&1) || true
  docker stack rm "$STACK" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "images"
check "jre17: java -version"        docker run --rm "$DEPLOYER_TEST_BASE_IMAGE" java -version
check "jre17: runs as non-root"     sh -c "[ \"\$(docker run --rm '$DEPLOYER_TEST_BASE_IMAGE' id -u)\" != 0 ]"
check "redis: redis-server --version" docker run --rm "$DEPLOYER_TEST_REDIS_IMAGE" redis-server --version
check "proxy: caddy version"        docker run --rm "$DEPLOYER_TEST_PROXY_IMAGE" caddy version
check "base tar is a docker save archive" sh -c "tar -tf '$DEPLOYER_TEST_BASE_TAR' | grep -qx manifest.json"

echo "registry"
check "401 without credentials" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' --cacert '$DEPLOYER_TEST_CA_CERT' https://$DEPLOYER_TEST_REGISTRY/v2/)\" = 401 ]"
check "200 with credentials"    curl -sf --cacert "$DEPLOYER_TEST_CA_CERT" -u "$DEPLOYER_TEST_REGISTRY_USERNAME:$DEPLOYER_TEST_REGISTRY_PASSWORD" "https://$DEPLOYER_TEST_REGISTRY/v2/_catalog"
check "system CA store trusts it" curl -sf -o /dev/null -u "$DEPLOYER_TEST_REGISTRY_USERNAME:$DEPLOYER_TEST_REGISTRY_PASSWORD" "https://$DEPLOYER_TEST_REGISTRY/v2/"
cat >"$WORK/Probe.java" <<'EOF'
public class Probe {
  public static void main(String[] a) throws Exception {
    var c = (javax.net.ssl.HttpsURLConnection) new java.net.URL(a[0]).openConnection();
    System.out.println(c.getResponseCode());
  }
}
EOF
check "Java default truststore trusts it" sh -c "[ \"\$(java '$WORK/Probe.java' https://$DEPLOYER_TEST_REGISTRY/v2/)\" = 401 ]"

echo "compose (app + redis + reverse proxy)"
cat >"$WORK/docker-compose.yml" <<EOF
version: "3.8"
services:
  redis:
    image: $DEPLOYER_TEST_REDIS_IMAGE
    healthcheck: {test: [CMD, redis-cli, ping], interval: 1s, timeout: 3s, retries: 30}
  app:
    image: $DEPLOYER_TEST_BASE_IMAGE
    command: [sh, -c, "mkdir -p /tmp/www && echo ok >/tmp/www/health && exec httpd -f -p 8080 -h /tmp/www"]
    depends_on: {redis: {condition: service_healthy}}
    healthcheck: {test: [CMD, wget, -q, -O-, "http://127.0.0.1:8080/health"], interval: 1s, retries: 30}
  proxy:
    image: $DEPLOYER_TEST_PROXY_IMAGE
    command: [caddy, reverse-proxy, --from, ":8080", --to, "app:8080"]
    ports: ["127.0.0.1::8080"]
    depends_on: {app: {condition: service_healthy}}
EOF
check "docker-compose up -d" sh -c "cd '$WORK' && docker-compose -p '$NAME' up -d"
check "redis healthy, reachable by name from another container (protected mode off)" sh -c "
  for i in \$(seq 60); do
    [ \"\$(docker inspect -f '{{.State.Health.Status}}' \$(cd '$WORK' && docker-compose -p '$NAME' ps -q redis))\" = healthy ] && break; sleep 0.5
  done
  cd '$WORK' && docker-compose -p '$NAME' run --rm --no-deps -T redis redis-cli -h redis set k v | grep -qx OK &&
  docker-compose -p '$NAME' exec -T redis redis-cli get k | grep -qx v"
check "proxy forwards to app" sh -c "
  port=\$(cd '$WORK' && docker-compose -p '$NAME' port proxy 8080 | cut -d: -f2)
  for i in \$(seq 40); do curl -sf http://127.0.0.1:\$port/health && exit 0; sleep 0.25; done; exit 1"

echo "swarm stack (redis with endpoint_mode dnsrr)"
cat >"$WORK/stack.yml" <<EOF
version: "3.8"
services:
  redis:
    image: $DEPLOYER_TEST_REDIS_IMAGE
    healthcheck: {test: [CMD, redis-cli, ping], interval: 1s, retries: 30}
    deploy: {endpoint_mode: dnsrr}
  client:
    image: $DEPLOYER_TEST_REDIS_IMAGE
    command: [sh, -c, "until redis-cli -h redis set stack ok; do sleep 0.5; done; trap 'exit 0' TERM; sleep 3600 & wait"]
    deploy: {endpoint_mode: dnsrr}
EOF
check "docker stack deploy" docker stack deploy --with-registry-auth -c "$WORK/stack.yml" "$STACK"
check "stack converges, client reaches redis by name" sh -c "
  for i in \$(seq 120); do
    c=\$(docker ps -q -f label=com.docker.swarm.service.name=${STACK}_redis -f health=healthy)
    [ -n \"\$c\" ] && [ \"\$(docker exec \$c redis-cli get stack 2>/dev/null)\" = ok ] && exit 0
    sleep 0.5
  done; docker stack ps --no-trunc '$STACK'; exit 1"

((failed == 0)) && echo "all checks passed" || { echo "some checks FAILED"; exit 1; }
