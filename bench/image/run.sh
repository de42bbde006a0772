#!/usr/bin/env bash
# bench/image/run.sh: the image benchmark of deployer:build, side by side on this machine, in one run.
#
#   deployer:build (jib-core, this plugin)  vs  jib-maven-plugin 3.5.2 jib:build  vs  docker build + docker push
#   of example-service/Dockerfile, each pushing to its own fresh repository of the test registry (127.0.0.1:5443):
#     1. first build+push (base image already local / in Jib's base cache, no application layers cached)
#     2. rebuild+push after changing one class (committed: a new commit gets a new tag)
#   Reported per step: wall time of the image command (Maven start-up included for the Maven goals; the
#   `./mvnw package` that compiles the classes is run once before and not timed), blobs and bytes uploaded.
#
# Bytes uploaded come from the registry's own access log: every blob upload that completed
# (PUT .../blobs/uploads/...?digest=sha256:X, HTTP 201) into the tool's repository, sized from the registry's
# storage, plus every manifest PUT (sized through the API). Cross-repository mounts upload nothing and are not counted.
#
# Needs: .ci/setup-env.sh done (registry, base image), docker, Maven Central for jib-maven-plugin on first use.
# Usage: bench/image/run.sh [--markdown FILE]   (FILE gets the results table; default: print only)
# It builds in a throw-away copy (its own git repository) under /tmp and uses a private Maven local repository
# (/tmp/timage-bench-m2, chained to ~/.m2 read-only) so nothing is installed into ~/.m2.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MARKDOWN=
[[ ${1:-} == --markdown ]] && MARKDOWN=$2

[[ -f /var/lib/deployer-ci/env.sh ]] || { echo "bench: run .ci/setup-env.sh first (no /var/lib/deployer-ci/env.sh)" >&2; exit 1; }
# shellcheck disable=SC1091
. /var/lib/deployer-ci/env.sh
REG=$DEPLOYER_TEST_REGISTRY
BASE=$DEPLOYER_TEST_BASE_IMAGE
REGISTRY_LOG=/var/log/deployer-ci/registry.log
REGISTRY_ROOT=/var/lib/deployer-ci/registry/docker/registry/v2
export DOCKER_API_VERSION=1.41 DOCKER_BUILDKIT=0
export DEPLOYER_REGISTRY_USERNAME=$DEPLOYER_TEST_REGISTRY_USERNAME DEPLOYER_REGISTRY_PASSWORD=$DEPLOYER_TEST_REGISTRY_PASSWORD

RUN=$(date +%s)
WORK=/tmp/timage-bench-$RUN
M2=/tmp/timage-bench-m2
MVN=("$ROOT/mvnw" -B -Dmaven.repo.local=$M2 -Dmaven.repo.local.tail=$HOME/.m2/repository)
DOCKER_CFG=$WORK/docker-config
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# --- set up: the plugin in a private local repository, a copy of example-service in its own git repository ---
log "installing the plugin and parent POM into $M2 (private local repository)"
"${MVN[@]}" -q -f "$ROOT/pom.xml" -N install >/dev/null
"${MVN[@]}" -q -f "$ROOT/pom.xml" -pl deploy-parent-pom,deploy-maven-plugin install -DskipTests >/dev/null
mkdir -p "$WORK" "$DOCKER_CFG"
cp -r "$ROOT/deploy-parent-pom" "$WORK/"
cp -r "$ROOT/example-service" "$WORK/" && rm -rf "$WORK/example-service/target"
AUTH=$(printf '%s:%s' "$DEPLOYER_TEST_REGISTRY_USERNAME" "$DEPLOYER_TEST_REGISTRY_PASSWORD" | base64 -w0)
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$REG" "$AUTH" >"$DOCKER_CFG/config.json"
APP=$WORK/example-service
(cd "$WORK" && printf 'target/\n' >.gitignore && git init -q -b main && git add -A &&
  git -c user.email=bench@deployer.dev -c user.name=bench commit -q -m "bench base")

