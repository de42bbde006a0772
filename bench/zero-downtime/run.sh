#!/usr/bin/env bash
# Zero-downtime benchmark: a request loop (Loop.java: GET /version through the proxy on 127.0.0.1, answered by web,
# one request after another, bounded in count and time) runs while the stack changes, and counts requests, failed
# requests, the longest gap between two successful answers and which versions answered. Needs the CI engine, Swarm
# and registry (.ci/setup-env.sh). Prints Markdown tables (paste them into docs/benchmarks.md, section "Zero
# downtime"); the logs of the last run stay in /tmp/zdb2-bench-last/.
#
#   bench/zero-downtime/run.sh                 # compose and swarm
#   ZDB_TARGETS=swarm bench/zero-downtime/run.sh
#   ZDB_PORT=18979 ZDB_PAUSE_MS=10 ZDB_MAX_REQUESTS=100000 ZDB_MAX_SECONDS=300   # the defaults
#   BENCH_REPO=<local repo> ...                # use the plugin already installed there (skip the build)
#
# The service is the example release as example-service's poms configure it: the release owner example-service/stack
# (templates in stack/src/main/deploy: Caddy in front, web, api, Redis; variables, secrets, smoke checks) deploys the
# images of the modules api and web (docs/release.md), with the plugin's goals run directly on the reactor with
# -pl stack (no lifecycle: nothing else runs) and -Dexample.imagePrefix=127.0.0.1:5443/zdb2/example- (so the images
# are 127.0.0.1:5443/zdb2/example-api and …-web). Each image is built once from the checkout (./mvnw package, then
# example-service/api/Dockerfile; web, JDK only, from its classes); versions v1, v2 and v3 are those images with a
# label each, pushed; v3's web is broken (it listens on the wrong port, so its health check never passes; v3's api is
# fine). For each version the bench writes api's and web's target/deployer/image.json as deployer:build does (tag
# <commit>-dirty-<version>: the owner accepts only images built for the checkout's commit), pushed: true, the digest.
# web and api answer /version with APP_VERSION, which the templates set to their image tag; the tables show the
# version part. Compose: web is blue/green behind Caddy (label dev.deployer.proxy, docs/deploy.md); Swarm: start-first.
# The loop only involves the proxy and web: the api (replaced in place on Compose when it changes) is not measured.
#
# Per target, two routes on the same port, one after the other (stacks zdb2-<target> and zdb2-hand-<target>):
#   deployer   first deploy v1 (not measured), then under the loop: (a) deploy v2, (b) deploy the broken v3 (refused,
#              rolled back), (c) deployer:rollback (to v1), (d) deploy v1 again (an unchanged redeploy)
#   by hand    the same files, those deployer rendered for its deploys of v1 and v2 (v3's made from v2's), with
#              docker-compose -p … up -d / docker stack deploy --with-registry-auth --detach=false, each followed by
#              a wait until /version answers the expected version and every container of the stack is healthy; (b)
#              is: deploy v3, wait until its web is unhealthy (Compose; Swarm rolls the update back itself), deploy v2
#              again
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/zero-downtime
# deployed as example-service's poms configure it (templates, variables, secrets, smoke checks), with this bench's images
PROJECT=$ROOT/example-service
OWNER=$PROJECT/stack
MODULES="api web"
PORT=${ZDB_PORT:-18979}
TARGETS=${ZDB_TARGETS:-compose swarm}
MAX_REQUESTS=${ZDB_MAX_REQUESTS:-100000}
MAX_SECONDS=${ZDB_MAX_SECONDS:-300}
PAUSE_MS=${ZDB_PAUSE_MS:-10}
WORK=/tmp/zdb2-bench-last
if ss -ltn | grep -q "[:.]$PORT "; then echo "port $PORT is taken on this machine: set ZDB_PORT to a free one" >&2; exit 1; fi
rm -rf "$WORK" && mkdir -p "$WORK"
# the bench's own Redis password: only in this process's environment, never printed
REDIS_PASSWORD=zdb-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
export REDIS_PASSWORD
. "$ROOT/bench/lib/common.sh"

REGISTRY=127.0.0.1:5443
PREFIX=$REGISTRY/zdb2/example-
# the release's commit: the tag of every image.json starts with it (-Ddeployer.release pins it for the whole run)
SHA=$(git -C "$ROOT" rev-parse HEAD)
RUN=$(date +%s)
LOOP_PID=

log() { printf '[zdb %s] %s\n' "$(date -u +%T)" "$*" >&2; }

