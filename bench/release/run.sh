#!/usr/bin/env bash
# Release benchmark: a reactor of 4 image modules (m1…m4, each a tiny HTTP service) and a release owner, built, pushed
# and deployed as ONE release by `./mvnw deploy -Pqa` — once with -T 1 and once with -T 2 — to show where a release's
# time goes: the image modules' builds (Jib, pushed to the CI registry) overlap under -T, and the deploy takes the
# ordered phase chain of the stack (m1, then m2 and m3, then m4: Compose's health-gated groups from depends_on), not
# one deploy per module. Needs the CI engine and registry (.ci/setup-env.sh). Prints Markdown tables (paste them into
# docs/benchmarks.md, section "Release"); the Maven logs of the last run stay in /tmp/tdep-relbench-last/.
#
#   bench/release/run.sh [runs]             # default 1 run per -T setting
#   BENCH_OWNER=root bench/release/run.sh   # the reactor root owns the release (deployer.releaseOwner=root) instead
#                                           # of a pom module `stack` that depends on m1…m4 (the default)
#   BENCH_REPO=<local repo> ...             # use the plugin already installed there (skip the build)
#   BENCH_MAVEN_OPTS='-XX:...' ...          # JVM options for the Maven runs (MAVEN_OPTS)
#
# The project is generated into $WORK/project (its own git repository; parent: this checkout's deploy-parent-pom).
# Before each run every module's source changes (a new commit), so every image is new and really built and pushed.
# Times, from the time-stamped Maven log:
#   whole            the ./mvnw deploy command (JVM and Maven start-up included)
#   images           from the first image module's first plugin line to the last image pushed ("Image … pushed")
#   sum of modules   the modules' own times added up (what a build one after another costs at least)
#   overlap          sum of modules / images (1.0 = no overlap)
#   per module       from the module's first plugin line (compile, jar, image) to its image pushed [of which Jib's
#                    build + push, the plugin's "pushed … in X s"]; not Maven's reactor summary, which for the last
#                    module of a root-owned release includes the release's deploy
#   deploy           "Deploying the release" to "Deployed and verified"; per group: "Starting group k" to its
#                    "Healthy after" (the ordered phases), then the health URL and the history record
# Nothing is installed into ~/.m2: the plugin goes to the invoker's repository under deploy-maven-plugin/target.
set -euo pipefail
RUNS=${1:-1}
OWNER_MODE=${BENCH_OWNER:-module}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=/tmp/tdep-relbench-last
PROJECT=$WORK/project
STACK=tdep-relbench
REGISTRY=127.0.0.1:5443
PORT=18741
rm -rf "$WORK" && mkdir -p "$PROJECT"
. "$ROOT/bench/lib/common.sh"
# the CI registry's test credential, for the build's push (never printed; only in the Maven processes' environment)
. /var/lib/deployer-ci/env.sh
export DEPLOYER_REGISTRY_USERNAME=$DEPLOYER_TEST_REGISTRY_USERNAME DEPLOYER_REGISTRY_PASSWORD=$DEPLOYER_TEST_REGISTRY_PASSWORD
bench_plugin
MODULES="m1 m2 m3 m4"

