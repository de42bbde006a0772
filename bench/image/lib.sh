# bench/image/lib.sh: what both image benchmarks (run.sh, platforms.sh) set up and measure, sourced by them.
# Set before sourcing: ROOT (the checkout), BENCH_NAME (prefix of the work directory and the private local repository
# under /tmp), BASE is set by the caller after sourcing (it needs env.sh). Gives: REG, MVN, SRC (a git copy of
# example-service), APP (its api), OUT, DOCKER_CFG, log, sha, and timed (seconds + uploads counted from the
# registry's access log) into RESULT.

[[ -f /var/lib/deployer-ci/env.sh ]] || { echo "bench: run .ci/setup-env.sh first (no /var/lib/deployer-ci/env.sh)" >&2; exit 1; }
# shellcheck disable=SC1091
. /var/lib/deployer-ci/env.sh
REG=$DEPLOYER_TEST_REGISTRY
REGISTRY_LOG=/var/log/deployer-ci/registry.log
REGISTRY_ROOT=/var/lib/deployer-ci/registry/docker/registry/v2
export DOCKER_API_VERSION=1.41 DOCKER_BUILDKIT=0
export DEPLOYER_REGISTRY_USERNAME=$DEPLOYER_TEST_REGISTRY_USERNAME DEPLOYER_REGISTRY_PASSWORD=$DEPLOYER_TEST_REGISTRY_PASSWORD

RUN=$(date +%s)
WORK=/tmp/$BENCH_NAME-$RUN
SRC=$WORK/src          # the git repository that is built (nothing else may be written into it: it must stay clean)
OUT=$WORK/out          # logs and the docker client config
M2=/tmp/$BENCH_NAME-m2
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
