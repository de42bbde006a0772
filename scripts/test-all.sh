#!/usr/bin/env bash
# Runs every test of Deployer: sets up a Docker engine, Swarm, Compose, a TLS registry and offline base
# images (.ci/setup-env.sh, idempotent), then the whole Maven build (unit, mojo, invoker and end-to-end
# tests against the real engine, registry and Redis), then the main job: a real local deploy, then
# docs/adopt.md followed as a new user would, on a copy of the example's api (scripts/check-adopt-guide.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup-env.sh
# shellcheck disable=SC1091
. /var/lib/deployer-ci/env.sh
./mvnw -B -ntp verify "$@"
./scripts/local-deploy.sh
./scripts/check-adopt-guide.sh