generate() { # the reactor: root (parent: deploy-parent-pom), m1…m4, and the owner (stack module or the root)
  local parent modules m deps="" templates
  parent=$(realpath --relative-to="$PROJECT" "$ROOT/deploy-parent-pom/pom.xml")
  modules=$(for m in $MODULES; do printf '    <module>%s</module>\n' "$m"; done)
  [ "$OWNER_MODE" = module ] && modules="$modules
    <module>stack</module>"
  cat > "$PROJECT/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>dev.deployer</groupId>
    <artifactId>deploy-parent-pom</artifactId>
    <version>$VERSION</version>
    <relativePath>$parent</relativePath>
  </parent>
  <groupId>dev.deployer.bench</groupId>
  <artifactId>tdep-relbench-root</artifactId>
  <version>1.0.0</version>
  <packaging>pom</packaging>
  <modules>
$modules
  </modules>
  <properties>
    <deployer.baseImage>$REGISTRY/deployer/jre17:17</deployer.baseImage>
    <deployer.healthTimeout>120</deployer.healthTimeout>
    <deployer.qa.stack>$STACK</deployer.qa.stack>
    <deployer.qa.healthUrl>http://127.0.0.1:$PORT/health</deployer.qa.healthUrl>
  </properties>
$([ "$OWNER_MODE" = root ] && echo "  <build><plugins><plugin><groupId>dev.deployer</groupId><artifactId>deploy-maven-plugin</artifactId>
    <configuration><releaseOwner>root</releaseOwner></configuration></plugin></plugins></build>")
</project>
POM
  for m in $MODULES; do
    mkdir -p "$PROJECT/$m/src/main/java/bench/$m"
    cat > "$PROJECT/$m/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>dev.deployer.bench</groupId><artifactId>tdep-relbench-root</artifactId><version>1.0.0</version></parent>
  <artifactId>$m</artifactId>
  <properties><deployer.image>$REGISTRY/timage/tdep-relbench-$m</deployer.image></properties>
</project>
POM
    deps="$deps    <dependency><groupId>dev.deployer.bench</groupId><artifactId>$m</artifactId><version>1.0.0</version><scope>provided</scope></dependency>
"
  done
  if [ "$OWNER_MODE" = module ]; then
    mkdir -p "$PROJECT/stack"
    cat > "$PROJECT/stack/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>dev.deployer.bench</groupId><artifactId>tdep-relbench-root</artifactId><version>1.0.0</version></parent>
  <artifactId>stack</artifactId>
  <packaging>pom</packaging>
  <dependencies>
$deps  </dependencies>
</project>
POM
    templates=$PROJECT/stack/src/main/deploy
  else
    templates=$PROJECT/src/main/deploy
  fi
  mkdir -p "$templates"
  {
    echo "# The release: m1 first, then m2 and m3 (both need m1), then m4 (needs m2 and m3; published for the health URL)."
    echo "version: '3.8'"
    echo "services:"
    for m in $MODULES; do
      echo "  $m:"
      echo "    image: \$images.$m.ref"
      echo "    environment:"
      echo "      APP_VERSION: \"\$images.$m.tag\""
      case $m in
        m2|m3) echo "    depends_on: [m1]" ;;
        m4) echo "    depends_on: [m2, m3]"
            echo "    ports: [\"127.0.0.1:$PORT:8080\"]" ;;
      esac
      echo "    healthcheck:"
      echo "      test: [\"CMD\", \"wget\", \"-q\", \"-O-\", \"http://127.0.0.1:8080/health\"]"
      echo "      interval: 2s"
      echo "      timeout: 2s"
      echo "      retries: 10"
      echo "      start_period: 5s"
    done
  } > "$templates/docker-compose.yml.vm"
  printf 'target/\n*/target/\n' > "$PROJECT/.gitignore"
  git -C "$PROJECT" init -q -b main
}

