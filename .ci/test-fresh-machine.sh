#!/usr/bin/env bash
# .ci/test-fresh-machine.sh: run .ci/setup-env.sh on a brand-new Debian 12 root file system
# (debootstrap minbase + JDK 17 + curl, nothing else, no policy-rc.d) inside a container with
# its own network, so it does not touch this machine's dockerd, registry or ports. Runs setup
# twice (fresh, then warm), verify-env.sh, teardown + setup, and prints the timings.
# Needs the host environment up (.ci/setup-env.sh) for the outer Docker. ~2.5 min the first
# time (debootstrap), ~1.5 min after.
set -euo pipefail

CI_DIR=$(cd "$(dirname "$0")" && pwd)
ROOTFS=/var/cache/deployer-ci-fresh-rootfs
IMAGE=deployer-ci-fresh-debian12:1
WORK=$(mktemp -d /tmp/deployer-ci-fresh.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  if [[ ! -x $ROOTFS/usr/lib/jvm/java-17-openjdk-amd64/bin/java ]]; then
    command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
    rm -rf "$ROOTFS"
    debootstrap --variant=minbase bookworm "$ROOTFS" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 \
      || { tail -20 "$WORK/debootstrap.log"; exit 1; }
    rm -f "$ROOTFS/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/debian.sources "$ROOTFS/etc/apt/sources.list.d/"
    cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
    mount --bind /proc "$ROOTFS/proc"
    chroot "$ROOTFS" sh -c 'export DEBIAN_FRONTEND=noninteractive; printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d;
      apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless curl ca-certificates procps >/dev/null;
      rc=$?; rm -f /usr/sbin/policy-rc.d; apt-get clean; rm -rf /var/lib/apt/lists/*; exit $rc' || { umount "$ROOTFS/proc"; exit 1; }
    umount "$ROOTFS/proc"
    rm -f "$ROOTFS/etc/resolv.conf"
  fi
  cp /usr/local/bin/docker "$ROOTFS/usr/local/bin/docker" 2>/dev/null || true   # like the machine image
  tar --numeric-owner -C "$ROOTFS" -c . | docker import - "$IMAGE" >/dev/null
fi

# --privileged is impossible on these VMs (no CAP_SYS_RESOURCE in the bounding set): grant the
# rest and remount /sys and the cgroup v1 hierarchies read-write inside.
cat >"$WORK/entry.sh" <<'EOF'
#!/bin/bash
mount -o remount,rw /sys
grep ' /sys/fs/cgroup/' /proc/self/mounts | while read -r _ dir type opts _; do
  [ "$type" = cgroup ] || continue
  ctrl=$(echo "$opts" | tr , '\n' | grep -vE '^(ro|rw|nosuid|nodev|noexec|relatime)$' | paste -sd,)
  umount "$dir" && mount -t cgroup -o "$ctrl" cgroup "$dir"
done
t() { local s=${EPOCHREALTIME/./}; "$@"; local rc=$?; echo "== rc=$rc $(( (${EPOCHREALTIME/./} - s) / 1000 )) ms: $*"; return $rc; }
t /ci/setup-env.sh && t /ci/setup-env.sh && t /ci/verify-env.sh && t /ci/teardown-env.sh && t /ci/setup-env.sh || exit 1
[ ! -e /usr/sbin/policy-rc.d ] && ! pgrep -x redis-server >/dev/null && echo "== no policy-rc.d left, no host redis-server"
EOF
chmod +x "$WORK/entry.sh"
docker run --rm --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined \
  --security-opt apparmor=unconfined --security-opt systempaths=unconfined --device-cgroup-rule='a *:* rwm' \
  -v /var/lib/docker -v "$CI_DIR:/ci:ro" -v "$WORK/entry.sh:/entry.sh:ro" "$IMAGE" /entry.sh
