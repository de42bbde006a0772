#!/usr/bin/env bash
# Checks docs/adopt.md ("Adopt Deployer in a service repository") the way a new user tries it: on a copy of
# the example's api (example-service/api) made into a repository of its own, in a temporary directory, step by step. The commands, POM
# parts, settings and workflows are taken from the guide itself (its fenced blocks), with the guide's
# placeholders replaced by this machine's values:
#
#   GitHub Packages            -> Deployer installed from this checkout into a private local repository
#   ghcr.io/acme/shop/shop     -> 127.0.0.1:5443/tadp/tadp-shop (the CI registry; docker login already done)
#   artifactId shop            -> tadp-shop (stacks tadp-shop-qa and, from QUANTUM_STACK, tadp-shop-live)
#   the QA server (ssh://)     -> this machine's Docker engine behind the CI sshd: DOCKER_HOST=ssh://deployer-ci-ssh
#                                 (key login, pinned host key), the proxy on 127.0.0.1:18801
#   Planetary Quantum          -> the quantum-cli stand-in on the local Swarm, the app on 127.0.0.1:18802
#   GitHub Actions             -> the reusable workflow's commands, with the GITHUB_* variables a job has
#   base, Redis, proxy images  -> the CI images of .ci/setup-env.sh
#
# Everything it creates (the temp dir, containers, stack, configs, volumes, images) is removed at exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
guide=$root/docs/adopt.md

qa_stack=tadp-shop-qa
prod_stack=tadp-shop-live   # the QUANTUM_STACK variable of section 7
qa_port=18801
prod_port=18802
image_repo=127.0.0.1:5443/tadp/tadp-shop
# Section 3b, the plugin alone: a Spring Boot service from deployer:init to a QA deploy on this engine.
sboot_stack=tadp-sboot-qa
sboot_port=18803
sboot_image=127.0.0.1:5443/tadp/tadp-sboot