change_every_module() { # $1: a label: every module's source changes, so every image is new
  local m
  for m in $MODULES; do
    cat > "$PROJECT/$m/src/main/java/bench/$m/Main.java" <<JAVA
package bench.$m;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** GET /health answers "$m <version>". Build $1. */
public class Main {
    static final String BUILD = "$1";

    public static void main(String[] args) throws Exception {
        String version = System.getenv().getOrDefault("APP_VERSION", "dev");
        HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", 8080), 0);
        server.createContext("/health", exchange -> {
            byte[] body = ("$m " + version + " " + BUILD).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
JAVA
  done
  git -C "$PROJECT" add -A
  git -C "$PROJECT" -c user.email=bench@deployer.dev -c user.name=bench -c commit.gpgsign=false commit -q -m "build $1"
}

clean() {
  clean_compose "$STACK"
}

module_time() { # log module -> seconds from the module's first plugin line to its image pushed (its build, no deploy)
  local from to
  from=$(stamp "$1" "\-\-\- .* @ $2 \-\-\-")
  to=$(stamp "$1" "Image $REGISTRY/timage/tdep-relbench-$2:[0-9a-f]* sha256:[0-9a-f]*: pushed")
  secs "$from" "$to"
}

jib_time() { # log module -> the plugin's "pushed … in X s" of the module's image
  grep -E "Image $REGISTRY/timage/tdep-relbench-$2:[0-9a-f]+ sha256:[0-9a-f]+: pushed .* in [0-9.]+ s" "$1" | sed -E 's/.* in ([0-9.]+) s$/\1/'
}

measure() { # threads run -> one result row (and details on stderr)
  local threads=$1 run=$2 log start end whole first last images sum overlap deploy_start deploy_end deploy groups m t j slowest=0 slowest_name
  log=$WORK/T$threads-$run.log
  change_every_module "T$threads-$run-$(date +%s%N)"
  clean
  start=$(now)
  mvnw "$log" deploy -Pqa -T "$threads"
  end=$(now)
  whole=$(secs "$start" "$end")
  grep -q 'Deployed and verified: the release' "$log" || { echo "no release deployed: see $log" >&2; exit 1; }
  [ "$(grep -c 'Deployed and verified' "$log")" -eq 1 ] || { echo "more than one deploy: see $log" >&2; exit 1; }
  first=$(stamp "$log" "\-\-\- .* @ m[1-4] \-\-\-")
  last=$(grep -E "Image $REGISTRY/timage/tdep-relbench-m[1-4]:.* pushed" "$log" | tail -1 | cut -d' ' -f1)
  last=$(date -d "$last" +%s.%N)
  images=$(secs "$first" "$last")
  sum=0; details=""
  for m in $MODULES; do
    t=$(module_time "$log" "$m"); j=$(jib_time "$log" "$m")
    sum=$(echo "$sum + $t" | bc)
    details="$details $m ${t} s [${j} s],"
    if [ "$(echo "$t > $slowest" | bc)" -eq 1 ]; then slowest=$t; slowest_name=$m; fi
  done
  overlap=$(printf '%.2f' "$(echo "scale=3; $sum / $images" | bc)")
  deploy_start=$(stamp "$log" 'Deploying the release of')
  deploy_end=$(stamp "$log" 'Deployed and verified')
  groups=""
  local k n g0 g1
  n=$(grep -c 'Starting group' "$log")
  for k in $(seq "$n"); do
    g0=$(grep -n "Starting group $k/" "$log" | head -1 | cut -d: -f1)
    g1=$(tail -n +"$g0" "$log" | grep -m1 'Healthy after' | cut -d' ' -f1)
    groups="$groups g$k ($(grep -m1 "Starting group $k/" "$log" | sed -E 's/.*Starting group [0-9]+\/[0-9]+: //')) $(secs "$(date -d "$(sed -n "${g0}p" "$log" | cut -d' ' -f1)" +%s.%N)" "$(date -d "$g1" +%s.%N)") s,"
  done
  echo "T$threads run $run: whole ${whole}s, images ${images}s (sum of modules ${sum}s, overlap ${overlap}), deploy $(secs "$deploy_start" "$deploy_end")s;${details}${groups} load $(cut -d' ' -f1 /proc/loadavg)" >&2
  echo "| -T $threads | $whole s | $images s | $sum s | $overlap | $slowest_name $slowest s |${details%,} | $(secs "$deploy_start" "$deploy_end") s |${groups%,} |"
}

generate
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
trap clean EXIT
for run in $(seq "$RUNS"); do
  for threads in 1 2; do
    rows+=("$(measure "$threads" "$run")")
  done
done
echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ), $RUNS run(s) per setting, owner: $OWNER_MODE, load average $LOAD_BEFORE before," \
  "$(cut -d' ' -f1-3 /proc/loadavg) after; $(machine)."
echo
echo "| build | whole ./mvnw deploy | images (first module → last push) | sum of the 4 modules | overlap | slowest module | per module: build → pushed [Jib build + push] | deploy of the release | ordered phases (start → healthy) |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