package() { (cd "$APP" && "${MVN[@]}" -q package -DskipTests >/dev/null); }
sha() { git -C "$WORK" rev-parse HEAD; }

# --- measuring ---
declare -A RESULT
lines_before=0
mark() { lines_before=$(wc -l <"$REGISTRY_LOG"); }
uploaded() {  # $1 repository: "blobs bytes" uploaded to it since mark
  local repo=$1 blobs=0 bytes=0 digest size
  while read -r digest; do
    size=$(stat -c %s "$REGISTRY_ROOT/blobs/sha256/${digest:0:2}/$digest/data")
    blobs=$((blobs + 1)); bytes=$((bytes + size))
  done < <(tail -n +"$((lines_before + 1))" "$REGISTRY_LOG" | grep 'msg="response completed"' |
    grep 'http.request.method=PUT' | grep "uri=\"*/v2/$repo/blobs/uploads/" | grep 'http.response.status=201' |
    sed -n 's/.*digest=sha256%3A\([0-9a-f]\{64\}\).*/\1/p')
  local manifests=0 tag
  while read -r tag; do
    size=$(curl -sS --cacert "$DEPLOYER_TEST_CA_CERT" -u "$DEPLOYER_TEST_REGISTRY_USERNAME:$DEPLOYER_TEST_REGISTRY_PASSWORD" -I \
      -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
      "https://$REG/v2/$repo/manifests/$tag" | tr -d '\r' | awk 'tolower($1)=="content-length:" {print $2}')
    manifests=$((manifests + 1)); bytes=$((bytes + ${size:-0}))
  done < <(tail -n +"$((lines_before + 1))" "$REGISTRY_LOG" | grep 'msg="response completed"' |
    grep 'http.request.method=PUT' | grep "uri=\"*/v2/$repo/manifests/" | grep 'http.response.status=201' |
    sed -n "s|.*uri=\"*/v2/$repo/manifests/\([^\" ]*\).*|\1|p")
  echo "$blobs $manifests $bytes"
}
timed() {  # $1 key, $2 repository, rest: command; records seconds and uploads
  local key=$1 repo=$2; shift 2
  mark
  local start end
  start=$(date +%s.%N)
  "$@" >"$WORK/$key.log" 2>&1 || { log "FAILED: $*"; tail -30 "$WORK/$key.log" >&2; exit 1; }
  end=$(date +%s.%N)
  RESULT[$key.time]=$(echo "$end - $start" | bc)
  RESULT[$key.upload]=$(uploaded "$repo")
  log "$key: ${RESULT[$key.time]} s, uploaded (blobs manifests bytes): ${RESULT[$key.upload]}"
}

R_DEPLOYER=timage/bench-deployer-$RUN
R_JIB=timage/bench-jib-$RUN
R_DOCKER=timage/bench-docker-$RUN

deployer_build() {
  (cd "$APP" && "${MVN[@]}" dev.deployer:deploy-maven-plugin:0.1.0-SNAPSHOT:build -Ddeployer.console=plain \
    -Ddeployer.image="$REG/$R_DEPLOYER" -Ddeployer.push=true)
}
jib_build() {
  (cd "$APP" && "${MVN[@]}" com.google.cloud.tools:jib-maven-plugin:3.5.2:build -Djib.console=plain \
    -Djib.from.image="$BASE" -Djib.to.image="$REG/$R_JIB:$(sha)" \
    -Djib.from.auth.username="$DEPLOYER_REGISTRY_USERNAME" -Djib.from.auth.password="$DEPLOYER_REGISTRY_PASSWORD" \
    -Djib.to.auth.username="$DEPLOYER_REGISTRY_USERNAME" -Djib.to.auth.password="$DEPLOYER_REGISTRY_PASSWORD")
}
docker_build_push() {
  docker build -q --build-arg BASE_IMAGE="$BASE" -t "$REG/$R_DOCKER:$(sha)" "$APP" &&
    docker --config "$DOCKER_CFG" push "$REG/$R_DOCKER:$(sha)"
}