cleanup() {
  [ -z "$LOOP_PID" ] || { touch "$WORK/stop"; wait "$LOOP_PID" 2> /dev/null || true; }
  for target in $TARGETS; do
    clean_$target "zdb2-$target" || true
    clean_$target "zdb2-hand-$target" || true
    docker volume rm "zdb2-hand-${target}_redis-data" "zdb2-${target}_redis-data" > /dev/null 2>&1 || true
  done
  # by name, the versions before the base they are built on (an image with children cannot be removed by id)
  local module
  for module in $MODULES; do
    docker images --format '{{.Repository}}:{{.Tag}}' "$PREFIX$module" | sort -r | xargs -r docker rmi > /dev/null 2>&1 || true
  done
  for module in $MODULES stack; do
    rm -rf "$PROJECT/$module/target/deployer"
    [ ! -d "$WORK/deployer-before-$module" ] || mv "$WORK/deployer-before-$module" "$PROJECT/$module/target/deployer"
  done
}
trap cleanup EXIT
# the modules' target/deployer (image.json of a real build, say) are put back at the end
for module in $MODULES stack; do
  [ ! -d "$PROJECT/$module/target/deployer" ] || mv "$PROJECT/$module/target/deployer" "$WORK/deployer-before-$module"
done

# --- set up: the plugin, the app image and its versions, the loop ---
log "the plugin (built into deploy-maven-plugin/target/local-repo unless BENCH_REPO is set) and the classes of api and web"
bench_plugin
(cd "$ROOT" && ./mvnw -B -q -s "$WORK/settings.xml" -Dmaven.repo.local="$REPO" -pl example-service/api,example-service/web \
  package -DskipTests -Ddeployer.skip=true > "$WORK/package.log" 2>&1) || { cat "$WORK/package.log"; exit 1; }
docker build -q --build-arg BASE_IMAGE="$REGISTRY/deployer/jre17:17" -t "${PREFIX}api:base-$RUN" "$PROJECT/api" \
  > "$WORK/image-base-api.log" 2>&1 || { cat "$WORK/image-base-api.log" >&2; exit 1; }
# web has no Dockerfile: what deployer:build makes of it (JDK only: its classes on the JRE), written by hand
printf 'FROM %s\nWORKDIR /app\nCOPY target/classes/ /app/classes/\nEXPOSE 8080\nUSER 10001:10001\nENTRYPOINT ["java", "-cp", "/app/classes", "dev.deployer.example.web.WebService"]\n' \
  "$REGISTRY/deployer/jre17:17" > "$WORK/web.Dockerfile"
docker build -q -f "$WORK/web.Dockerfile" -t "${PREFIX}web:base-$RUN" "$PROJECT/web" \
  > "$WORK/image-base-web.log" 2>&1 || { cat "$WORK/image-base-web.log" >&2; exit 1; }