step() { printf '\n=== [%3d s] %s\n' "$SECONDS" "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------

# guide_block TEXT: the one fenced code block of the guide that contains TEXT.
guide_block() {
  awk -v text="$1" '
    /^```/ { if (inside) { if (index(body, text)) { printf "%s", body; found++ } inside = 0 } else { inside = 1; body = "" }; next }
    inside { body = body $0 "\n" }
    END { if (found != 1) { printf "docs/adopt.md: %d code blocks contain \"%s\", expected 1\n", found, text > "/dev/stderr"; exit 1 } }
  ' "$guide"
}

# localize: the guide's placeholders -> this machine's values (see the header).
localize() {
  sed -e "s#ghcr.io/acme/shop/shop#$image_repo#g" \
      -e "s#<version>0.1.0</version>#<version>$version</version>#g" \
      -e "s#eclipse-temurin:17-jre#$DEPLOYER_TEST_BASE_IMAGE#g" \
      -e "s#redis:7.4#$DEPLOYER_TEST_REDIS_IMAGE#g" \
      -e "s#caddy:2.8#$DEPLOYER_TEST_PROXY_IMAGE#g" \
      -e "s#<httpPort>8080</httpPort>#<httpPort>$qa_port</httpPort>#g" \
      -e "s#http://qa.shop.example.com:8080/#http://127.0.0.1:$qa_port/#g" \
      -e "s#https://shop.example.com/#http://127.0.0.1:$prod_port/#g" \
      -e "s#<deployer.var.publishAddress>0.0.0.0<#<deployer.var.publishAddress>127.0.0.1<#g" \
      -e "s#node.hostname == prod-1#node.hostname == $node#g" \
      -e "s#<SHA of v0.1.0>#$checkout_sha#g"
}

# replace_lines FILE START END REPLACEMENT: replaces the first lines START..END (regexes) of FILE.
replace_lines() {
  awk -v start="$2" -v end="$3" -v with="$4" '
    !done && !inside && $0 ~ start { inside = 1 }
    inside { if ($0 ~ end) { printf "%s", with; inside = 0; done = 1 }; next }
    { print }
    END { if (!done) { printf "%s: no lines %s..%s\n", FILENAME, start, end > "/dev/stderr"; exit 1 } }
  ' "$1" >"$1.new"
  mv "$1.new" "$1"
}

# run NAME COMMAND...: runs COMMAND in the service repository; output in a log, its end shown on failure.
# An `env NAME=value...` prefix is shown by the names alone (some values are secrets).
runs=0
run() {
  local name=$1 shown=() word started=$SECONDS
  shift
  runs=$((runs + 1))
  log=$(printf '%s/logs/%02d-%s.log' "$work" "$runs" "$name")
  for word in "$@"; do
    if [[ $word == env ]]; then
      shown+=("[env:")
    elif [[ $word =~ ^GITHUB_[A-Z_]*= ]]; then
      [[ ${shown[*]} == *GITHUB_\** ]] || shown+=("GITHUB_*")
    elif [[ $word =~ ^[A-Z_]+= ]]; then
      shown+=("${word%%=*}")
    else
      ((${#shown[@]})) && [[ ${shown[-1]} =~ ^[A-Z_*]+$ ]] && shown[-1]+="]"
      shown+=("$word")
    fi
  done
  printf '  $ %s' "${shown[*]}"
  if ! (cd "$repo" && "$@") >"$log" 2>&1; then
    printf '\n'
    grep -v '^::add-mask::' "$log" | tail -n 60 | sed 's/^/  | /'
    fail "$name"
  fi
  printf '   (%d s)\n' $((SECONDS - started))
}

# shell NAME LINE: runs one command line of the guide with bash.
shell() { run "$1" bash -euo pipefail -c "$2"; }

# answers URL VERSION: /health of URL answers UP with VERSION, and the Redis-backed counter counts.
answers() {
  local health hits
  health=$(curl -fsS --max-time 10 "$1/health") || fail "$1/health does not answer"
  [[ $health == *'"status":"UP"'* && $health == *"\"version\":\"$2\""* ]] || fail "$1/health: $health (expected UP, version $2)"
  hits=$(curl -fsS --max-time 10 -X POST "$1/hits") || fail "POST $1/hits does not answer"
  [[ $hits == *'"hits":'* ]] || fail "POST $1/hits: $hits"
  echo "  $1/health: $health; POST /hits: $hits"
}

# Removes what this check creates on the engine (also what a killed earlier run left behind).
remove_docker_leftovers() {
  docker stack rm "$prod_stack" >/dev/null 2>&1 || true
  docker ps -aq --filter "label=com.docker.compose.project=$qa_stack" | xargs -r docker rm -f >/dev/null
  docker ps -aq --filter "label=com.docker.compose.project=$sboot_stack" | xargs -r docker rm -f >/dev/null
  local stack
  for stack in "$qa_stack" "$prod_stack" "$sboot_stack"; do
    # the deploy lock and history: containers (Compose), Swarm configs (Quantum)
    docker ps -aq --filter "label=dev.deployer.stack=$stack" | xargs -r docker rm -f >/dev/null
    docker config ls -q --filter "label=dev.deployer.stack=$stack" | xargs -r docker config rm >/dev/null
  done
  local _
  for _ in $(seq 60); do   # Swarm removes the stack's containers asynchronously
    [[ -z $(docker ps -aq --filter "label=com.docker.stack.namespace=$prod_stack") ]] && break
    sleep 0.5
  done
  docker ps -aq --filter "label=com.docker.stack.namespace=$prod_stack" | xargs -r docker rm -f >/dev/null
  for stack in "com.docker.compose.project=$qa_stack" "com.docker.stack.namespace=$prod_stack" \
    "com.docker.compose.project=$sboot_stack"; do
    docker network ls -q --filter "label=$stack" | xargs -r docker network rm >/dev/null 2>&1 || true
    docker volume ls -q --filter "label=$stack" | xargs -r docker volume rm >/dev/null
  done
  docker images -q "$image_repo" | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
  docker images -q "$sboot_image" | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
}

cleanup() {
  local status=$?
  set +e
  step "Clean-up: stacks, containers, configs, volumes, images, $work"
  remove_docker_leftovers
  rm -rf "$work"
  ((status == 0)) && printf '\ncheck-adopt-guide: docs/adopt.md works as written (%d s)\n' "$SECONDS"
  exit "$status"
}

# ---------------------------------------------------------------------------------------------------------
step "The environment: Docker engine, Swarm, registry 127.0.0.1:5443 (.ci/setup-env.sh)"
# ---------------------------------------------------------------------------------------------------------
bash "$root/.ci/setup-env.sh"
# shellcheck disable=SC1091
. /var/lib/deployer-ci/env.sh
unset DOCKER_HOST GITHUB_ACTIONS GITHUB_REF_NAME GITHUB_SHA GITHUB_OUTPUT GITHUB_STEP_SUMMARY MAVEN_ARGS
remove_docker_leftovers
work=$(mktemp -d /tmp/tadp-adopt.XXXXXX)
trap cleanup EXIT
mkdir -p "$work/logs" "$work/github" "$work/bin"
repo=$work
m2=$work/m2                     # the private local repository: nothing goes to ~/.m2
version=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$root/deploy-parent-pom/pom.xml" | head -n 1)
checkout_sha=$(git -C "$root" rev-parse HEAD)
node=$(docker info --format '{{.Name}}')
export GIT_AUTHOR_NAME="Adopt Check" GIT_AUTHOR_EMAIL=adopt-check@example.com
export GIT_COMMITTER_NAME="Adopt Check" GIT_COMMITTER_EMAIL=adopt-check@example.com
echo "  work directory $work, Deployer $version from $root"

# ---------------------------------------------------------------------------------------------------------
step "Section 2: Deployer's parent POM and plugin (GitHub Packages' stand-in: this checkout, installed privately)"
# ---------------------------------------------------------------------------------------------------------
# The reactor root too: it is the plugin's parent. Third-party artifacts are read from ~/.m2 (a read-only
# "tail" of the private repository) when they are there, else downloaded into the private one.
tail_repo=()
[[ -d $HOME/.m2/repository ]] && tail_repo=(-Dmaven.repo.local.tail="$HOME/.m2/repository")
run install-deployer "$root/mvnw" -B -ntp -f "$root/pom.xml" install -pl .,deploy-parent-pom,deploy-maven-plugin \
  -Dmaven.test.skip=true -Dinvoker.skip=true -Dmaven.repo.local="$m2" "${tail_repo[@]}"
# The guide's ~/.m2/settings.xml (server "github"); the repository "github" mirrored to an empty directory, so
# that nothing asks maven.pkg.github.com (the artifacts are in the local repository).
mkdir -p "$work/github-packages"
guide_block '<settings>' | localize \
  | sed "s#</settings>#  <mirrors><mirror><id>github-packages-stand-in</id><mirrorOf>github</mirrorOf><url>file://$work/github-packages</url></mirror></mirrors>\n</settings>#" \
  >"$work/settings.xml"
grep -q '<id>github</id>' "$work/settings.xml" || fail "the guide's settings.xml has no server 'github'"
# Every ./mvnw (Maven 3.9) reads MAVEN_ARGS: the private repository and the settings. The many short Maven runs
# start faster with the client compiler only.
export MAVEN_ARGS="-Dmaven.repo.local=$m2 ${tail_repo[*]} -s $work/settings.xml"
export MAVEN_OPTS="${MAVEN_OPTS:-} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

# ---------------------------------------------------------------------------------------------------------
step "Trying it on a copy of the example's api: a repository of its own"
# ---------------------------------------------------------------------------------------------------------
copy=$(guide_block 'cp -r /tmp/deployer/example-service/api/. .' | grep -v '^git clone ' | sed "s#/tmp/deployer#$root#g")
shell copy-example-api "$copy"
repo=$work/shop
[[ -z $(git -C "$repo" status --porcelain) ]] || fail "the copy is not committed: $(git -C "$repo" status --porcelain)"

# ---------------------------------------------------------------------------------------------------------
step "Section 3 (before section 1, as the copy needs): the POM"
# ---------------------------------------------------------------------------------------------------------
pom=$repo/pom.xml
sed -i 's#^  <artifactId>api</artifactId>#  <artifactId>tadp-shop</artifactId>#' "$pom"
replace_lines "$pom" '<parent>' '</parent>' "$(guide_block '<relativePath/>' | localize)"$'\n'
properties=$(guide_block '<deployer.baseImage>' | localize)
image_value=$(sed -n "s:.*<deployer.image>\(.*\)</deployer.image>.*:\1:p" <<<"$properties")
base_value=$(sed -n "s:.*<deployer.baseImage>\(.*\)</deployer.baseImage>.*:\1:p" <<<"$properties")
grep -q "<deployer.image>" "$pom" && [[ -n $image_value && -n $base_value ]] || fail "no <deployer.image> in the copied POM or in the guide"
# deployer.image gets the guide's value; deployer.baseImage (the example's aggregator had it) is added after it.
sed -i "s#^\( *\)<deployer.image>.*</deployer.image>#\1<deployer.image>$image_value</deployer.image>\n\1<deployer.baseImage>$base_value</deployer.baseImage>#" "$pom"
# The aggregator managed JUnit's version.
sed -i 's#^\( *\)<artifactId>junit-jupiter</artifactId>#&\n\1<version>5.14.4</version>#' "$pom"
# The plugin's configuration (in the example, the release owner's) and the profiles: added as the guide shows them.
plugin=$(guide_block '<variables>' | localize | sed -n '/<plugin>/,/<\/plugin>/p')
replace_lines "$pom" '^    </plugins>' '^    </plugins>' "$plugin"$'\n''    </plugins>'$'\n'
# The two environments share this machine: production's app gets a port of its own.
profiles=$(guide_block '<profiles>' | localize \
  | sed "/<deployer.production.healthUrl>/a\\      <deployer.var.httpPort>$prod_port</deployer.var.httpPort>")
replace_lines "$pom" '^</project>' '^</project>' "$profiles"$'\n''</project>'$'\n'
if grep -n -e '<artifactId>example-service</artifactId>' -e 'example.imagePrefix' -e '127.0.0.1:5443/deployer/example-' -e '<id>local</id>' "$pom"; then
  fail "the copied POM still has parts of Deployer's own build"
fi

# ---------------------------------------------------------------------------------------------------------
step "Section 1: the Maven Wrapper"
# ---------------------------------------------------------------------------------------------------------
wrapper_block=$(guide_block 'wrapper:wrapper')
read -ra wrapper <<<"$(grep -m 1 '^mvn ' <<<"$wrapper_block")"
# The user's Maven (any version) generates the wrapper; without one on the PATH, this checkout's.
command -v mvn >/dev/null || wrapper[0]=$root/mvnw
run wrapper "${wrapper[@]}" -B -ntp -Dmaven.repo.local="$m2" -s "$work/settings.xml"
shell wrapper-git-add "$(grep -m 1 '^git add ' <<<"$wrapper_block")"
grep -q 'apache-maven/3.9' "$repo/.mvn/wrapper/maven-wrapper.properties" || fail "the wrapper does not use Maven 3.9"

# ---------------------------------------------------------------------------------------------------------
step "Section 4: the templates, from deployer:init (the copied api has none: the example's are the release's)"
# ---------------------------------------------------------------------------------------------------------
templates_line=$(guide_block 'POM untouched' | grep -m 1 ':init ' | sed -e "s#deploy-maven-plugin:0.1.0:init#deploy-maven-plugin:$version:init#" -e 's/ *#.*$//')
[[ -n $templates_line ]] || fail "docs/adopt.md section 4 has no deployer:init line"
cp "$pom" "$work/pom.before-init"
shell templates-init "$templates_line"
grep -q 'Wrote src/main/deploy/docker-compose.yml.vm' "$log" || fail "init did not write the Compose template"
grep -q 'Wrote src/main/deploy/stack.yml.vm' "$log" || fail "init did not write the stack template"
cmp -s "$pom" "$work/pom.before-init" || fail "init without -Ddeployer.init.apply=true changed pom.xml"
grep -q 'REDIS_PASSWORD: "$secrets.REDIS_PASSWORD"' "$repo/src/main/deploy/docker-compose.yml.vm" || fail "init's templates have no Redis"

# ---------------------------------------------------------------------------------------------------------
step "Section 4: verify, and the render preview (no secret in it)"
# ---------------------------------------------------------------------------------------------------------
qa_secret=qa-redis-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
prod_secret=prod-redis-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
quantum_key=quantum-key-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
# A developer may well have the secret in the shell: the preview must not use it.
export REDIS_PASSWORD=$qa_secret
while IFS= read -r line; do
  [[ -z $line ]] && continue
  shell "$(awk '{print $1 "-" $2}' <<<"$line" | tr -c 'a-zA-Z0-9\n-' '-')" "$line"
done <<<"$(guide_block 'deployer:render -Pqa' | localize)"
unset REDIS_PASSWORD
for file in qa/docker-compose.yml qa/stack.yml production/stack.yml; do
  rendered=$repo/target/deployer/$file
  grep -q 'REDIS_PASSWORD: "\[REDACTED\]"' "$rendered" || fail "$file: the secret is not shown as [REDACTED]"
  grep -q "image: $image_repo:" "$rendered" || fail "$file: not the image $image_repo"
done
grep -q "127.0.0.1:$qa_port:8080" "$repo/target/deployer/qa/docker-compose.yml" || fail "QA's proxy is not on port $qa_port"
grep -rqF "$qa_secret" "$repo/target" "$work/logs" && fail "the preview contains the secret's value"
echo "  previews rendered, secrets [REDACTED]"

# ---------------------------------------------------------------------------------------------------------
step "Section 5: the workflows (audited by deployer:audit in every build from here on)"
# ---------------------------------------------------------------------------------------------------------
mkdir -p "$repo/.github/workflows"
guide_block 'name: CI' | localize >"$repo/.github/workflows/ci.yml"
guide_block 'name: Deploy QA' | localize >"$repo/.github/workflows/deploy-qa.yml"
guide_block 'name: Deploy production' | localize >"$repo/.github/workflows/deploy.yml"
grep -q "deployer.yml@$checkout_sha # v0.1.0" "$repo/.github/workflows/deploy.yml" || fail "deploy.yml does not call the reusable workflow"

# ---------------------------------------------------------------------------------------------------------
step "Sections 6 and 7: environments, secrets, variables (here: the deploy jobs' environment)"
# ---------------------------------------------------------------------------------------------------------
# QA_DOCKER_HOST / QA_SSH_*: the QA "server" is this machine's engine, so DOCKER_HOST stays unset.
# QUANTUM_*: the stand-in's platform knows the endpoint and the key's SHA-256 (never the key).
printf '{"endpoints": ["tadp-endpoint"], "apiKeys": ["%s"], "users": {}}\n' \
  "$(printf '%s' "$quantum_key" | sha256sum | cut -d ' ' -f 1)" >"$work/platform.json"
printf '#!/bin/sh\n# quantum-cli: the stand-in on the local Swarm\nQUANTUM_STANDIN_PLATFORM=%s exec /usr/bin/python3 %s "$@"\n' \
  "$work/platform.json" "$root/deploy-maven-plugin/src/test/quantum-cli/quantum-cli" >"$work/quantum-cli.download"
QUANTUM_CLI_URL=file://$work/quantum-cli.download
QUANTUM_CLI_SHA256=$(sha256sum "$work/quantum-cli.download" | cut -d ' ' -f 1)
# The reusable workflow's step "Install quantum-cli (production)".
curl -fsSL -o "$work/github/quantum-cli" "$QUANTUM_CLI_URL"
echo "$QUANTUM_CLI_SHA256  $work/github/quantum-cli" | sha256sum -c - >/dev/null
install -m 0755 "$work/github/quantum-cli" "$work/bin/quantum-cli"
echo "  quantum-cli installed (checked against QUANTUM_CLI_SHA256)"

# The environment GitHub Actions gives the deploy job (what the production guard reads).
actions_env=(GITHUB_ACTIONS=true GITHUB_REPOSITORY=acme/shop GITHUB_SERVER_URL=https://github.com GITHUB_RUN_ID=1
  GITHUB_WORKSPACE="$repo" GITHUB_OUTPUT="$work/github/output" GITHUB_STEP_SUMMARY="$work/github/summary")
qa_env=(REDIS_PASSWORD="$qa_secret" DOCKER_HOST="${DEPLOYER_TEST_SSH_DOCKER_HOST:-ssh://deployer-ci-ssh}")
prod_env=(REDIS_PASSWORD="$prod_secret" QUANTUM_API_KEY="$quantum_key" QUANTUM_ENDPOINT=tadp-endpoint
  QUANTUM_STACK="$prod_stack" PATH="$work/bin:$PATH")

# deploy_job PROFILE REF ENV...: the reusable workflow's deploy job for a push of REF (build job included:
# the deploy lifecycle builds and pushes the image tagged with the commit before deploying it).
deploy_job() {
  local profile=$1 ref=$2
  shift 2
  local sha
  sha=$(git -C "$repo" rev-parse HEAD)
  run "deploy-$profile" env "${actions_env[@]}" GITHUB_REF_NAME="$ref" GITHUB_SHA="$sha" "$@" \
    ./mvnw -B -ntp -pl . -am deploy -P"$profile" -DskipTests -Dinvoker.skip=true \
    -Ddeployer.image="$image_repo" -Ddeployer.tag="$sha"
  grep -q "Deployed and verified: $image_repo:$sha@sha256:" "$log" || fail "deploy-$profile: no 'Deployed and verified' of $sha"
}

# ---------------------------------------------------------------------------------------------------------
step "Section 8: the first QA deploy (push to develop)"
# ---------------------------------------------------------------------------------------------------------
first_deploys=$(guide_block 'git checkout -b develop' | localize)
while IFS= read -r line; do
  shell "$(awk '{print $1 "-" $2}' <<<"$line")" "$line"
done <<<"$(grep -E '^git (checkout|add|commit)' <<<"$first_deploys")"
[[ -z $(git -C "$repo" status --porcelain) ]] || fail "section 8 leaves files uncommitted: $(git -C "$repo" status --porcelain)"
develop_sha=$(git -C "$repo" rev-parse HEAD)
deploy_job qa develop "${qa_env[@]}"
grep -q 'deployer:.*audit' "$work/logs/"*deploy-qa.log || fail "deployer:audit did not run"
shell qa-curl "$(grep -m 1 '^curl ' <<<"$first_deploys")"
answers "http://127.0.0.1:$qa_port" "$develop_sha"

# ---------------------------------------------------------------------------------------------------------
step "Section 8: the first production deploy (develop merged into main, the approved deploy job)"
# ---------------------------------------------------------------------------------------------------------
shell merge-release 'git checkout -q main && git merge -q --no-ff -m "Release" develop'
release_a=$(git -C "$repo" rev-parse HEAD)
deploy_job production main "${prod_env[@]}"
grep -q 'quantum-cli .* deploys with' "$log" || fail "production did not deploy with quantum-cli"
grep -q "stack: *$prod_stack (target quantum, environment production)" "$log" || fail "production is not the stack $prod_stack"
shell production-curl "$(grep -m 1 '^curl -fsS https://shop.example.com/' "$guide" | localize)"
answers "http://127.0.0.1:$prod_port" "$release_a"
# The same deploy from a developer's shell (not GitHub Actions) is refused.
if (cd "$repo" && env "${prod_env[@]}" ./mvnw -B -ntp deployer:deploy -Pproduction -Ddeployer.tag="$release_a") \
  >"$work/logs/production-refused.log" 2>&1; then
  fail "a production deploy outside GitHub Actions was not refused"
fi
grep -q 'Refusing to deploy to production' "$work/logs/production-refused.log" || fail "no production guard message"
echo "  the same deploy outside GitHub Actions: refused"

# ---------------------------------------------------------------------------------------------------------
step "Section 9: the rollback drill (deploy a second version, roll back to the previous one)"
# ---------------------------------------------------------------------------------------------------------
shell second-change 'git checkout -q develop && echo "# second version" >>src/main/resources/simplelogger.properties && git commit -qam "Second version"'
shell merge-second 'git checkout -q main && git merge -q --no-ff -m "Release 2" develop'
release_b=$(git -C "$repo" rev-parse HEAD)
deploy_job production main "${prod_env[@]}"
answers "http://127.0.0.1:$prod_port" "$release_b"
# The workflow's rollback-to: previous (gh workflow run deploy.yml --ref main -f rollback-to=previous).
run rollback-production env "${actions_env[@]}" GITHUB_REF_NAME=main GITHUB_SHA="$release_b" "${prod_env[@]}" \
  ./mvnw -B -ntp -f . deployer:rollback -Pproduction -Ddeployer.image="$image_repo"
grep -q "Deployed and verified: $image_repo:$release_a@sha256:" "$log" || fail "the rollback did not deploy $release_a"
answers "http://127.0.0.1:$prod_port" "$release_a"

# ---------------------------------------------------------------------------------------------------------
step "Section 3b: the plugin alone — a Spring Boot service (its own parent), from deployer:init to a QA deploy"
# ---------------------------------------------------------------------------------------------------------
# A Spring Boot 3 service with nothing of Deployer: spring-boot-starter-parent, web, data-redis, actuator (the
# application of the sboot-deploy-compose IT: a Redis-backed counter).
sboot=$work/sboot
it=$root/deploy-maven-plugin/src/it/sboot-deploy-compose
mkdir -p "$sboot/src/main/java/demo/shop" "$sboot/src/main/resources"
cp "$it/src/main/java/demo/shop/ShopApplication.java" "$sboot/src/main/java/demo/shop/"
cp "$it/src/main/resources/application.properties" "$sboot/src/main/resources/"
cat >"$sboot/pom.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
    <modelVersion>4.0.0</modelVersion>
    <parent>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-starter-parent</artifactId>
        <version>3.5.7</version>
        <relativePath/>
    </parent>
    <groupId>com.acme</groupId>
    <artifactId>tadp-sboot</artifactId>
    <version>1.0.0</version>
    <properties>
        <java.version>17</java.version>
    </properties>
    <dependencies>
        <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
        <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-data-redis</artifactId></dependency>
        <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency>
    </dependencies>
    <build>
        <plugins>
            <plugin>
                <groupId>org.springframework.boot</groupId>
                <artifactId>spring-boot-maven-plugin</artifactId>
            </plugin>
        </plugins>
    </build>
</project>
EOF
cp -r "$work/shop/mvnw" "$work/shop/.mvn" "$sboot/"
printf 'target/\n' >"$sboot/.gitignore"
repo=$sboot
shell sboot-commit 'git init -q -b main && git add -A && git commit -qm "A Spring Boot service"'
# The guide's deployer:init line, with this machine's version, image and base (the CI JRE with java.desktop).
init_line=$(guide_block 'deployer.init.apply=true' | grep -m 1 ':init ' \
  | sed -e "s#deploy-maven-plugin:0.1.0:init#deploy-maven-plugin:$version:init#")
[[ -n $init_line ]] || fail "docs/adopt.md has no deployer:init line"
shell sboot-init "$init_line -Ddeployer.init.image=$sboot_image -Ddeployer.init.baseImage=127.0.0.1:5443/deployer/jre17-desktop:17"
grep -q 'Wrote src/main/deploy/docker-compose.yml.vm' "$log" || fail "init did not write the Compose template"
grep -q 'Inserted into pom.xml' "$log" || fail "init did not insert the snippet"
for file in src/main/deploy/docker-compose.yml.vm src/main/deploy/stack.yml.vm .github/workflows/ci.yml \
  .github/workflows/deploy-qa.yml .github/workflows/deploy.yml; do
  [[ -f $sboot/$file ]] || fail "init did not write $file"
done
grep -q 'SPRING_DATA_REDIS_PASSWORD' "$sboot/src/main/deploy/docker-compose.yml.vm" || fail "not Spring's Redis names"
# This machine's QA: the health URL, the proxy's port and the CI images (what section 3's profile would set).
sed -i "s#^    </properties>#        <deployer.qa.healthUrl>http://127.0.0.1:$sboot_port/actuator/health</deployer.qa.healthUrl>\n        <deployer.var.httpPort>$sboot_port</deployer.var.httpPort>\n        <deployer.var.redisImage>$DEPLOYER_TEST_REDIS_IMAGE</deployer.var.redisImage>\n        <deployer.var.proxyImage>$DEPLOYER_TEST_PROXY_IMAGE</deployer.var.proxyImage>\n        <deployer.healthTimeout>180</deployer.healthTimeout>\n    </properties>#" "$sboot/pom.xml"
grep -q "<deployer.qa.healthUrl>" "$sboot/pom.xml" || fail "the QA settings were not added to the Spring Boot POM"
shell sboot-commit-init 'git add -A && git commit -qm "Deployer, from deployer:init"'
run sboot-deploy-qa env REDIS_PASSWORD="$qa_secret" ./mvnw -B -ntp deploy -Pqa
grep -q "Deployed and verified: $sboot_image:$(git -C "$sboot" rev-parse HEAD)@sha256:" "$log" || fail "the Spring Boot service was not deployed"
grep -q "stack: *$sboot_stack (target compose, environment qa)" "$log" || fail "not the qa environment's stack $sboot_stack"
grep -q 'Audit: 3 files, 0 findings' "$log" || fail "the audit of init's workflows is not clean"
health=$(curl -fsS --max-time 10 "http://127.0.0.1:$sboot_port/actuator/health") || fail "/actuator/health does not answer"
[[ $health == *'"status":"UP"'* ]] || fail "/actuator/health: $health"
hits=$(curl -fsS --max-time 10 -X POST "http://127.0.0.1:$sboot_port/hits") || fail "POST /hits does not answer"
[[ $hits == *'"hits":'* ]] || fail "POST /hits: $hits"
echo "  http://127.0.0.1:$sboot_port/actuator/health: $health; POST /hits: $hits"

# ---------------------------------------------------------------------------------------------------------
step "Secrets: no value in any log, file or output (only the runner's ::add-mask:: lines)"
# ---------------------------------------------------------------------------------------------------------
for secret in "$qa_secret" "$prod_secret" "$quantum_key"; do
  if grep -rF -- "$secret" "$work" | grep -v ':::add-mask::'; then
    fail "a secret value was written above"
  fi
done
echo "  none found"