# --- warm-up (not timed): resolve the Maven plugins, have the base image local for docker ---
log "warm-up: resolving plugins, pulling the base image for docker"
package
docker --config "$DOCKER_CFG" pull -q "$BASE" >/dev/null
(cd "$APP" && "${MVN[@]}" -q com.google.cloud.tools:jib-maven-plugin:3.5.2:buildTar -Djib.from.image="$BASE" \
  -Djib.from.auth.username="$DEPLOYER_REGISTRY_USERNAME" -Djib.from.auth.password="$DEPLOYER_REGISTRY_PASSWORD" >/dev/null)
(cd "$APP" && "${MVN[@]}" -q dev.deployer:deploy-maven-plugin:0.1.0-SNAPSHOT:build -Ddeployer.image="$REG/timage/bench-warmup" >/dev/null)
rm -rf "$APP/target/jib-cache" "$APP/target/deployer" "$APP/target/jib-image.tar"

# --- 1. first build+push ---
log "1. first build+push of $(sha)"
timed first.deployer "$R_DEPLOYER" deployer_build
timed first.jib "$R_JIB" jib_build
timed first.docker "$R_DOCKER" bash -c "docker build -q --no-cache --build-arg BASE_IMAGE='$BASE' -t '$REG/$R_DOCKER:$(sha)' '$APP' && docker --config '$DOCKER_CFG' push '$REG/$R_DOCKER:$(sha)'"

# --- 2. change one class, commit, rebuild+push ---
sed -i '0,/^final class Json {/s//final class Json {\n    static final String BENCH_REVISION = "'"$RUN"'";/' "$APP/src/main/java/dev/deployer/example/Json.java"
grep -q BENCH_REVISION "$APP/src/main/java/dev/deployer/example/Json.java" || { log "could not change Json.java"; exit 1; }
(cd "$WORK" && git -c user.email=bench@deployer.dev -c user.name=bench commit -q -am "bench: change one class")
package
log "2. rebuild+push of $(sha) after changing Json.java"
timed second.deployer "$R_DEPLOYER" deployer_build
timed second.jib "$R_JIB" jib_build
timed second.docker "$R_DOCKER" docker_build_push

# --- report ---
human() { numfmt --to=iec --suffix=B "$1"; }
row() {  # step key label
  read -r blobs manifests bytes <<<"${RESULT[$2.upload]}"
  printf '| %s | %s | %.1f s | %d blob(s) + %d manifest(s) | %s (%d bytes) |\n' "$1" "$3" "${RESULT[$2.time]}" \
    "$blobs" "$manifests" "$(human "$bytes")" "$bytes"
}
TABLE=$( {
  echo "| step | tool | wall time | uploads | bytes uploaded |"
  echo "|---|---|---|---|---|"
  row "first build+push" first.deployer "deployer:build"
  row "first build+push" first.jib "jib:build (jib-maven-plugin 3.5.2)"
  row "first build+push" first.docker "docker build + docker push"
  row "one class changed" second.deployer "deployer:build"
  row "one class changed" second.jib "jib:build (jib-maven-plugin 3.5.2)"
  row "one class changed" second.docker "docker build + docker push"
} )
echo "$TABLE"
if [[ -n $MARKDOWN ]]; then
  {
    echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(docker version --format '{{.Server.Version}}') engine, registry $REG (TLS + htpasswd), base $BASE."
    echo
    echo "$TABLE"
  } >"$MARKDOWN"
  log "results written to $MARKDOWN"
fi
rm -rf /tmp/timage-bench-last && mkdir -p /tmp/timage-bench-last && cp "$WORK"/*.log /tmp/timage-bench-last/
log "each tool's output: /tmp/timage-bench-last/"
