#!/usr/bin/env bash
# bench/image/run.sh: the image benchmark of deployer:build, side by side on this machine, in one run.
#
#   deployer:build (jib-core, this plugin)  vs  jib-maven-plugin 3.5.2 jib:build  vs  docker build + docker push
#   of example-service/api/Dockerfile, each pushing to its own fresh repository of the test registry (127.0.0.1:5443):
#     1. first build+push (base image already local / in Jib's base cache, no application layers cached)
#     2. rebuild+push after changing one class (committed: a new commit gets a new tag)
#   Each step is timed the way a pipeline runs it: `./mvnw -nsu package <goal>` for the two Maven goals,
#   `./mvnw -nsu package` then `docker build` + `docker push` for the Dockerfile route (total wall time), and the
#   image step alone: from the goal's start to BUILD SUCCESS in Maven's time-stamped log, or the docker build+push.
#   Also reported: blobs and bytes uploaded to the tool's repository.
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
REPS=${BENCH_REPS:-3}   # repetitions of each step; the report gives medians

BENCH_NAME=timage-bench
# shellcheck source=bench/image/lib.sh
. "$ROOT/bench/image/lib.sh"
BASE=$DEPLOYER_TEST_BASE_IMAGE

R_DEPLOYER=timage/bench-deployer-$RUN
R_JIB=timage/bench-jib-$RUN
R_DOCKER=timage/bench-docker-$RUN

MVN_OFF=("${MVN[@]}" -nsu -DskipTests -Djib.disableUpdateChecks=true)
# time-stamped Maven log lines, to time the image goal inside the build
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"
package() { (cd "$APP" && "${MVN_OFF[@]}" package); }
deployer_build() {  # $1 repetition
  (cd "$APP" && "${MVN_OFF[@]}" package dev.deployer:deploy-maven-plugin:0.1.0-SNAPSHOT:build -Ddeployer.console=plain \
    -Ddeployer.image="$REG/$R_DEPLOYER-$1" -Ddeployer.push=true)
}
jib_build() {  # $1 repetition
  (cd "$APP" && "${MVN_OFF[@]}" package com.google.cloud.tools:jib-maven-plugin:3.5.2:build -Djib.console=plain \
    -Djib.from.image="$BASE" -Djib.to.image="$REG/$R_JIB-$1:$(sha)" \
    -Djib.from.auth.username="$DEPLOYER_REGISTRY_USERNAME" -Djib.from.auth.password="$DEPLOYER_REGISTRY_PASSWORD" \
    -Djib.to.auth.username="$DEPLOYER_REGISTRY_USERNAME" -Djib.to.auth.password="$DEPLOYER_REGISTRY_PASSWORD")
}
docker_build_push() {  # $1 repetition, $2: extra docker build flag (--no-cache for the first build)
  package || return 1
  local start end
  start=$(date +%s.%N)
  docker build -q ${2:-} --build-arg BASE_IMAGE="$BASE" -t "$REG/$R_DOCKER-$1:$(sha)" "$APP" &&
    docker --config "$DOCKER_CFG" push "$REG/$R_DOCKER-$1:$(sha)" || return 1
  end=$(date +%s.%N)
  echo "$end - $start" | bc >"$OUT/$CURRENT_KEY.image"
}
goal_seconds() {  # $1 Maven log: seconds from the image goal's start line to BUILD SUCCESS
  awk '/--- (deployer|jib):[^ ]*:build/ && !s { s = $1 } /BUILD SUCCESS/ { e = $1 }
       function sec(t, a) { split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
       END { if (s && e) printf "%.3f\n", sec(e) - sec(s) }' "$1"
}

# --- warm-up (not timed): resolve the Maven plugins online once, have the base image local for docker ---
log "warm-up: resolving plugins, pulling the base image for docker"
(cd "$APP" && "${MVN[@]}" -q package -DskipTests >/dev/null)
docker --config "$DOCKER_CFG" pull -q "$BASE" >/dev/null
(cd "$APP" && "${MVN[@]}" -q com.google.cloud.tools:jib-maven-plugin:3.5.2:buildTar -Djib.from.image="$BASE" \
  -Djib.from.auth.username="$DEPLOYER_REGISTRY_USERNAME" -Djib.from.auth.password="$DEPLOYER_REGISTRY_PASSWORD" >/dev/null)
(cd "$APP" && "${MVN[@]}" -q dev.deployer:deploy-maven-plugin:0.1.0-SNAPSHOT:build -Ddeployer.image="$REG/timage/bench-warmup" >/dev/null)
rm -rf "$APP/target/jib-cache" "$APP/target/deployer" "$APP/target/jib-image.tar"
[[ -z $(git -C "$SRC" status --porcelain) ]] || { log "the bench repository is dirty: $(git -C "$SRC" status --porcelain)"; exit 1; }

# --- the runs: REPS repetitions, tool order rotated each time, medians reported ---
TOOLS=(deployer jib docker)
order() { local r=$1 i; for i in 0 1 2; do echo "${TOOLS[$(((i + r) % 3))]}"; done; }
run_tool() {  # tool step rep
  case $1 in
    deployer) timed "$2.deployer.$3" "$R_DEPLOYER-$3" deployer_build "$3" ;;
    jib) timed "$2.jib.$3" "$R_JIB-$3" jib_build "$3" ;;
    docker) timed "$2.docker.$3" "$R_DOCKER-$3" docker_build_push "$3" "$([[ $2 == first ]] && echo --no-cache)" ;;
  esac
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for ((rep = 1; rep <= REPS; rep++)); do
  log "1. first build+push of $(sha), repetition $rep/$REPS (fresh repositories, no application layers cached)"
  rm -rf "$APP/target/jib-cache" "$APP/target/deployer"
  timed "first.package.$rep" none package
  for tool in $(order "$rep"); do run_tool "$tool" first "$rep"; done
