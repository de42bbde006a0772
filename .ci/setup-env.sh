#!/usr/bin/env bash
# .ci/setup-env.sh: bring up everything the Deployer tests need on a fresh Debian 12 machine
# (root, no systemd, Docker client only, reachable: Debian apt, Maven Central, npm).
#
#   Docker engine 20.10 (dockerd in the background), single-node Swarm, a private TLS registry
#   with basic auth on 127.0.0.1:5443, and offline-built images pushed there:
#     127.0.0.1:5443/deployer/jre17:17   jlink'ed JRE 17 + busybox, user app (10001)
#     127.0.0.1:5443/deployer/jre17-desktop:17   the same plus java.desktop (java.beans: Spring needs it)
#     127.0.0.1:5443/deployer/redis:7    redis-server/redis-cli 7.0 + busybox, user redis (999)
#     127.0.0.1:5443/deployer/proxy:1    Caddy 2.6 (Debian) + busybox
#     127.0.0.1:5443/deployer/jre17-arm64:17, deployer/jre17-multi:17 (index amd64 + arm64), qemu-aarch64 binfmt
#   Everything is written to /var/lib/deployer-ci/env.sh:  source it before running tests.
#
# Idempotent: every step checks first and does nothing when its result is already in place.
# Timings measured on this machine kind (2 cores, November 2026):
#   fresh Debian 12 root file system (only JDK 17 + curl), everything from scratch
#   (.ci/test-fresh-machine.sh):                                     49.7 s idle, 92.4 s at load 11
#     (apt-get update + install 29 s, dockerd + swarm 1 s, TLS + trust stores 4 s,
#      registry + login 0.5 s, images jre17 9 s / redis 2 s / proxy 4 s, docker save 0.4 s;
#      at load 11: apt 62 s, jre17 18 s)
#   the arm64 JRE base + the amd64/arm64 index (7a), once: ~33 s (download of 75 MB of arm64 .debs
#   and the 62 MB qemu-user-static .deb, cross-jlink, docker load + push ~49 MB); then stamps only
#   second run, everything up:                                                         0.6-0.9 s
#   after teardown-env.sh (restart dockerd + registry, nothing else to do):            2.3-3.2 s
#   this machine, packages already installed, nothing else yet:          ~25 s (sum of parts)
# See .ci/README.md for what it provides and the pitfalls found.
#
# Usage: .ci/setup-env.sh            set up / repair, print a summary
#        DEPLOYER_CI_REBUILD=1 ...   rebuild and re-push the images even if present
#        DEPLOYER_CI_QUIET=1 ...     only print the summary
set -euo pipefail
shopt -s inherit_errexit

readonly CI_HOME=/var/lib/deployer-ci
readonly LOG_DIR=/var/log/deployer-ci
readonly REGISTRY=127.0.0.1:5443
readonly REGISTRY_USER=deployer
readonly REGISTRY_PASSWORD=deployer-ci-password   # test-only registry bound to loopback
readonly JDK=/usr/lib/jvm/java-17-openjdk-amd64
readonly IMG_JRE=$REGISTRY/deployer/jre17:17
readonly IMG_JRE_DESKTOP=$REGISTRY/deployer/jre17-desktop:17
readonly IMG_REDIS=$REGISTRY/deployer/redis:7
readonly IMG_PROXY=$REGISTRY/deployer/proxy:1
readonly TLS_DIR=$CI_HOME/tls
readonly CA_CERT=$TLS_DIR/ca.crt
readonly ENV_FILE=$CI_HOME/env.sh
readonly SOCK=/var/run/docker.sock
# The Docker 28 client at /usr/local/bin/docker negotiates API 1.41 with Debian's engine 20.10
# by itself; pinning the version keeps other clients (docker-java, scripts) on the same page.
export DOCKER_API_VERSION=1.41
export DEBIAN_FRONTEND=noninteractive

