#!/usr/bin/env bash
# Deploy benchmark: the plugin's own overhead against the same stack deployed directly, and the time of a redeploy
# of an unchanged digest. Needs the CI engine, Swarm and registry (.ci/setup-env.sh). Usage: bench/deploy/run.sh [runs]
# Prints a Markdown table (paste it into docs/benchmarks.md, section "Deploy").
set -euo pipefail
RUNS=${1:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PROJECT=$ROOT/bench/deploy/project
REPO=$ROOT/deploy-maven-plugin/target/local-repo
VERSION=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$ROOT/pom.xml" | head -1)
export BENCH_SECRET=bench-secret-value-5d2c
WORK=$(mktemp -d /tmp/tdep-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }

# The plugin as built from this checkout, installed into the invoker's private repository (never ~/.m2).
(cd "$ROOT" && ./mvnw -B -q -pl deploy-maven-plugin -am verify -DskipTests -Dinvoker.test=render-help > "$WORK/build.log" 2>&1) \
  || { cat "$WORK/build.log"; exit 1; }
sed "s|@localRepositoryUrl@|file://$HOME/.m2/repository|" "$ROOT/deploy-maven-plugin/src/it/settings.xml" > "$WORK/settings.xml"

# image.json as deployer:build writes it: the CI Redis image, by digest.
DIGEST=$(docker inspect --format '{{index .RepoDigests 0}}' 127.0.0.1:5443/deployer/redis:7 | sed 's/.*@//')
mkdir -p "$PROJECT/target/deployer"
printf '{"image": "127.0.0.1:5443/deployer/redis", "tags": ["7"], "digest": "%s", "pushed": true}\n' "$DIGEST" > "$PROJECT/target/deployer/image.json"

mvn_deploy() { # target stack -> prints the goal's own time (summary line) and the wall time
  local start end
  start=$(now)
  (cd "$PROJECT" && "$ROOT/mvnw" -B -s "$WORK/settings.xml" -Dmaven.repo.local="$REPO" -Ddeployer.plugin.version="$VERSION" \
      "dev.deployer:deploy-maven-plugin:$VERSION:deploy" -Ddeployer.target="$1" -Ddeployer.stack="$2" -Ddeployer.environment=bench) > "$WORK/mvn.log" 2>&1 \
    || { cat "$WORK/mvn.log"; exit 1; }
  end=$(now)
  echo "$(grep -o 'time: *[0-9.]* s' "$WORK/mvn.log" | grep -o '[0-9.]*' | head -1) $(secs "$start" "$end")"
}

wait_healthy() { # container-name-filter
  until [ "$(docker ps --filter "$1" --filter health=healthy -q | wc -l)" -ge 1 ]; do sleep 0.1; done
}

clean_compose() {
  docker ps -aq --filter "label=com.docker.compose.project=$1" | xargs -r docker rm -f > /dev/null
  docker ps -aq --filter "label=dev.deployer.stack=$1" | xargs -r docker rm -f > /dev/null
  docker network rm "$1_default" > /dev/null 2>&1 || true
}

clean_swarm() {
  docker stack rm "$1" > /dev/null 2>&1 || true
  docker config ls -q --filter "label=dev.deployer.stack=$1" | xargs -r docker config rm > /dev/null
  until [ -z "$(docker ps -aq --filter "label=com.docker.stack.namespace=$1")" ] \
      && ! docker network inspect "$1_default" > /dev/null 2>&1; do sleep 0.2; done
}

declare -a rows
for target in compose swarm; do
  direct_total=0; goal_total=0; wall_total=0; unchanged_total=0; unchanged_wall_total=0
  for run in $(seq "$RUNS"); do
    stack=tdep-bench-$target
    clean_$target "$stack"; clean_$target "$stack-direct"
    # 1. the plugin (renders the files this run's direct deploy uses too)
    read -r goal wall < <(mvn_deploy "$target" "$stack")
    file=$PROJECT/target/deployer/bench/$([ "$target" = compose ] && echo docker-compose.yml || echo stack.yml)
    # 2. unchanged digest: detected, verified once
    read -r ugoal uwall < <(mvn_deploy "$target" "$stack")
    # 3. directly, same file, same health wait
    start=$(now)
    if [ "$target" = compose ]; then
      docker-compose -p "$stack-direct" -f "$file" up -d > /dev/null 2>&1
      wait_healthy "label=com.docker.compose.project=$stack-direct"
    else
      docker stack deploy --with-registry-auth --detach=false -c "$file" "$stack-direct" > /dev/null 2>&1
      wait_healthy "label=com.docker.stack.namespace=$stack-direct"
    fi
    end=$(now)
    direct=$(secs "$start" "$end")
    direct_total=$(echo "$direct_total + $direct" | bc); goal_total=$(echo "$goal_total + $goal" | bc)
    wall_total=$(echo "$wall_total + $wall" | bc); unchanged_total=$(echo "$unchanged_total + $ugoal" | bc)
    unchanged_wall_total=$(echo "$unchanged_wall_total + $uwall" | bc)
    echo "run $run $target: direct ${direct}s, deployer:deploy goal ${goal}s (mvn ${wall}s), unchanged goal ${ugoal}s (mvn ${uwall}s)" >&2
    clean_$target "$stack"; clean_$target "$stack-direct"
  done
  avg() { echo "scale=2; $1 / $RUNS" | bc; }
  d=$(avg "$direct_total"); g=$(avg "$goal_total")
  rows+=("| $target | $d s | $g s | $(echo "scale=2; $g - $d" | bc) s ($(echo "scale=0; ($g - $d) * 100 / $d" | bc) %) | $(avg "$wall_total") s | $(avg "$unchanged_total") s | $(avg "$unchanged_wall_total") s |")
done
rm -rf "$PROJECT/target"
echo "| target | direct deploy + health wait | deployer:deploy (goal) | overhead | whole ./mvnw run | unchanged redeploy (goal) | unchanged, whole ./mvnw run |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
