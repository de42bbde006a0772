#!/usr/bin/env bash
# bench/image/platforms.sh: multi-platform images, in one run on this machine:
#
#   deployer:build -Ddeployer.platforms=linux/amd64,linux/arm64 (one build, an index)
#   vs two single-platform deployer:build runs (linux/amd64, then linux/arm64; two repositories, no index)
#   vs jib-maven-plugin 3.5.2 jib:build -Djib.from.platforms=linux/amd64,linux/arm64
#   of example-service/api on the amd64 + arm64 JRE index of .ci/setup-env.sh (127.0.0.1:5443/deployer/jre17-multi:17):
#     1. first build+push (fresh repositories, no application layers cached)
#     2. rebuild+push after changing one class (committed: a new commit gets a new tag)
#   Timed as in bench/image/run.sh (wall time of `./mvnw -nsu package <goal>`, the goal alone from Maven's
#   time-stamped log) with the uploads counted from the registry's access log: after a one-class change, a
#   multi-platform push must upload only the changed layer (once: both platforms share it) + a config per platform,
#   plus the manifests and the index.
#
# Usage: bench/image/platforms.sh [--markdown FILE]   (BENCH_REPS=n repetitions, default 1: the machine is shared)
# Builds in a throw-away copy under /tmp with a private Maven local repository; repositories supply/bench-*.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MARKDOWN=
[[ ${1:-} == --markdown ]] && MARKDOWN=$2
REPS=${BENCH_REPS:-1}   # repetitions of each step; the report gives medians

[[ -f /var/lib/deployer-ci/env.sh ]] || { echo "bench: run .ci/setup-env.sh first (no /var/lib/deployer-ci/env.sh)" >&2; exit 1; }
# shellcheck disable=SC1091
. /var/lib/deployer-ci/env.sh
REG=$DEPLOYER_TEST_REGISTRY
BASE=${DEPLOYER_TEST_BASE_INDEX:?run .ci/setup-env.sh: no amd64+arm64 base index}
REGISTRY_LOG=/var/log/deployer-ci/registry.log
REGISTRY_ROOT=/var/lib/deployer-ci/registry/docker/registry/v2
export DOCKER_API_VERSION=1.41 DOCKER_BUILDKIT=0
export DEPLOYER_REGISTRY_USERNAME=$DEPLOYER_TEST_REGISTRY_USERNAME DEPLOYER_REGISTRY_PASSWORD=$DEPLOYER_TEST_REGISTRY_PASSWORD

RUN=$(date +%s)
WORK=/tmp/supply-platform-bench-$RUN
SRC=$WORK/src          # the git repository that is built (nothing else may be written into it: it must stay clean)
OUT=$WORK/out          # logs and the docker client config
M2=/tmp/supply-platform-bench-m2
MVN=("$ROOT/mvnw" -B -Dmaven.repo.local=$M2 -Dmaven.repo.local.tail=$HOME/.m2/repository)
DOCKER_CFG=$OUT/docker-config
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# --- set up: the plugin in a private local repository, a copy of example-service (the reactor; its api is built) in its own git repository ---
log "installing the plugin and parent POM into $M2 (private local repository)"
"${MVN[@]}" -q -f "$ROOT/pom.xml" -N install >/dev/null
"${MVN[@]}" -q -f "$ROOT/pom.xml" -pl deploy-parent-pom,deploy-maven-plugin install -DskipTests -Dinvoker.skip >/dev/null
mkdir -p "$SRC" "$DOCKER_CFG"
cp -r "$ROOT/deploy-parent-pom" "$SRC/"
cp -r "$ROOT/example-service" "$SRC/" && rm -rf "$SRC"/example-service/target "$SRC"/example-service/*/target
AUTH=$(printf '%s:%s' "$DEPLOYER_TEST_REGISTRY_USERNAME" "$DEPLOYER_TEST_REGISTRY_PASSWORD" | base64 -w0)
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$REG" "$AUTH" >"$DOCKER_CFG/config.json"
APP=$SRC/example-service/api   # the image module measured: the api of the example release
(cd "$SRC" && printf 'target/\n' >.gitignore && git init -q -b main && git add -A &&
  git -c user.email=bench@deployer.dev -c user.name=bench commit -q -m "bench base")

sha() { git -C "$SRC" rev-parse HEAD; }

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
    sed -n 's/.*digest=sha256\(%3A\|:\)\([0-9a-f]\{64\}\).*/\2/p')
  local manifests=0 tag
  while read -r tag; do
    size=$(curl -sS --cacert "$DEPLOYER_TEST_CA_CERT" -u "$DEPLOYER_TEST_REGISTRY_USERNAME:$DEPLOYER_TEST_REGISTRY_PASSWORD" -I \
      -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' -H 'Accept: application/vnd.oci.image.manifest.v1+json' -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
      "https://$REG/v2/$repo/manifests/$tag" | tr -d '\r' | awk 'tolower($1)=="content-length:" {print $2}')
    manifests=$((manifests + 1)); bytes=$((bytes + ${size:-0}))
  done < <(tail -n +"$((lines_before + 1))" "$REGISTRY_LOG" | grep 'msg="response completed"' |
    grep 'http.request.method=PUT' | grep "uri=\"*/v2/$repo/manifests/" | grep 'http.response.status=201' |
    sed -n "s|.*uri=\"*/v2/$repo/manifests/\([^\" ]*\).*|\1|p")
  echo "$blobs $manifests $bytes"
}
timed() {  # $1 key, $2 repository, rest: command; records seconds and uploads
  local key=$1 repo=$2; shift 2
  CURRENT_KEY=$key
  mark
  local start end
  start=$(date +%s.%N)
  "$@" >"$OUT/$key.log" 2>&1 || { log "FAILED: $*"; tail -30 "$OUT/$key.log" >&2; exit 1; }
  end=$(date +%s.%N)
  RESULT[$key.time]=$(echo "$end - $start" | bc)
  RESULT[$key.upload]=$(uploaded "$repo")
  if [[ -f $OUT/$key.image ]]; then RESULT[$key.image]=$(cat "$OUT/$key.image"); else RESULT[$key.image]=$(goal_seconds "$OUT/$key.log"); fi
  log "$key: ${RESULT[$key.time]} s (image step ${RESULT[$key.image]:-?} s), uploaded (blobs manifests bytes): ${RESULT[$key.upload]}"
}