START_US=${EPOCHREALTIME/./}
elapsed() { local us=$((${EPOCHREALTIME/./} - START_US)); printf '%d.%d' $((us / 1000000)) $((us / 100000 % 10)); }
log() { [[ ${DEPLOYER_CI_QUIET:-} == 1 ]] || printf '[setup-env %6ss] %s\n' "$(elapsed)" "$*" >&2; }
die() { printf '[setup-env] ERROR: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) == 0 ]] || die "run as root (it installs packages and starts dockerd)"
umask 022
mkdir -p "$CI_HOME" "$LOG_DIR" "$TLS_DIR" "$CI_HOME/images" "$CI_HOME/debs" "$CI_HOME/registry"
# Several worktrees' test runs may call this at the same time: one at a time.
exec 9>"$CI_HOME/setup.lock"
flock -w 900 9 || die "another setup-env.sh still holds $CI_HOME/setup.lock after 15 minutes"

TEMP_POLICY=
BUILD_DIR=
cleanup() {
  [[ -n $TEMP_POLICY ]] && rm -f /usr/sbin/policy-rc.d
  [[ -n $BUILD_DIR ]] && rm -rf "$BUILD_DIR"
  return 0
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# 1. Packages
# ---------------------------------------------------------------------------------------------
PACKAGES=(docker.io docker-registry docker-compose apache2-utils busybox-static redis-server
          redis-tools openssl ca-certificates ca-certificates-java curl openssh-server openssh-client
          iproute2 e2fsprogs)  # ip, mkfs.ext4: the fault tests' private engines (PrivateEngine)
# jlink needs the JDK's jmods: on Debian 12 they ship in openjdk-17-jdk-headless (Debian 13
# moved them to openjdk-17-jmods).
[[ -f $JDK/jmods/java.base.jmod ]] || PACKAGES+=(openjdk-17-jdk-headless)

apt_updated=
apt_update_once() {
  if [[ -z $apt_updated ]]; then
    log "apt-get update"
    apt-get -o DPkg::Lock::Timeout=600 update -qq >>"$LOG_DIR/apt.log" 2>&1 || { tail -20 "$LOG_DIR/apt.log" >&2; die "apt-get update failed"; }
    apt_updated=1
  fi
}
wait_for_dpkg_lock() {  # another apt (e.g. started by hand in the background) may hold the lock
  local i
  for ((i = 0; i < 300; i++)); do
    if ! fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock >/dev/null 2>&1; then
      return 0
    fi
    ((i % 15 == 0)) && log "waiting for another apt/dpkg to finish"
    sleep 2
  done
  die "dpkg lock still held after 10 minutes"
}
missing_packages() {
  local p
  for p in "$@"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || echo "$p"
  done
}
install_packages() {
  local missing
  mapfile -t missing < <(missing_packages "${PACKAGES[@]}")
  ((${#missing[@]} == 0)) && return 0
  command -v fuser >/dev/null 2>&1 && wait_for_dpkg_lock
  mapfile -t missing < <(missing_packages "${PACKAGES[@]}")   # the other apt may have done it
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]}"
  # Without systemd, the packages' init scripts would start a host dockerd and a host Redis on
  # :6379. Machines of this kind deny that in policy-rc.d; make sure of it while installing.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# temporary, from .ci/setup-env.sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d; TEMP_POLICY=1
  fi
  apt_update_once
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 \
    || { tail -30 "$LOG_DIR/apt.log" >&2; die "apt-get install ${missing[*]} failed (log: $LOG_DIR/apt.log)"; }
}
install_packages
[[ -f $JDK/jmods/java.base.jmod ]] || die "no jmods in $JDK/jmods: jlink cannot build the JRE image"

# The proxy image is made from Debian's caddy package, downloaded (not installed: nothing of it
# runs on the host).
caddy_deb() {
  local deb
  deb=$(ls "$CI_HOME"/debs/caddy_*.deb 2>/dev/null | head -1 || true)
  if [[ -z $deb ]]; then
    log "downloading Debian's caddy package"
    [[ $(apt-cache policy caddy 2>/dev/null) == *"Candidate: "[0-9]* ]] || apt_update_once
    (cd "$CI_HOME/debs" && apt-get download -qq caddy >>"$LOG_DIR/apt.log" 2>&1) || {
      apt_update_once
      (cd "$CI_HOME/debs" && apt-get download -qq caddy >>"$LOG_DIR/apt.log" 2>&1) || die "apt-get download caddy failed"
    }
    deb=$(ls "$CI_HOME"/debs/caddy_*.deb | head -1)
  fi
  echo "$deb"
}

# ---------------------------------------------------------------------------------------------
# 2. dockerd
# ---------------------------------------------------------------------------------------------
# /usr/local/bin/docker (28.x) is first on PATH; it works against the 20.10 engine (see above).
DOCKER=$(command -v docker)
docker_ok() { timeout 10 "$DOCKER" info >/dev/null 2>&1; }
start_detached() {  # start_detached LOGFILE PIDFILE CMD... : new session, survives this script
  local logfile=$1 pidfile=$2; shift 2
  setsid nohup "$@" >>"$logfile" 2>&1 </dev/null 9>&- &   # 9: the setup lock, not for daemons
  echo $! >"$pidfile"
}
if ! docker_ok; then
  log "starting dockerd (log: $LOG_DIR/dockerd.log)"
  # A dockerd that died leaves its pid file and a stale socket: dockerd copes with both.
  echo "=== $(date -Is) setup-env.sh starts dockerd" >>"$LOG_DIR/dockerd.log"
  start_detached "$LOG_DIR/dockerd.log" "$CI_HOME/dockerd.pid" dockerd --host "unix://$SOCK"
  for ((i = 0; ; i++)); do
    docker_ok && break
    if ! kill -0 "$(cat "$CI_HOME/dockerd.pid")" 2>/dev/null || ((i >= 120)); then
      tail -30 "$LOG_DIR/dockerd.log" >&2
      die "dockerd did not come up (log: $LOG_DIR/dockerd.log)"
    fi
    sleep 0.5
  done
fi

# The default bridge's interface: a second dockerd in this network namespace can delete it (.ci/README.md), after
# which `docker run` on the default network fails; put it back as the engine made it (its network record stays).
if ! ip link show docker0 >/dev/null 2>&1; then
  bridge_net=$("$DOCKER" network inspect bridge --format '{{range .IPAM.Config}}{{.Gateway}} {{.Subnet}}{{end}}' 2>/dev/null || true)
  if [[ $bridge_net =~ ^([0-9.]+)\ [0-9.]+/([0-9]+)$ ]]; then
    log "docker0 was missing: recreating it (${BASH_REMATCH[1]}/${BASH_REMATCH[2]})"
    ip link add docker0 type bridge && ip addr add "${BASH_REMATCH[1]}/${BASH_REMATCH[2]}" dev docker0 && ip link set docker0 up
  fi
fi

# ---------------------------------------------------------------------------------------------
# 3. Swarm
# ---------------------------------------------------------------------------------------------
swarm_state=$("$DOCKER" info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}')
case $swarm_state in
  "active true") ;;
  inactive*)
    log "docker swarm init"
    "$DOCKER" swarm init --advertise-addr 127.0.0.1 >/dev/null ;;
  *) die "this engine is in Swarm state '$swarm_state' (not a manager): run 'docker swarm leave --force' and retry" ;;
esac

# ---------------------------------------------------------------------------------------------
# 4. TLS (CA + server certificate), trust stores, htpasswd
# ---------------------------------------------------------------------------------------------
cert_ok() {  # server cert exists, is signed by our CA and valid for at least 30 more days
  [[ -s $TLS_DIR/ca.key && -s $CA_CERT && -s $TLS_DIR/server.key && -s $TLS_DIR/server.crt ]] &&
    openssl verify -CAfile "$CA_CERT" "$TLS_DIR/server.crt" >/dev/null 2>&1 &&
    openssl x509 -checkend 2592000 -noout -in "$TLS_DIR/server.crt" >/dev/null 2>&1
}
if ! cert_ok; then
  if ! { [[ -s $TLS_DIR/ca.key && -s $CA_CERT ]] && openssl x509 -checkend 2592000 -noout -in "$CA_CERT" >/dev/null 2>&1; }; then
    log "creating the test CA"
    openssl req -x509 -new -nodes -newkey rsa:2048 -sha256 -days 3650 \
      -keyout "$TLS_DIR/ca.key" -out "$CA_CERT" -subj "/CN=Deployer CI test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  fi
  log "creating the registry's server certificate (SAN localhost, 127.0.0.1)"
  openssl req -new -nodes -newkey rsa:2048 -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.csr" \
    -subj "/CN=localhost" 2>/dev/null
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" >"$TLS_DIR/server.ext"
  openssl x509 -req -sha256 -days 825 -in "$TLS_DIR/server.csr" -CA "$CA_CERT" -CAkey "$TLS_DIR/ca.key" \
    -CAcreateserial -out "$TLS_DIR/server.crt" -extfile "$TLS_DIR/server.ext" 2>/dev/null
  rm -f "$TLS_DIR/server.csr"
  chmod 600 "$TLS_DIR/ca.key" "$TLS_DIR/server.key"
  rm -f "$CI_HOME/registry.pid.cert"   # the registry must reload the new certificate