tag_of() { echo "$SHA-dirty-$1"; } # version -> the image tag (what deployer:build tags a dirty tree with)
declare -A DIGEST
variant() { # module version [Dockerfile line]: the module's base image with a label (a digest of its own), pushed
  local image=$PREFIX$1:$(tag_of "$2")
  printf 'FROM %s\nLABEL dev.deployer.bench.version="%s %s"\n%s\n' "$PREFIX$1:base-$RUN" "$2" "$RUN" "${3:-}" \
    | docker build -q -t "$image" - > "$WORK/image-$1-$2.log" 2>&1 || { cat "$WORK/image-$1-$2.log" >&2; exit 1; }
  docker push -q "$image" >> "$WORK/image-$1-$2.log" 2>&1 || { cat "$WORK/image-$1-$2.log" >&2; exit 1; }
  DIGEST[$1-$2]=$(docker inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$image" | grep "^$PREFIX$1@" | head -1 | sed 's/.*@//')
}
for version in v1 v2 v3; do variant api $version; done
variant web v1
variant web v2
# starts, but listens on 8081: the health check (and the proxy) ask 8080
variant web v3 'ENTRYPOINT ["sh", "-c", "PORT=8081 exec java -cp /app/classes dev.deployer.example.web.WebService"]'
log "web images: v1 ${DIGEST[web-v1]}, v2 ${DIGEST[web-v2]}, v3 (broken) ${DIGEST[web-v3]}"

image_json() { # version: api's and web's target/deployer/image.json as deployer:build writes them
  local module
  for module in $MODULES; do
    mkdir -p "$PROJECT/$module/target/deployer"
    printf '{"image": "%s", "tags": ["%s"], "digest": "%s", "outcome": "pushed", "pushed": true}\n' "$PREFIX$module" \
      "$(tag_of "$1")" "${DIGEST[$module-$1]}" > "$PROJECT/$module/target/deployer/image.json"
  done
}

mkdir -p "$WORK/loop"
javac -d "$WORK/loop" "$HERE/Loop.java"

loop_start() {
  rm -f "$WORK/ready" "$WORK/stop"
  java -cp "$WORK/loop" Loop "http://127.0.0.1:$PORT/version" "$MAX_REQUESTS" "$MAX_SECONDS" "$WORK/ready" "$WORK/stop" "$PAUSE_MS" \
    > "$WORK/loop.out" 2>&1 &
  LOOP_PID=$!
  local deadline=$(($(date +%s) + 60))
  until [ -e "$WORK/ready" ]; do
    kill -0 "$LOOP_PID" 2> /dev/null || { cat "$WORK/loop.out" >&2; echo "the loop ended before its first answer" >&2; exit 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "no answer on 127.0.0.1:$PORT within 60 s" >&2; exit 1; }
    sleep 0.1 # poll for the loop's first answer
  done
}

loop_stop() { # sets RESULT to the loop's result line (not in a subshell: the loop is this shell's child)
  touch "$WORK/stop"
  wait "$LOOP_PID" || true
  LOOP_PID=
  RESULT=$(tail -1 "$WORK/loop.out")
  grep -q '^requests=' <<< "$RESULT" || { cat "$WORK/loop.out" >&2; echo "the loop gave no result" >&2; exit 1; }
}

field() { # result-line name
  sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<< "$1"
}

# --- the two routes ---
deployer() { # log goal extra-args… -> the goal's exit code (a refused deploy fails the build)
  local log=$1 goal=$2
  shift 2
  (cd "$PROJECT" && MAVEN_OPTS="${BENCH_MAVEN_OPTS:-}" "$ROOT/mvnw" -B -s "$WORK/settings.xml" -Dmaven.repo.local="$REPO" \
    -Ddeployer.plugin.version="$VERSION" -Dorg.slf4j.simpleLogger.showDateTime=true \
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS" \
    -pl stack "dev.deployer:deploy-maven-plugin:$VERSION:$goal" -Ddeployer.target="$TARGET" -Ddeployer.stack="zdb2-$TARGET" \
    -Ddeployer.environment=bench -Dexample.imagePrefix="$PREFIX" -Ddeployer.var.httpPort="$PORT" \
    -Ddeployer.healthUrl="http://127.0.0.1:$PORT/health" "$@") > "$log" 2>&1
}

keep_file() { # tag: keeps the file deployer rendered for its last deploy (secrets as ${NAME} placeholders) for the by-hand route
  local name
  name=$([ "$TARGET" = compose ] && echo docker-compose.yml || echo stack.yml)
  cp "$OWNER/target/deployer/bench/$name" "$WORK/$TARGET-$1.yml"
  grep -q "APP_VERSION: \"$(tag_of "$1")\"" "$WORK/$TARGET-$1.yml" || { echo "$WORK/$TARGET-$1.yml is not the file of $1" >&2; exit 1; }
}

hand_stack() { echo "zdb2-hand-$TARGET"; }

hand_up() { # tag: the by-hand deploy command
  if [ "$TARGET" = compose ]; then
    timeout 300 docker-compose -p "$(hand_stack)" -f "$WORK/$TARGET-$1.yml" up -d >> "$WORK/$TARGET-hand.log" 2>&1
  else
    timeout 300 docker stack deploy --with-registry-auth --detach=false -c "$WORK/$TARGET-$1.yml" "$(hand_stack)" >> "$WORK/$TARGET-hand.log" 2>&1
  fi
}

stack_filter() {
  [ "$TARGET" = compose ] && echo "label=com.docker.compose.project=$(hand_stack)" || echo "label=com.docker.stack.namespace=$(hand_stack)"
}

wait_ready() { # tag: until /version answers it and no container of the by-hand stack is starting or unhealthy (180 s at most)
  local deadline=$(($(date +%s) + 180))
  until [ "$(curl -s --max-time 2 "http://127.0.0.1:$PORT/version" || true)" = "$(tag_of "$1")" ] \
      && [ -z "$(docker ps -q --filter "$(stack_filter)" --filter health=starting)$(docker ps -q --filter "$(stack_filter)" --filter health=unhealthy)" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "by hand: $1 not ready within 180 s" >> "$WORK/$TARGET-hand.log"; return 1; }
    sleep 0.1 # poll interval of the by-hand health wait
  done
}

wait_app_unhealthy() { # until the by-hand stack's web container is unhealthy (what a person watching would see; 180 s at most)
  local deadline=$(($(date +%s) + 180))
  until [ -n "$(docker ps -q --filter "$(stack_filter)" --filter label=com.docker.compose.service=web --filter health=unhealthy)" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2 # poll interval
  done
}

hand() { # scenario: the by-hand commands of a scenario
  case $1 in
    new) hand_up v2 && wait_ready v2 ;;
    broken)
      if [ "$TARGET" = compose ]; then
        # docker-compose up itself fails once the proxy's dependency (web, condition: service_healthy) is unhealthy
        hand_up v3 || true
        wait_app_unhealthy && hand_up v2 && wait_ready v2
      else
        hand_up v3 || true # Swarm rolls the failed update back itself (update_config.failure_action: rollback)
        hand_up v2 && wait_ready v2
      fi ;;
    rollback) hand_up v1 && wait_ready v1 ;;
    unchanged) hand_up v1 && wait_ready v1 ;;
  esac
}