R_MULTI=supply/bench-multi-$RUN
R_AMD=supply/bench-amd64-$RUN
R_ARM=supply/bench-arm64-$RUN
R_JIB=supply/bench-jib-$RUN

MVN_OFF=("${MVN[@]}" -nsu -DskipTests -Djib.disableUpdateChecks=true)
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"
package() { (cd "$APP" && "${MVN_OFF[@]}" package); }
deployer_build() {  # $1 repository, $2 platforms
  (cd "$APP" && "${MVN_OFF[@]}" package dev.deployer:deploy-maven-plugin:0.1.0-SNAPSHOT:build -Ddeployer.console=plain \
    -Ddeployer.image="$REG/$1" -Ddeployer.baseImage="$BASE" -Ddeployer.platforms="$2" -Ddeployer.push=true)
}
jib_build() {  # $1 repository
  (cd "$APP" && "${MVN_OFF[@]}" package com.google.cloud.tools:jib-maven-plugin:3.5.2:build -Djib.console=plain \
    -Djib.from.image="$BASE" -Djib.from.platforms=linux/amd64,linux/arm64 -Djib.to.image="$REG/$1:$(sha)" \
    -Djib.from.auth.username="$DEPLOYER_REGISTRY_USERNAME" -Djib.from.auth.password="$DEPLOYER_REGISTRY_PASSWORD" \
    -Djib.to.auth.username="$DEPLOYER_REGISTRY_USERNAME" -Djib.to.auth.password="$DEPLOYER_REGISTRY_PASSWORD")
}
goal_seconds() {  # $1 Maven log: seconds from the image goal's start line to BUILD SUCCESS
  awk '/--- (deployer|jib):[^ ]*:build/ && !s { s = $1 } /BUILD SUCCESS/ { e = $1 }
       function sec(t, a) { split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
       END { if (s && e) printf "%.3f\n", sec(e) - sec(s) }' "$1"
}

log "warm-up: resolving plugins"
(cd "$APP" && "${MVN[@]}" -q package -DskipTests >/dev/null)
(cd "$APP" && "${MVN[@]}" -q com.google.cloud.tools:jib-maven-plugin:3.5.2:buildTar -Djib.from.image="$BASE" \
  -Djib.from.auth.username="$DEPLOYER_REGISTRY_USERNAME" -Djib.from.auth.password="$DEPLOYER_REGISTRY_PASSWORD" >/dev/null)
rm -rf "$APP/target/jib-cache" "$APP/target/deployer" "$APP/target/jib-image.tar"
[[ -z $(git -C "$SRC" status --porcelain) ]] || { log "the bench repository is dirty: $(git -C "$SRC" status --porcelain)"; exit 1; }

run_all() {  # step rep
  rm -rf "$APP/target/jib-cache"
  timed "$1.multi.$2" "$R_MULTI-$2" deployer_build "$R_MULTI-$2" linux/amd64,linux/arm64
  timed "$1.amd64.$2" "$R_AMD-$2" deployer_build "$R_AMD-$2" linux/amd64
  timed "$1.arm64.$2" "$R_ARM-$2" deployer_build "$R_ARM-$2" linux/arm64
  timed "$1.jib.$2" "$R_JIB-$2" jib_build "$R_JIB-$2"
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for ((rep = 1; rep <= REPS; rep++)); do
  log "1. first build+push of $(sha), repetition $rep/$REPS"
  rm -rf "$APP/target/deployer"
  run_all first "$rep"
done
for ((rep = 1; rep <= REPS; rep++)); do
  sed -i '/BENCH_REVISION/d' "$APP/src/main/java/dev/deployer/example/Json.java"
  sed -i '0,/^final class Json {/s//final class Json {\n    static final String BENCH_REVISION = "'"$RUN-$rep"'";/' "$APP/src/main/java/dev/deployer/example/Json.java"
  grep -q BENCH_REVISION "$APP/src/main/java/dev/deployer/example/Json.java" || { log "could not change Json.java"; exit 1; }
  (cd "$SRC" && git -c user.email=bench@deployer.dev -c user.name=bench commit -q -am "bench: change one class ($rep)")
  package >/dev/null
  log "2. rebuild+push of $(sha) after changing Json.java, repetition $rep/$REPS"
  run_all second "$rep"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

human() { numfmt --to=iec --suffix=B "$1"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
values() { local r; for ((r = 1; r <= REPS; r++)); do echo "${RESULT[$1.$r.$2]}"; done; }
field() { local r; for ((r = 1; r <= REPS; r++)); do echo "${RESULT[$1.$r.upload]}" | cut -d' ' -f"$2"; done; }
row() {  # step-label key tool-label
  local blobs manifests bytes
  blobs=$(field "$2" 1 | median); manifests=$(field "$2" 2 | median); bytes=$(field "$2" 3 | median)
  printf '| %s | %s | %.1f s | %.1f s | %s blob(s) + %s manifest(s) | %s (%s bytes) |\n' "$1" "$3" \
    "$(values "$2" time | median)" "$(values "$2" image | median)" "$blobs" "$manifests" "$(human "${bytes%.*}")" "$bytes"
}
sum_row() {  # step-label step
  local t i
  t=$(echo "$(values "$2.amd64" time | median) + $(values "$2.arm64" time | median)" | bc)
  i=$(echo "$(values "$2.amd64" image | median) + $(values "$2.arm64" image | median)" | bc)
  printf '| %s | two single-platform deployer:build runs (sum) | %.1f s | %.1f s | – | – |\n' "$1" "$t" "$i"
}
TABLE=$( {
  echo "| step | tool | wall time (package + image) | image step alone | uploads | bytes uploaded |"
  echo "|---|---|---|---|---|---|"
  for step in first second; do
    label=$([[ $step == first ]] && echo "first build+push" || echo "one class changed")
    row "$label" "$step.multi" "deployer:build, platforms linux/amd64,linux/arm64 (index)"
    row "$label" "$step.amd64" "deployer:build, linux/amd64 only"
    row "$label" "$step.arm64" "deployer:build, linux/arm64 only"
    sum_row "$label" "$step"
    row "$label" "$step.jib" "jib:build -Djib.from.platforms=linux/amd64,linux/arm64 (3.5.2)"
  done
} )
echo "$TABLE"
if [[ -n $MARKDOWN ]]; then
  {
    echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores (load average $LOAD_BEFORE before, $LOAD_AFTER after),"
    echo "registry $REG (TLS + htpasswd), base $BASE (an index: amd64 + arm64). Medians of $REPS repetition(s)."
    echo
    echo "$TABLE"
  } >"$MARKDOWN"
  log "results written to $MARKDOWN"
fi
rm -rf /tmp/supply-platform-bench-last && mkdir -p /tmp/supply-platform-bench-last && cp "$OUT"/*.log /tmp/supply-platform-bench-last/
log "each tool's output: /tmp/supply-platform-bench-last/"