fi
CA_FP=$(openssl x509 -noout -fingerprint -sha256 -in "$CA_CERT" | sed 's/.*=//')

# System store (curl, git, Go programs such as dockerd and the registry client side).
if ! cmp -s "$CA_CERT" /usr/local/share/ca-certificates/deployer-ci-ca.crt; then
  log "adding the CA to the system store (update-ca-certificates)"
  cp "$CA_CERT" /usr/local/share/ca-certificates/deployer-ci-ca.crt
  update-ca-certificates >"$LOG_DIR/update-ca-certificates.log" 2>&1 || { cat "$LOG_DIR/update-ca-certificates.log" >&2; die "update-ca-certificates failed"; }
fi
# Docker engine (it already treats 127.0.0.0/8 as insecure; the CA makes it verify instead).
for host in "$REGISTRY" "localhost:5443"; do
  mkdir -p "/etc/docker/certs.d/$host"
  cmp -s "$CA_CERT" "/etc/docker/certs.d/$host/ca.crt" || cp "$CA_CERT" "/etc/docker/certs.d/$host/ca.crt"
done
# Java: the default truststore of every JDK on the machine (Debian's JDK 17 shares
# /etc/ssl/certs/java/cacerts; others such as Temurin have their own).
declare -A seen_stores=()
for store in /usr/lib/jvm/*/lib/security/cacerts; do
  [[ -e $store ]] || continue
  real=$(readlink -f "$store"); [[ -n ${seen_stores[$real]:-} ]] && continue; seen_stores[$real]=1
  jdk_home=${store%/lib/security/cacerts}
  [[ -x $jdk_home/bin/keytool ]] || continue
  present=$("$jdk_home/bin/keytool" -list -keystore "$real" -storepass changeit -alias deployer-ci-ca 2>/dev/null |
            sed -n 's/.*(SHA-256): //p' | tr -d ' ' || true)
  [[ ${present//:/} == "${CA_FP//:/}" ]] && continue
  log "importing the CA into $real"
  [[ -n $present ]] && "$jdk_home/bin/keytool" -delete -keystore "$real" -storepass changeit -alias deployer-ci-ca >/dev/null
  "$jdk_home/bin/keytool" -importcert -keystore "$real" -storepass changeit -noprompt \
    -alias deployer-ci-ca -file "$CA_CERT" >/dev/null 2>&1 || die "keytool could not import the CA into $real"
done
# An explicit truststore too, for tests that pass -Djavax.net.ssl.trustStore (password changeit).
if [[ ! -s $TLS_DIR/truststore.p12 || $TLS_DIR/truststore.p12 -ot $CA_CERT ]]; then
  rm -f "$TLS_DIR/truststore.p12"
  "$JDK/bin/keytool" -importcert -noprompt -alias deployer-ci-ca -file "$CA_CERT" \
    -keystore "$TLS_DIR/truststore.p12" -storetype PKCS12 -storepass changeit >/dev/null 2>&1
fi

if ! htpasswd -vb "$CI_HOME/htpasswd" "$REGISTRY_USER" "$REGISTRY_PASSWORD" >/dev/null 2>&1; then
  log "writing htpasswd (bcrypt)"
  htpasswd -Bbc "$CI_HOME/htpasswd" "$REGISTRY_USER" "$REGISTRY_PASSWORD" 2>/dev/null
fi

# ---------------------------------------------------------------------------------------------
# 5. Registry (CNCF distribution 2.8, Debian's docker-registry) on 127.0.0.1:5443
# ---------------------------------------------------------------------------------------------
cat >"$CI_HOME/registry.yml.new" <<EOF
# written by .ci/setup-env.sh
version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $CI_HOME/registry
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $REGISTRY
  secret: deployer-ci-upload-state-key
  tls:
    certificate: $TLS_DIR/server.crt
    key: $TLS_DIR/server.key
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  htpasswd:
    realm: deployer-ci
    path: $CI_HOME/htpasswd
EOF
config_changed=
if ! cmp -s "$CI_HOME/registry.yml.new" "$CI_HOME/registry.yml"; then
  mv "$CI_HOME/registry.yml.new" "$CI_HOME/registry.yml"; config_changed=1
else
  rm -f "$CI_HOME/registry.yml.new"
fi
registry_status() {  # prints the HTTP status of /v2/ (000 when nothing answers)
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 --cacert "$CA_CERT" "https://$REGISTRY/v2/" 2>/dev/null || true
}
registry_pid() {
  local pid
  pid=$(cat "$CI_HOME/registry.pid" 2>/dev/null) || return 1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && grep -q docker-registry "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}
# Restart when the config or the certificate changed under a running registry.
cert_stamp="$CA_FP $(stat -c %Y "$TLS_DIR/server.crt")"
if pid=$(registry_pid) && { [[ -n $config_changed ]] || [[ $(cat "$CI_HOME/registry.pid.cert" 2>/dev/null) != "$cert_stamp" ]]; }; then
  log "restarting the registry (configuration or certificate changed)"
  kill "$pid"; for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
if [[ $(registry_status) != 401 ]]; then
  registry_pid >/dev/null && die "registry process $(registry_pid) runs but https://$REGISTRY/v2/ does not answer 401 (log: $LOG_DIR/registry.log)"
  log "starting the registry on $REGISTRY (log: $LOG_DIR/registry.log)"
  echo "=== $(date -Is) setup-env.sh starts the registry" >>"$LOG_DIR/registry.log"
  start_detached "$LOG_DIR/registry.log" "$CI_HOME/registry.pid" docker-registry serve "$CI_HOME/registry.yml"
  echo "$cert_stamp" >"$CI_HOME/registry.pid.cert"
  for ((i = 0; ; i++)); do
    status=$(registry_status)
    [[ $status == 401 ]] && break
    if ! kill -0 "$(cat "$CI_HOME/registry.pid")" 2>/dev/null || ((i >= 120)); then
      tail -20 "$LOG_DIR/registry.log" >&2
      die "the registry does not answer 401 on https://$REGISTRY/v2/ (last status $status)"
    fi
    sleep 0.25
  done
fi

# ---------------------------------------------------------------------------------------------
# 6. docker login (writes ~/.docker/config.json, which Jib also reads)
# ---------------------------------------------------------------------------------------------
auth_b64=$(printf '%s:%s' "$REGISTRY_USER" "$REGISTRY_PASSWORD" | base64 -w0)
if ! grep -q "$auth_b64" "${HOME:-/root}/.docker/config.json" 2>/dev/null; then
  log "docker login $REGISTRY"
  printf '%s' "$REGISTRY_PASSWORD" | "$DOCKER" login -u "$REGISTRY_USER" --password-stdin "$REGISTRY" >/dev/null 2>&1 \
    || die "docker login $REGISTRY failed"
fi

# ---------------------------------------------------------------------------------------------
# 7. Images, built offline from the host's files, pushed to the registry
# ---------------------------------------------------------------------------------------------
# Each image is a single layer made by a deterministic tar (sorted, mtime 0, numeric owners)
# wrapped in a hand-written `docker load` archive with a fixed creation date, so the same host
# files give the same image ID, layer and manifest digests. A recipe hash (this script's build
# function + the versions of what goes in) decides whether an image must be rebuilt.
manifest_digest() {  # manifest_digest REPO TAG: the registry's digest of REPO:TAG, empty if none
  curl -sfI --max-time 5 --cacert "$CA_CERT" -u "$REGISTRY_USER:$REGISTRY_PASSWORD" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "https://$REGISTRY/v2/$1/manifests/$2" 2>/dev/null | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p' || true
}

rootfs_base() {  # rootfs_base DIR: busybox (sh, wget, ...), /etc files, merged-/usr lib layout
  local root=$1 a
  mkdir -p "$root"/{bin,etc,tmp,root,usr/bin,usr/lib/x86_64-linux-gnu,usr/lib64,var/tmp}
  ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
  chmod 1777 "$root/tmp" "$root/var/tmp"; chmod 700 "$root/root"
  cp /bin/busybox "$root/bin/busybox"
  for a in $(/bin/busybox --list); do
    [[ -e $root/bin/$a || $a == busybox ]] || ln -s busybox "$root/bin/$a"
  done
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ca-certificates.crt" 2>/dev/null || true
  mkdir -p "$root/etc/ssl/certs"
  [[ -f $root/etc/ca-certificates.crt ]] && mv "$root/etc/ca-certificates.crt" "$root/etc/ssl/certs/ca-certificates.crt"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}
add_user() {  # add_user ROOT NAME UID HOME
  printf '%s:x:%s:%s:%s:%s:/bin/sh\n' "$2" "$3" "$3" "$2" "$4" >>"$1/etc/passwd"
  printf '%s:x:%s:\n' "$2" "$3" >>"$1/etc/group"
  mkdir -p "$1$4"; chown "$3:$3" "$1$4"
}
add_libs() {  # add_libs ROOT ELF...: copy the shared libraries the ELF files need (ldd)
  local root=$1 lib; shift
  while read -r lib; do
    [[ -e $root/usr/lib/x86_64-linux-gnu/${lib##*/} ]] || cp -L "$lib" "$root/usr/lib/x86_64-linux-gnu/${lib##*/}"
  done < <(for f in "$@"; do ldd "$f" 2>/dev/null; done | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)
  if [[ -e $root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 && ! -e $root/usr/lib64/ld-linux-x86-64.so.2 ]]; then
    ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$root/usr/lib64/ld-linux-x86-64.so.2"
  fi
}
json_strings() { local s out=; for s in "$@"; do out+="${out:+,}\"$s\""; done; printf '%s' "$out"; }
load_image() {  # load_image ROOT REF EPOCH CONFIG_JSON_FRAGMENT [ARCH [VARIANT]]: tar ROOT as one layer, docker load it (amd64 unless said)
  # EPOCH (the build time of the main binary's package) is every file's mtime and the image's
  # creation date: deterministic, and not "created 56 years ago".
  local root=$1 ref=$2 epoch=$3 config=$4 arch=${5:-amd64} variant=${6:-} work diff cfg cfg_id created old_id
  created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
  work=$(dirname "$root")/load-$(basename "$root"); mkdir -p "$work/layer"
  tar --sort=name --format=gnu --mtime="@$epoch" --numeric-owner -C "$root" -cf "$work/layer/layer.tar" .
  diff=$(sha256sum "$work/layer/layer.tar" | cut -d' ' -f1)
  cfg="{\"architecture\":\"$arch\",${variant:+\"variant\":\"$variant\",}\"os\":\"linux\",\"created\":\"$created\",\"config\":{$config},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$diff\"]},\"history\":[{\"created\":\"$created\",\"created_by\":\"deployer .ci/setup-env.sh\"}]}"
  printf '%s' "$cfg" >"$work/config.json"
  cfg_id=$(sha256sum "$work/config.json" | cut -d' ' -f1)
  mv "$work/config.json" "$work/$cfg_id.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer/layer.tar"]}]' "$cfg_id" "$ref" >"$work/manifest.json"
  old_id=$("$DOCKER" image inspect -f '{{.Id}}' "$ref" 2>/dev/null || true)
  tar -C "$work" -cf - manifest.json "$cfg_id.json" layer/layer.tar | "$DOCKER" load -q >/dev/null
  if [[ -n $old_id && $old_id != "sha256:$cfg_id" ]]; then   # drop the replaced build unless in use
    "$DOCKER" image rm "$old_id" >/dev/null 2>&1 || true
  fi
  echo "$(du -sm "$work/layer/layer.tar" | cut -f1) MB"
}

