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

BENCH_NAME=supply-platform-bench
# shellcheck source=bench/image/lib.sh
. "$ROOT/bench/image/lib.sh"
BASE=${DEPLOYER_TEST_BASE_INDEX:?run .ci/setup-env.sh: no amd64+arm64 base index}

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
