#!/usr/bin/env bash
# The main job: a real local deploy of the example release (example-service/: api, web, stack).
#
# Starts (or reuses) a Docker engine and a private TLS registry on 127.0.0.1:5443 (.ci/setup-env.sh),
# installs the plugin and the parent POM, then runs what a repository's pipeline runs, from the reactor:
#   ../mvnw deploy -Plocal   = audit workflows, test, build the api and web images with Jib and push them
#                              (tag = git SHA), then, in the release owner (stack), deploy the whole release once:
#                              proxy + web + api + Redis with Compose, each image by digest, wait for health,
#                              smoke checks.
# Ends with ONE URL, answered through the proxy by web with data from the api (checked here).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash .ci/setup-env.sh
# shellcheck disable=SC1091
. /var/lib/deployer-ci/env.sh

# The api's Redis password: a secret, from the environment only. A fresh random one unless you set it.
if [[ -z ${REDIS_PASSWORD:-} ]]; then
  REDIS_PASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
fi
export REDIS_PASSWORD

./mvnw -B -ntp -q install -DskipTests -Dinvoker.skip=true -pl .,deploy-parent-pom,deploy-maven-plugin
cd example-service
"$root/mvnw" -B -ntp deploy -Plocal "$@"
cd "$root"

url=http://127.0.0.1:18080/
# The page comes from web, which got the count and the version from the api (which keeps the count in Redis).
page=$(curl -fsS -H 'Accept: application/json' "$url")
case $page in
  '{"hits":'[0-9]*',"api":{"url":"http://api:8080","version":"'*'"},"web":{"version":"'*) ;;
  *)
    echo "The release is deployed but $url did not answer with data from the api:" >&2
    echo "$page" >&2
    exit 1 ;;
esac
echo
echo "Through the proxy, web answers with the api's data: $page"
echo "Stop it with: docker-compose -p example-local -f example-service/stack/target/deployer/local/docker-compose.yml down"
echo
echo "The example release answers at $url"