# The JRE base: java.base .. java.sql as asked; plus what a small HTTP service and its libraries commonly
# need: XML, Unsafe (jdk.unsupported), DNS naming, zip FS, JMX/container metrics, agents.
readonly JRE_MODULES=java.base,java.logging,java.net.http,java.management,jdk.crypto.ec,java.naming,jdk.httpserver,java.sql,java.xml,java.instrument,java.security.jgss,java.security.sasl,jdk.unsupported,jdk.naming.dns,jdk.zipfs,jdk.management,jdk.charsets

# build_jre ROOT REF MODULES: a jlink'ed runtime of MODULES on the busybox root, user app (10001).
build_jre() {
  local root=$1 ref=$2 modules=$3
  rootfs_base "$root"
  add_user "$root" app 10001 /home/app
  "$JDK/bin/jlink" --output "$root/opt/java" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --add-modules "$modules"
  local libs
  mapfile -t libs < <(find "$root/opt/java/lib" -name '*.so')
  add_libs "$root" "$root/opt/java/bin/java" "${libs[@]}"
  # dlopen'ed at run time (ldd cannot see it): libgcc_s, for pthread_cancel.
  cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$root/usr/lib/x86_64-linux-gnu/"
  # No labels: images built on this base (Jib) inherit them. User and WorkingDir are inherited too.
  load_image "$root" "$ref" "$(stat -c %Y "$JDK/lib/modules")" "\"User\":\"10001:10001\",\"Env\":[$(json_strings PATH=/opt/java/bin:/bin JAVA_HOME=/opt/java LANG=C.UTF-8)],\"Cmd\":[\"java\",\"-version\"],\"WorkingDir\":\"/home/app\""
}

