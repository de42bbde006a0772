#!/usr/bin/env bash
# Deploy benchmark: the plugin's own overhead against the same stack deployed directly, and the time of a redeploy
# of an unchanged digest. Needs the CI engine, Swarm and registry (.ci/setup-env.sh). Prints a Markdown table
# (paste it into docs/benchmarks.md, section "Deploy"); the Maven logs of the last run stay in /tmp/tdep-bench-last/.
#
#   bench/deploy/run.sh [runs]            # default 3
#   BENCH_REPO=<local repo> ...           # use the plugin already installed there (skip the build), e.g. an older build
#   BENCH_MAVEN_OPTS='-XX:...' ...        # JVM options for the deployer runs (MAVEN_OPTS)
#   BENCH_TARGETS=compose ...             # only these targets (default: compose swarm)
#
# Per run and target: the stack deployed by deployer:deploy (a first deploy), the same digest again (unchanged), and
# the same rendered file deployed directly (docker-compose up -d / docker stack deploy --detach=false) plus the same
# wait for health; the order of the direct and the deployer deploy alternates between runs. Times:
#   goal      Maven's "--- deployer:…:deploy" line to BUILD SUCCESS (the plugin's class realm, the mojo, the runbook)
#   runbook   the goal's own summary ("time:"), from the start of the plan's run (checks, lock, …) to the summary
#   ./mvnw    the whole command (JVM and Maven start-up included); "Maven alone" is ./mvnw validate of the same project
# Nothing is installed into ~/.m2: the plugin goes to the invoker's repository under deploy-maven-plugin/target.
set -euo pipefail
RUNS=${1:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PROJECT=$ROOT/bench/deploy/project
export BENCH_SECRET=bench-secret-value-5d2c
WORK=/tmp/tdep-bench-last
rm -rf "$WORK" && mkdir -p "$WORK"
. "$ROOT/bench/lib/common.sh"
bench_plugin

# image.json as deployer:build writes it: the CI Redis image, by digest.
DIGEST=$(docker inspect --format '{{index .RepoDigests 0}}' 127.0.0.1:5443/deployer/redis:7 | sed 's/.*@//')
mkdir -p "$PROJECT/target/deployer"
printf '{"image": "127.0.0.1:5443/deployer/redis", "tags": ["7"], "digest": "%s", "pushed": true}\n' "$DIGEST" > "$PROJECT/target/deployer/image.json"

mvn_deploy() { # target stack log -> "goal runbook whole"
  local start end
  start=$(now)
  mvnw "$3" "dev.deployer:deploy-maven-plugin:$VERSION:deploy" -Ddeployer.target="$1" -Ddeployer.stack="$2" -Ddeployer.environment=bench
  end=$(now)
  echo "$(secs "$(stamp "$3" '--- deployer:')" "$(stamp "$3" 'BUILD SUCCESS')")" \
    "$(grep -o 'time: *[0-9.]* s' "$3" | grep -o '[0-9.]*' | head -1)" "$(secs "$start" "$end")"
}

phases() { # deploy-log -> seconds of: plugin realm + mojo (to the goal's first line), image + secrets + render (the plan),
  # checks + lock + rollback point + write (the plan's run, to the first pull), pull, deploy command(s), first health wait, the rest
  local goal first started ready deploying waiting healthy done
  goal=$(stamp "$1" '--- deployer:')
  first=$(stamp "$1" '\] Deploying ')
  started=$(date -d "$(grep -o 'started [0-9T:.-]*' "$1" | cut -d' ' -f2)" +%s.%N)
  ready=$(stamp "$1" 'Pulling\|Deploying stack')
  deploying=$(stamp "$1" 'Starting group\|Deploying stack')
  waiting=$(stamp "$1" 'Waiting for health')
  healthy=$(stamp "$1" 'Healthy after')
  done=$(stamp "$1" 'BUILD SUCCESS')
  echo "$(secs "$goal" "$first") $(secs "$first" "$started") $(secs "$started" "$ready") $(secs "$ready" "$deploying")" \
    "$(secs "$deploying" "$waiting") $(secs "$waiting" "$healthy") $(secs "$healthy" "$done")"
}

wait_healthy() { # label filter
  until [ "$(docker ps --filter "$1" --filter health=healthy -q | wc -l)" -ge 1 ]; do sleep 0.1; done
}

direct_deploy() { # target stack file -> seconds
  local start end
  start=$(now)
  if [ "$1" = compose ]; then
    docker-compose -p "$2" -f "$3" up -d > /dev/null 2>&1
    wait_healthy "label=com.docker.compose.project=$2"
  else
    docker stack deploy --with-registry-auth --detach=false -c "$3" "$2" > /dev/null 2>&1
    wait_healthy "label=com.docker.stack.namespace=$2"
  fi
  end=$(now)
  secs "$start" "$end"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -a rows phase_rows
for target in ${BENCH_TARGETS:-compose swarm}; do
  stack=tdep-bench-$target
  file=$PROJECT/target/deployer/bench/$([ "$target" = compose ] && echo docker-compose.yml || echo stack.yml)
  # renders the file both deploys use (a dry run changes nothing), and warms the file cache
  mvnw "$WORK/$target-render.log" "dev.deployer:deploy-maven-plugin:$VERSION:deploy" -Ddeployer.target=$target \
    -Ddeployer.stack=$stack -Ddeployer.environment=bench -Ddeployer.dryRun=true
  direct=(); goal=(); runbook=(); whole=(); ugoal=(); urunbook=(); uwhole=(); maven=()
  realm=(); plan=(); before=(); pull=(); deploy=(); health=(); rest=()
  for run in $(seq "$RUNS"); do
    clean_$target "$stack"; clean_$target "$stack-direct"
    if [ $((run % 2)) -eq 0 ]; then d=$(direct_deploy $target "$stack-direct" "$file"); fi
    read -r g r w < <(mvn_deploy $target "$stack" "$WORK/$target-$run-deploy.log") && [ -n "$w" ] || exit 1
    if [ $((run % 2)) -eq 1 ]; then d=$(direct_deploy $target "$stack-direct" "$file"); fi
    read -r ug ur uw < <(mvn_deploy $target "$stack" "$WORK/$target-$run-unchanged.log") && [ -n "$uw" ] || exit 1
    grep -q 'Unchanged, verified healthy' "$WORK/$target-$run-unchanged.log" || { echo "run $run: the redeploy did not see an unchanged digest" >&2; exit 1; }
    start=$(now); mvnw "$WORK/$target-$run-validate.log" validate; m=$(secs "$start" "$(now)")
    read -r p0 p1 p2 p3 p4 p5 p6 < <(phases "$WORK/$target-$run-deploy.log")
    realm+=("$p0"); plan+=("$p1"); before+=("$p2"); pull+=("$p3"); deploy+=("$p4"); health+=("$p5"); rest+=("$p6")
    direct+=("$d"); goal+=("$g"); runbook+=("$r"); whole+=("$w"); ugoal+=("$ug"); urunbook+=("$ur"); uwhole+=("$uw"); maven+=("$m")
    echo "run $run $target: direct ${d}s; deployer:deploy goal ${g}s (runbook ${r}s, ./mvnw ${w}s); unchanged goal ${ug}s" \
      "(runbook ${ur}s, ./mvnw ${uw}s); ./mvnw validate ${m}s; load $(cut -d' ' -f1 /proc/loadavg)" >&2
    clean_$target "$stack"; clean_$target "$stack-direct"
  done
  dm=$(median "${direct[@]}"); gm=$(median "${goal[@]}")
  over=$(printf '%.2f' "$(echo "$gm - $dm" | bc)"); pct=$(echo "scale=0; ($gm - $dm) * 100 / $dm" | bc)
  phase_rows+=("| $target | $(stats "${realm[@]}") | $(stats "${plan[@]}") | $(stats "${before[@]}") | $(stats "${pull[@]}") | $(stats "${deploy[@]}") | $(stats "${health[@]}") | $(stats "${rest[@]}") |")
  rows+=("| $target | $(stats "${direct[@]}") | $(stats "${goal[@]}") | $over s ($pct %) | $(stats "${runbook[@]}") | $(stats "${whole[@]}") | $(stats "${ugoal[@]}") | $(stats "${urunbook[@]}") | $(stats "${uwhole[@]}") | $(stats "${maven[@]}") |")
done
rm -rf "$PROJECT/target"
echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ), $RUNS runs, $(nproc) cores, load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after;" \
  "engine $(docker version --format '{{.Server.Version}}'), docker CLI $(docker version --format '{{.Client.Version}}')," \
  "docker-compose $(docker-compose version --short), $(java -version 2>&1 | head -1)${BENCH_MAVEN_OPTS:+, MAVEN_OPTS=$BENCH_MAVEN_OPTS}."
echo "Medians (min–max)."
echo
echo "| target | direct: up + health wait | deployer:deploy goal | goal overhead | runbook | whole ./mvnw | unchanged: goal | unchanged: runbook | unchanged: whole ./mvnw | Maven alone (./mvnw validate) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Where the first deploy's goal time goes (medians (min–max)):"
echo
echo "| target | plugin realm + mojo (to the goal's first line) | the plan: image, guard, secrets, render | checks, lock, rollback point, write | pull | deploy command(s) | first health wait | verify, history, unlock, end |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${phase_rows[@]}"
