# Shared by the deploy benchmarks (bench/deploy/run.sh, bench/zero-downtime/run.sh); sourced, not run.
# Before sourcing: ROOT (the checkout), WORK (the run's log directory, created) and PROJECT (the bench project).
# BENCH_REPO=<local repo> uses a plugin already installed there instead of building this checkout's.

VERSION=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$ROOT/pom.xml" | head -1)

now() { date +%s.%N; }
secs() { echo "scale=3; ($2 - $1) / 1" | bc; }

bench_plugin() { # sets REPO (the plugin built from this checkout, or BENCH_REPO) and writes $WORK/settings.xml
  if [ -n "${BENCH_REPO:-}" ]; then
    REPO=$BENCH_REPO
  else
    # installed into the invoker's private repository under deploy-maven-plugin/target, never ~/.m2
    REPO=$ROOT/deploy-maven-plugin/target/local-repo
    (cd "$ROOT" && ./mvnw -B -q -pl deploy-maven-plugin -am verify -DskipTests -Dinvoker.test=render-help > "$WORK/build.log" 2>&1) \
      || { cat "$WORK/build.log"; exit 1; }
  fi
  sed "s|@localRepositoryUrl@|file://$HOME/.m2/repository|" "$ROOT/deploy-maven-plugin/src/it/settings.xml" > "$WORK/settings.xml"
}

mvnw() { # log-file args… : ./mvnw on the bench project with time-stamped log lines; on failure prints the log and exits
  local log=$1
  shift
  (cd "$PROJECT" && MAVEN_OPTS="${BENCH_MAVEN_OPTS:-}" "$ROOT/mvnw" -B -s "$WORK/settings.xml" -Dmaven.repo.local="$REPO" \
      -Ddeployer.plugin.version="$VERSION" -Dorg.slf4j.simpleLogger.showDateTime=true \
      "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS" "$@") > "$log" 2>&1 || { cat "$log" >&2; echo "failed: see $log" >&2; exit 1; }
}

stamp() { # log-file pattern -> epoch seconds of the first line matching pattern
  date -d "$(grep -m1 -e "$2" "$1" | cut -d' ' -f1)" +%s.%N
}

clean_compose() { # project: removes its containers and its networks (never volumes of anyone else)
  docker ps -aq --filter "label=com.docker.compose.project=$1" | xargs -r docker rm -f > /dev/null
  docker ps -aq --filter "label=dev.deployer.stack=$1" | xargs -r docker rm -f > /dev/null
  docker network ls -q --filter "label=com.docker.compose.project=$1" | xargs -r docker network rm > /dev/null 2>&1 || true
  docker network rm "$1_default" > /dev/null 2>&1 || true
  # deployer's lock and history records of the stack (volumes labelled with it)
  docker volume ls -q --filter "label=dev.deployer.stack=$1" | xargs -r docker volume rm > /dev/null
}

clean_swarm() { # stack: removes it and its deployer records, and waits until its containers and networks are gone
  docker stack rm "$1" > /dev/null 2>&1 || true
  docker config ls -q --filter "label=dev.deployer.stack=$1" | xargs -r docker config rm > /dev/null
  until [ -z "$(docker ps -aq --filter "label=com.docker.stack.namespace=$1")" ]; do sleep 0.2; done
  # the stack's networks now and then outlive 'docker stack rm' (engine 20.10): removed once its containers are gone
  local net
  for net in $(docker network ls --format '{{.Name}}' --filter "label=com.docker.stack.namespace=$1") "$1_default"; do
    until ! docker network inspect "$net" > /dev/null 2>&1; do docker network rm "$net" > /dev/null 2>&1 || sleep 0.2; done
  done
}

stats() { # values… -> "median (min–max)"
  printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2;
    if (NR == 1) printf "%.2f s", m; else printf "%.2f s (%.2f–%.2f)", m, v[1], v[NR]}'
}

median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

machine() { # one line: cores, engine, CLI, docker-compose, Java
  echo "$(nproc) cores, engine $(docker version --format '{{.Server.Version}}'), docker CLI $(docker version --format '{{.Client.Version}}')," \
    "docker-compose $(docker-compose version --short), $(java -version 2>&1 | head -1)${BENCH_MAVEN_OPTS:+, MAVEN_OPTS=$BENCH_MAVEN_OPTS}"
}