build_jre17() { build_jre "$1" "$IMG_JRE" "$JRE_MODULES"; }

# The JRE base plus java.desktop: Spring Framework uses java.beans (the Spring Boot end-to-end tests).
build_jre17_desktop() { build_jre "$1" "$IMG_JRE_DESKTOP" "$JRE_MODULES,java.desktop"; }

build_redis() {
  local root=$1
  rootfs_base "$root"
  add_user "$root" redis 999 /data
  cp /usr/bin/redis-check-rdb "$root/usr/bin/redis-server"   # Debian: redis-server -> redis-check-rdb
  cp /usr/bin/redis-cli "$root/usr/bin/redis-cli"
  add_libs "$root" /usr/bin/redis-check-rdb /usr/bin/redis-cli
  # Like the official image: unless a config file or the arguments set protected-mode, allow
  # connections from other containers (Redis 7 refuses them when no password is set).
  cat >"$root/usr/bin/docker-entrypoint.sh" <<'EOS'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  case "${2:-}" in -v|--version|-h|--help|--test-memory|--check-system) exec "$@" ;; esac
  for a in "$@"; do [ "$a" = --protected-mode ] && exec "$@"; done
  shift
  if [ -f "${1:-}" ]; then
    grep -q '^protected-mode' "$1" && exec redis-server "$@"
    conf=$1; shift; set -- redis-server "$conf" --protected-mode no "$@"
  else
    set -- redis-server --protected-mode no "$@"
  fi
fi
exec "$@"
EOS
  chmod 755 "$root/usr/bin/docker-entrypoint.sh"
  load_image "$root" "$IMG_REDIS" "$(stat -c %Y /usr/bin/redis-check-rdb)" "\"User\":\"999:999\",\"Env\":[$(json_strings PATH=/usr/bin:/bin)],\"Entrypoint\":[\"docker-entrypoint.sh\"],\"Cmd\":[\"redis-server\"],\"WorkingDir\":\"/data\",\"ExposedPorts\":{\"6379/tcp\":{}},\"Volumes\":{\"/data\":{}},\"Labels\":{\"org.opencontainers.image.title\":\"deployer-ci redis\",\"org.opencontainers.image.description\":\"Offline test image: Debian redis-server/redis-cli 7.0, busybox sh\"}"
}

build_proxy() {
  local root=$1 deb=$2 x
  rootfs_base "$root"
  x=$(dirname "$root")/caddy-deb; mkdir -p "$x"; dpkg-deb -x "$deb" "$x"
  cp "$x/usr/bin/caddy" "$root/usr/bin/caddy"
  add_libs "$root" "$root/usr/bin/caddy"
  mkdir -p "$root/etc/caddy" "$root/config" "$root/data" "$root/srv" "$root/usr/share/caddy"
  [[ -f /etc/mime.types ]] && cp /etc/mime.types "$root/etc/mime.types"
  printf '<!doctype html><title>deployer-ci proxy</title><p>Caddy works.</p>\n' >"$root/usr/share/caddy/index.html"
  # Default site; a QA compose file mounts its own Caddyfile or runs
  # `caddy reverse-proxy --from :8080 --to app:8080`.
  printf ':80 {\n\troot * /usr/share/caddy\n\tfile_server\n}\n' >"$root/etc/caddy/Caddyfile"
  load_image "$root" "$IMG_PROXY" "$(stat -c %Y "$x/usr/bin/caddy")" "\"Env\":[$(json_strings PATH=/usr/bin:/bin XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data)],\"Cmd\":[\"caddy\",\"run\",\"--config\",\"/etc/caddy/Caddyfile\",\"--adapter\",\"caddyfile\"],\"WorkingDir\":\"/srv\",\"ExposedPorts\":{\"80/tcp\":{},\"443/tcp\":{},\"2019/tcp\":{}},\"Volumes\":{\"/config\":{},\"/data\":{}},\"Labels\":{\"org.opencontainers.image.title\":\"deployer-ci proxy\",\"org.opencontainers.image.description\":\"Offline test image: Debian caddy 2.6, busybox sh/wget\"}"
}

