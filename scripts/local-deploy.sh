#!/usr/bin/env bash
# The main job: a real local deploy of example-service.
#
# Starts (or reuses) a Docker engine and a private TLS registry on 127.0.0.1:5443 (.ci/setup-env.sh),
# installs the plugin and the parent POM, then runs what a service's pipeline runs:
#   ../mvnw deploy -Plocal   = audit workflows, test, build the image with Jib, push it (tag = git SHA),
#                              deploy proxy + app + Redis with Compose by digest, wait for health, smoke checks.
# Ends with the URL of the running service, checked to answer.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash .ci/setup-env.sh
# shellcheck disable=SC1091
. /var/lib/deployer-ci/env.sh

# The app's Redis password: a secret, from the environment only. A fresh random one unless you set it.
if [[ -z ${REDIS_PASSWORD:-} ]]; then
  REDIS_PASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
fi
export REDIS_PASSWORD

./mvnw -B -ntp -q install -DskipTests -Dinvoker.skip=true -pl .,deploy-parent-pom,deploy-maven-plugin
cd example-service
"$root/mvnw" -B -ntp deploy -Plocal "$@"

url=http://127.0.0.1:18080
echo
echo "example-service answers at $url:"
curl -fsS "$url/health"; echo
curl -fsS -X POST "$url/hits"; echo
echo "Stop it with: docker-compose -p example-local -f example-service/target/deployer/local/docker-compose.yml down"