done
for ((rep = 1; rep <= REPS; rep++)); do
  # change one class (a new constant), commit it (a new commit: a new tag), compile once untimed
  sed -i '/BENCH_REVISION/d' "$APP/src/main/java/dev/deployer/example/Json.java"
  sed -i '0,/^final class Json {/s//final class Json {\n    static final String BENCH_REVISION = "'"$RUN-$rep"'";/' "$APP/src/main/java/dev/deployer/example/Json.java"
  grep -q BENCH_REVISION "$APP/src/main/java/dev/deployer/example/Json.java" || { log "could not change Json.java"; exit 1; }
  (cd "$SRC" && git -c user.email=bench@deployer.dev -c user.name=bench commit -q -am "bench: change one class ($rep)")
  package >/dev/null
  log "2. rebuild+push of $(sha) after changing Json.java, repetition $rep/$REPS"
  timed "second.package.$rep" none package
  for tool in $(order "$rep"); do run_tool "$tool" second "$rep"; done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report: medians over the repetitions ---
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
TABLE=$( {
  echo "| step | tool | wall time (package + image) | image step alone | uploads | bytes uploaded |"
  echo "|---|---|---|---|---|---|"
  printf '| first build+push | `./mvnw -nsu package` alone (baseline) | %.1f s | – | – | – |\n' "$(values first.package time | median)"
  row "first build+push" first.deployer "deployer:build"
  row "first build+push" first.jib "jib:build (jib-maven-plugin 3.5.2)"
  row "first build+push" first.docker "docker build --no-cache + docker push"
  printf '| one class changed | `./mvnw -nsu package` alone (baseline) | %.1f s | – | – | – |\n' "$(values second.package time | median)"
  row "one class changed" second.deployer "deployer:build"
  row "one class changed" second.jib "jib:build (jib-maven-plugin 3.5.2)"
  row "one class changed" second.docker "docker build + docker push"
} )
echo "$TABLE"
if [[ -n $MARKDOWN ]]; then
  {
    echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores (load average $LOAD_BEFORE before, $LOAD_AFTER after),"
    echo "Docker engine $(docker version --format '{{.Server.Version}}') (legacy builder), registry $REG (TLS + htpasswd),"
    echo "base $BASE. Medians of $REPS repetitions, tool order rotated; each repetition of step 1 pushes to fresh repositories."
    echo
    echo "$TABLE"
  } >"$MARKDOWN"
  log "results written to $MARKDOWN"
fi
rm -rf /tmp/timage-bench-last && mkdir -p /tmp/timage-bench-last && cp "$OUT"/*.log /tmp/timage-bench-last/
log "each tool's output: /tmp/timage-bench-last/"