# ensure_image NAME REF RECIPE_INPUTS BUILD_ARGS...
ensure_image() {
  local name=$1 ref=$2 inputs=$3; shift 3
  local repo=${ref#*/}; repo=${repo%:*}
  local tag=${ref##*:} recipe stamp digest size
  recipe=$( { declare -f "build_$name" build_jre rootfs_base add_user add_libs load_image; echo "$JRE_MODULES $inputs"; } | sha256sum | cut -c1-16)
  stamp=$CI_HOME/images/$name.stamp
  digest=$(manifest_digest "$repo" "$tag")
  if [[ -z ${DEPLOYER_CI_REBUILD:-} && -n $digest && $(cat "$stamp" 2>/dev/null) == "$recipe $digest" ]]; then
    return 0
  fi
  log "building $ref"
  BUILD_DIR=$(mktemp -d /tmp/deployer-ci-build.XXXXXX)
  size=$("build_$name" "$BUILD_DIR/root" "$@")
  "$DOCKER" push -q "$ref" >/dev/null 2>"$LOG_DIR/push.log" || { cat "$LOG_DIR/push.log" >&2; die "docker push $ref failed"; }
  digest=$(manifest_digest "$repo" "$tag")
  [[ -n $digest ]] || die "$ref is not in the registry after the push"
  echo "$recipe $digest" >"$stamp"
  rm -rf "$BUILD_DIR"; BUILD_DIR=
  log "pushed $ref ($size uncompressed) $digest"
}

pkg_versions() { dpkg-query -W -f='${Package}=${Version} ' "$@" 2>/dev/null || true; }
host_inputs="$(pkg_versions libc6 libstdc++6 libgcc-s1 zlib1g busybox-static ca-certificates) $(sha256sum /etc/ssl/certs/ca-certificates.crt 2>/dev/null | cut -c1-16)"
ensure_image jre17 "$IMG_JRE" "$host_inputs $(grep JAVA_RUNTIME_VERSION "$JDK/release") $(sha256sum "$JDK/lib/security/cacerts" | cut -c1-16)"
ensure_image jre17_desktop "$IMG_JRE_DESKTOP" "$host_inputs $(grep JAVA_RUNTIME_VERSION "$JDK/release") $(sha256sum "$JDK/lib/security/cacerts" | cut -c1-16)"
ensure_image redis "$IMG_REDIS" "$host_inputs $(pkg_versions redis-server redis-tools liblzf1 libjemalloc2 libssl3 libsystemd0)"
CADDY_DEB=$(caddy_deb)
ensure_image proxy "$IMG_PROXY" "$host_inputs $(basename "$CADDY_DEB")" "$CADDY_DEB"

# ---------------------------------------------------------------------------------------------
# 7a. A second platform: an arm64 JRE base and a multi-platform index of both (amd64 + arm64)
# ---------------------------------------------------------------------------------------------
# Debian's arm64 packages, downloaded (never installed): the host's jlink links an arm64 runtime
# from openjdk-17-jdk-headless:arm64's jmods (cross-linking works across 17.0.x updates; native
# stripping does not, hence --strip-java-debug-attributes), plus arm64 glibc/libstdc++/zlib and
# busybox-static:arm64. qemu-user-static's qemu-aarch64 (extracted from the .deb, not installed)
# is registered with binfmt_misc, flag F (fix binary: works inside containers), so arm64
# containers start on this amd64 engine (slowly: emulated).
readonly IMG_JRE_ARM64=$REGISTRY/deployer/jre17-arm64:17
readonly IMG_JRE_MULTI=$REGISTRY/deployer/jre17-multi:17
readonly ARM64_DEBS=$CI_HOME/debs/arm64
readonly ARM64_PACKAGES=(openjdk-17-jdk-headless:arm64 libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 zlib1g:arm64 busybox-static:arm64)
readonly QEMU_AARCH64=$CI_HOME/qemu/qemu-aarch64-static
arm64_debs() {
  mkdir -p "$ARM64_DEBS"
  local stamp=$ARM64_DEBS/.downloaded
  [[ -f $stamp && $(cat "$stamp") == "${ARM64_PACKAGES[*]}" ]] && return 0
  if [[ " $(dpkg --print-foreign-architectures | tr '\n' ' ') " != *" arm64 "* ]]; then
    log "dpkg --add-architecture arm64"
    dpkg --add-architecture arm64
    apt_updated=
  fi
  log "downloading Debian's arm64 packages: ${ARM64_PACKAGES[*]}"
  rm -f "$ARM64_DEBS"/*.deb
  (cd "$ARM64_DEBS" && apt-get download -qq "${ARM64_PACKAGES[@]}" >>"$LOG_DIR/apt.log" 2>&1) || {
    apt_update_once
    (cd "$ARM64_DEBS" && apt-get download -qq "${ARM64_PACKAGES[@]}" >>"$LOG_DIR/apt.log" 2>&1) \
      || { tail -20 "$LOG_DIR/apt.log" >&2; die "apt-get download of the arm64 packages failed"; }
  }
  echo "${ARM64_PACKAGES[*]}" >"$stamp"
}
qemu_binfmt() {  # 0 when arm64 binaries run here (binfmt_misc + qemu-aarch64), else 1
  if [[ ! -x $QEMU_AARCH64 ]]; then
    local deb
    deb=$(ls "$CI_HOME"/debs/qemu-user-static_*.deb 2>/dev/null | head -1 || true)
    if [[ -z $deb ]]; then
      log "downloading Debian's qemu-user-static (for qemu-aarch64-static only)"
      (cd "$CI_HOME/debs" && apt-get download -qq qemu-user-static >>"$LOG_DIR/apt.log" 2>&1) || return 1
      deb=$(ls "$CI_HOME"/debs/qemu-user-static_*.deb | head -1)
    fi
    mkdir -p "$(dirname "$QEMU_AARCH64")"
    dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/qemu-aarch64-static >"$QEMU_AARCH64.tmp" || return 1
    chmod 755 "$QEMU_AARCH64.tmp"; mv "$QEMU_AARCH64.tmp" "$QEMU_AARCH64"
  fi
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || return 1
  if [[ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]]; then
    log "registering qemu-aarch64 with binfmt_misc (flag F)"
    printf '%s' ':qemu-aarch64:M:0:\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:'"$QEMU_AARCH64"':F' \
      >/proc/sys/fs/binfmt_misc/register 2>/dev/null || return 1
  fi
  grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null
}
build_jre17arm64() {
  local root=$1 x a lib
  x=$(dirname "$root")/arm64-debs; mkdir -p "$x"
  for a in "$ARM64_DEBS"/*.deb; do dpkg-deb -x "$a" "$x"; done
  mkdir -p "$root"/{bin,etc,tmp,root,usr/bin,usr/lib/aarch64-linux-gnu,var/tmp}
  ln -s usr/lib "$root/lib"
  chmod 1777 "$root/tmp" "$root/var/tmp"; chmod 700 "$root/root"
  cp "$x/bin/busybox" "$root/bin/busybox"
  for a in $(/bin/busybox --list); do   # the same applet list as the amd64 build (same Debian version)
    [[ -e $root/bin/$a || $a == busybox ]] || ln -s busybox "$root/bin/$a"
  done
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
  mkdir -p "$root/etc/ssl/certs"; cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/" 2>/dev/null || true
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  add_user "$root" app 10001 /home/app
  "$JDK/bin/jlink" --module-path "$x/usr/lib/jvm/java-17-openjdk-arm64/jmods" --output "$root/opt/java" \
    --strip-java-debug-attributes --no-header-files --no-man-pages --compress=2 \
    --add-modules java.base,java.logging,java.net.http,java.management,jdk.crypto.ec,java.naming,jdk.httpserver,java.sql,java.xml,java.instrument,java.security.jgss,java.security.sasl,jdk.unsupported,jdk.naming.dns,jdk.zipfs,jdk.management,jdk.charsets >&2
  cp -L "$JDK/lib/security/cacerts" "$root/opt/java/lib/security/cacerts"   # the host's store: trusts the test CA
  for lib in ld-linux-aarch64.so.1 libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libgcc_s.so.1 libstdc++.so.6 libz.so.1; do
    cp -L "$(find "$x/lib" "$x/usr/lib" -name "$lib" | head -1)" "$root/usr/lib/aarch64-linux-gnu/$lib"
  done
  ln -s aarch64-linux-gnu/ld-linux-aarch64.so.1 "$root/usr/lib/ld-linux-aarch64.so.1"
  load_image "$root" "$IMG_JRE_ARM64" "$(stat -c %Y "$JDK/lib/modules")" "\"User\":\"10001:10001\",\"Env\":[$(json_strings PATH=/opt/java/bin:/bin JAVA_HOME=/opt/java LANG=C.UTF-8)],\"Cmd\":[\"java\",\"-version\"],\"WorkingDir\":\"/home/app\"" arm64 v8
}
manifest_head() {  # manifest_head REPO REF: "<digest> <size> <media type>" of REPO:REF, empty if none
  curl -sfI --max-time 5 --cacert "$CA_CERT" -u "$REGISTRY_USER:$REGISTRY_PASSWORD" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json,application/vnd.docker.distribution.manifest.list.v2+json' \
    "https://$REGISTRY/v2/$1/manifests/$2" 2>/dev/null | tr -d '\r' \
    | awk 'tolower($1) == "docker-content-digest:" {d=$2} tolower($1) == "content-length:" {s=$2} tolower($1) == "content-type:" {t=$2} END {if (d) print d, s, t}' || true
}
ensure_index() {  # ensure_index REF AMD64_REF ARM64_REF: a manifest list of both images in REF's repository
  local ref=$1 amd=$2 arm=$3 repo tag stamp body a r d s t entries= want
  repo=${ref#*/}; repo=${repo%:*}; tag=${ref##*:}
  want=
  for r in "$amd" "$arm"; do r=${r#*/}; want+="$(manifest_digest "${r%:*}" "${r##*:}") "; done
  stamp=$CI_HOME/images/jre17-multi.stamp
  if [[ -z ${DEPLOYER_CI_REBUILD:-} && $(cat "$stamp" 2>/dev/null) == "$want$(manifest_head "$repo" "$tag" | cut -d' ' -f1)" ]]; then
    return 0
  fi
  log "pushing the index $ref (amd64 + arm64)"
  for a in "amd64:$amd" "arm64:$arm"; do   # the index's manifests must be in its own repository
    "$DOCKER" image inspect "${a#*:}" >/dev/null 2>&1 || "$DOCKER" pull -q "${a#*:}" >/dev/null
    "$DOCKER" tag "${a#*:}" "$REGISTRY/$repo:$tag-${a%%:*}"
    "$DOCKER" push -q "$REGISTRY/$repo:$tag-${a%%:*}" >/dev/null 2>>"$LOG_DIR/push.log" || die "docker push $REGISTRY/$repo:$tag-${a%%:*} failed"
    read -r d s t <<<"$(manifest_head "$repo" "$tag-${a%%:*}")"
    [[ -n $d ]] || die "$REGISTRY/$repo:$tag-${a%%:*} is not in the registry after the push"
    entries+="${entries:+,}{\"mediaType\":\"$t\",\"size\":$s,\"digest\":\"$d\",\"platform\":{\"architecture\":\"${a%%:*}\",\"os\":\"linux\"$([[ ${a%%:*} == arm64 ]] && printf ',"variant":"v8"' || true)}}"
  done
  body="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\",\"manifests\":[$entries]}"
  curl -sf --max-time 10 --cacert "$CA_CERT" -u "$REGISTRY_USER:$REGISTRY_PASSWORD" -X PUT \
    -H 'Content-Type: application/vnd.docker.distribution.manifest.list.v2+json' --data-binary "$body" \
    "https://$REGISTRY/v2/$repo/manifests/$tag" >/dev/null || die "PUT of the index $ref failed"
  d=$(manifest_head "$repo" "$tag" | cut -d' ' -f1)
  [[ -n $d ]] || die "$ref is not in the registry after the PUT"
  echo "$want$d" >"$stamp"
  log "pushed $ref (index) $d"
}
arm64_debs
ensure_image jre17arm64 "$IMG_JRE_ARM64" "$(ls "$ARM64_DEBS"/*.deb | xargs -n1 basename | tr '\n' ' ') $(grep JAVA_RUNTIME_VERSION "$JDK/release") $(sha256sum "$JDK/lib/security/cacerts" | cut -c1-16) $(declare -f load_image)"
ensure_index "$IMG_JRE_MULTI" "$IMG_JRE" "$IMG_JRE_ARM64"
QEMU_ARM64=0
qemu_binfmt && QEMU_ARM64=1

# The JRE base as a `docker save` tarball too (Jib: TarImage / tar://).
BASE_TAR=$CI_HOME/images/jre17.tar
jre_stamp=$(cat "$CI_HOME/images/jre17.stamp")
if [[ ! -s $BASE_TAR || $(cat "$BASE_TAR.stamp" 2>/dev/null) != "$jre_stamp" ]]; then
  log "docker save $IMG_JRE -> $BASE_TAR"
  "$DOCKER" image inspect "$IMG_JRE" >/dev/null 2>&1 || "$DOCKER" pull -q "$IMG_JRE" >/dev/null
  "$DOCKER" save -o "$BASE_TAR.tmp" "$IMG_JRE"
  chmod 644 "$BASE_TAR.tmp"; mv "$BASE_TAR.tmp" "$BASE_TAR"
  echo "$jre_stamp" >"$BASE_TAR.stamp"
fi

# ---------------------------------------------------------------------------------------------
# 7b. sshd on 127.0.0.1:2222: the engine as a remote server (DOCKER_HOST=ssh://deployer-ci-ssh)
# ---------------------------------------------------------------------------------------------
# The way a Hetzner server is reached: an ssh login whose host key is known and whose user key is
# the client's. Host deployer-ci-ssh is defined in $SSH_DIR/config, which ~/.ssh/config includes.
readonly SSH_DIR=$CI_HOME/ssh SSH_PORT=2222 SSH_ALIAS=deployer-ci-ssh
mkdir -p "$SSH_DIR" /run/sshd && chmod 700 "$SSH_DIR"
[[ -f $SSH_DIR/host_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C deployer-ci-host -f "$SSH_DIR/host_ed25519"
[[ -f $SSH_DIR/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C deployer-ci-client -f "$SSH_DIR/id_ed25519"
cp "$SSH_DIR/id_ed25519.pub" "$SSH_DIR/authorized_keys"
echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$SSH_DIR/host_ed25519.pub")" >"$SSH_DIR/known_hosts"
printf '%s\n' "# written by .ci/setup-env.sh: loopback only, key login only" "ListenAddress 127.0.0.1" "Port $SSH_PORT" \
  "HostKey $SSH_DIR/host_ed25519" "PidFile $SSH_DIR/sshd.pid" "AuthorizedKeysFile $SSH_DIR/authorized_keys" \
  "StrictModes no" "PermitRootLogin prohibit-password" "PasswordAuthentication no" "KbdInteractiveAuthentication no" \
  "UsePAM no" "AllowStreamLocalForwarding yes" "StreamLocalBindUnlink yes" >"$SSH_DIR/sshd_config"
printf '%s\n' "# written by .ci/setup-env.sh" "Host $SSH_ALIAS" "  HostName 127.0.0.1" "  Port $SSH_PORT" "  User root" \
  "  IdentityFile $SSH_DIR/id_ed25519" "  IdentitiesOnly yes" "  UserKnownHostsFile $SSH_DIR/known_hosts" \
  "  StrictHostKeyChecking yes" >"$SSH_DIR/config"
mkdir -p ~/.ssh && chmod 700 ~/.ssh
if ! grep -qxF "Include $SSH_DIR/config" ~/.ssh/config 2>/dev/null; then
  { echo "Include $SSH_DIR/config"; cat ~/.ssh/config 2>/dev/null || true; } >~/.ssh/config.new
  mv ~/.ssh/config.new ~/.ssh/config && chmod 600 ~/.ssh/config
fi
ssh_ok() { timeout 10 ssh -o BatchMode=yes "$SSH_ALIAS" true 2>/dev/null; }
if ! ssh_ok; then
  [[ -f $SSH_DIR/sshd.pid ]] && kill "$(cat "$SSH_DIR/sshd.pid")" 2>/dev/null || true
  log "starting sshd on 127.0.0.1:$SSH_PORT (Host $SSH_ALIAS)"
  /usr/sbin/sshd -f "$SSH_DIR/sshd_config" -E "$LOG_DIR/sshd.log" 9>&- || die "sshd did not start (log: $LOG_DIR/sshd.log)"
  for ((i = 0; ; i++)); do
    ssh_ok && break
    ((i >= 40)) && { tail -20 "$LOG_DIR/sshd.log" >&2; die "ssh $SSH_ALIAS does not log in (log: $LOG_DIR/sshd.log)"; }
    sleep 0.25
  done
fi

# ---------------------------------------------------------------------------------------------
# 8. env.sh + summary
# ---------------------------------------------------------------------------------------------
cat >"$ENV_FILE.new" <<EOF
# Deployer CI test environment, written by .ci/setup-env.sh. Source it:  . $ENV_FILE
export DEPLOYER_TEST_HOME=$CI_HOME
export DEPLOYER_TEST_REGISTRY=$REGISTRY
export DEPLOYER_TEST_REGISTRY_USERNAME=$REGISTRY_USER
export DEPLOYER_TEST_REGISTRY_PASSWORD=$REGISTRY_PASSWORD
export DEPLOYER_TEST_CA_CERT=$CA_CERT
export DEPLOYER_TEST_TRUSTSTORE=$TLS_DIR/truststore.p12
export DEPLOYER_TEST_TRUSTSTORE_PASSWORD=changeit
export DEPLOYER_TEST_BASE_IMAGE=$IMG_JRE
export DEPLOYER_TEST_BASE_TAR=$BASE_TAR
export DEPLOYER_TEST_BASE_IMAGE_ARM64=$IMG_JRE_ARM64
export DEPLOYER_TEST_BASE_INDEX=$IMG_JRE_MULTI
export DEPLOYER_TEST_QEMU_ARM64=$QEMU_ARM64
export DEPLOYER_TEST_REDIS_IMAGE=$IMG_REDIS
export DEPLOYER_TEST_PROXY_IMAGE=$IMG_PROXY
export DEPLOYER_TEST_SSH_DOCKER_HOST=ssh://$SSH_ALIAS
export DOCKER_API_VERSION=$DOCKER_API_VERSION
EOF
cmp -s "$ENV_FILE.new" "$ENV_FILE" && rm -f "$ENV_FILE.new" || mv "$ENV_FILE.new" "$ENV_FILE"

{
  printf 'Deployer CI environment ready in %s s  (source %s)\n' "$(elapsed)" "$ENV_FILE"
  printf '  docker    %s (client %s, engine %s), swarm manager on 127.0.0.1\n' "$DOCKER" \
    "$("$DOCKER" version --format '{{.Client.Version}}' 2>/dev/null)" "$("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null)"
  printf '  registry  https://%s  user %s  (CA %s)\n' "$REGISTRY" "$REGISTRY_USER" "$CA_CERT"
  printf '  images    %s  %s  %s  %s\n' "$IMG_JRE" "$IMG_JRE_DESKTOP" "$IMG_REDIS" "$IMG_PROXY"
  printf '  base tar  %s\n' "$BASE_TAR"
  printf '  arm64     %s, index %s (amd64 + arm64); arm64 containers run (qemu binfmt): %s\n' "$IMG_JRE_ARM64" "$IMG_JRE_MULTI" "$([[ $QEMU_ARM64 == 1 ]] && echo yes || echo no)"
  printf '  ssh       DOCKER_HOST=ssh://%s  (sshd on 127.0.0.1:%s, the same engine)\n' "$SSH_ALIAS" "$SSH_PORT"
}