via_deployer() { # scenario
  local log=$WORK/$TARGET-deployer-$1.log
  case $1 in
    new) image_json v2 && deployer "$log" deploy -Ddeployer.release="$SHA" && keep_file v2 ;;
    broken) image_json v3; ! deployer "$log" deploy -Ddeployer.release="$SHA" ;; # must be refused
    rollback) deployer "$log" rollback ;;
    unchanged) image_json v1 && deployer "$log" deploy -Ddeployer.release="$SHA" && grep -q 'Unchanged, verified healthy' "$log" ;;
  esac
}

declare -a ROWS
declare -A SCENARIO_NAME=([new]="(a) new version v1 → v2" [broken]="(b) broken v3 refused, v2 kept" [rollback]="(c) rollback v2 → v1" [unchanged]="(d) unchanged redeploy of v1")

measure() { # route scenario
  local start end ok=yes result
  loop_start
  start=$(now)
  if [ "$1" = deployer ]; then via_deployer "$2" || ok=no; else hand "$2" || ok=no; fi
  end=$(now)
  loop_stop
  result=$RESULT
  log "$TARGET $1 $2: $(secs "$start" "$end") s, as expected: $ok; $result; load $(cut -d' ' -f1 /proc/loadavg)"
  ROWS+=("| $TARGET | $1 | ${SCENARIO_NAME[$2]} | $(printf '%.1f' "$(secs "$start" "$end")") s | $ok | $(field "$result" requests) | $(field "$result" failed) | $(printf '%.2f' "$(echo "$(field "$result" longestGapMs) / 1000" | bc -l)") s | $(field "$result" versions | sed -e "s/$SHA-dirty-//g" -e 's/,/, /g') |")
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for TARGET in $TARGETS; do
  clean_$TARGET "zdb2-$TARGET"; clean_$TARGET "zdb2-hand-$TARGET"
  log "$TARGET: deployer route, first deploy of v1 (not measured)"
  image_json v1
  deployer "$WORK/$TARGET-deployer-first.log" deploy -Ddeployer.release="$SHA" || { tail -60 "$WORK/$TARGET-deployer-first.log" >&2; exit 1; }
  keep_file v1
  for scenario in new broken rollback unchanged; do measure deployer $scenario; done
  clean_$TARGET "zdb2-$TARGET"
  # the broken v3's file: v2's with v3's images and versions (deployer does not keep the file of a refused deploy)
  sed -e "s|${PREFIX}api@${DIGEST[api-v2]}|${PREFIX}api@${DIGEST[api-v3]}|" -e "s|${PREFIX}web@${DIGEST[web-v2]}|${PREFIX}web@${DIGEST[web-v3]}|" \
    -e "s|APP_VERSION: \"$(tag_of v2)\"|APP_VERSION: \"$(tag_of v3)\"|" "$WORK/$TARGET-v2.yml" > "$WORK/$TARGET-v3.yml"
  grep -q "${PREFIX}web@${DIGEST[web-v3]}" "$WORK/$TARGET-v3.yml" || { echo "cannot make v3's file from $WORK/$TARGET-v2.yml" >&2; exit 1; }
  log "$TARGET: by-hand route, first deploy of v1 (not measured)"
  hand_up v1 && wait_ready v1
  for scenario in new broken rollback unchanged; do measure "by hand" $scenario; done
  clean_$TARGET "zdb2-hand-$TARGET"
done

echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ), $(machine); load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after."
echo "Request loop: GET /version through the proxy (answered by web), one request after another, ${PAUSE_MS} ms pause, 5 s time-out per request."
echo
echo "| target | route | scenario | time | as expected | requests | failed | longest gap | versions that answered (requests) |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
