#!/usr/bin/env bash
# Fetches the public corpora the workflow-audit measurement runs on (CorpusTest), at the exact commits the
# recorded findings belong to, into DIR (the layout of DEPLOYER_AUDIT_CORPUS). Data only: nothing is copied
# into this repository. Usage: .github/scripts/fetch-audit-corpus.sh DIR
set -euo pipefail
dir=${1:?usage: $0 DIR}
mkdir -p "$dir"

fetch() { # name repository commit paths...
  local name=$1 repo=$2 commit=$3; shift 3
  local target="$dir/$name"
  if [ -f "$target/.fetched-$commit" ]; then return 0; fi
  rm -rf "$target" && mkdir -p "$target"
  git -C "$target" init -q
  git -C "$target" remote add origin "https://github.com/$repo.git"
  git -C "$target" sparse-checkout set --no-cone "$@"
  git -C "$target" fetch -q --depth 1 --filter=blob:none origin "$commit"
  git -C "$target" checkout -q FETCH_HEAD
  test "$(git -C "$target" rev-parse HEAD)" = "$commit"
  touch "$target/.fetched-$commit"
  echo "fetched $repo@$commit into $target"
}

fetch zizmor zizmorcore/zizmor 11bbf7e6cffac7ccf4f803d40255e0cd54c60236 \
  /LICENSE /crates/zizmor/tests/integration/snapshots/ /crates/zizmor/tests/integration/test-data/
fetch gha-hazmat-at-83e7e24d woodruffw/gha-hazmat 83e7e24df76fe8b5c0a1748b6fb24107a0e4fa61 \
  /LICENSE /README.md /.github/workflows/ /ref-confusion/
fetch actionlint rhysd/actionlint 011a6d15e749bb3f2d771eed9c7aa0e7e3e10ee7 \
  /LICENSE.txt /testdata/err/ /testdata/examples/ /testdata/ok/
fetch scorecard ossf/scorecard 40c1e35996730d4fdcbdb2e6a23917a2467e29b7 \
  /LICENSE /checks/testdata/.github/workflows/ /checks/raw/testdata/.github/workflows/
