#!/usr/bin/env bash
# fleetdeck e2e lab: three Docker hosts (network namespaces), a TLS registry with basic auth and
# one with token auth (plus its token server) on one Linux machine. See README.md next to this file.
#
#   lab.sh up | down | status | stop-dockerd HOST | start-dockerd HOST
#   lab.sh kill-dockerd HOST       SIGKILL HOST's dockerd (a host that dies; fault tests)
#   lab.sh docker HOST ARGS...     docker CLI against HOST's unix socket
#   lab.sh ssh HOST [CMD...]       ssh root@HOST with the lab key and known_hosts
#   lab.sh env                     shell exports for tests (FLEETDECK_*)
#   lab.sh verify-clean            after down: fail if anything of the lab is left
#
# Everything lives in ${FLEETDECK_LAB_DIR:-/var/tmp/fleetdeck-lab}. Names on the machine are
# prefixed with "fdlab" (bridge fdlab0, netns fdlab-hN, veth fdlab-hN, cgroups /fdlab-hN).
# Addresses: only 198.18.0.0/15 (benchmark range); nothing is routed outside the lab.
#
# Isolation details (why nothing is written outside the state folder):
# - dockerd and sshd each run in their own private mount namespace with a tmpfs over /run,
#   so containerd's shim sockets (/run/containerd/s/...), /run/sshd and every mount dockerd
#   makes (vfs, /dev/shm, netns handles) live and die with the process tree.
# - In dockerd's mount namespace, $LAB/hN/etc-docker is bind-mounted over /etc/docker: the
#   daemon trusts the registry via .../etc-docker/certs.d/198.18.0.1:5000/ca.crt and writes
#   its key.json there. The machine's real /etc/docker is never touched. A tmpfs over /opt
#   catches containerd's /opt/containerd.
set -euo pipefail

LAB="${FLEETDECK_LAB_DIR:-/var/tmp/fleetdeck-lab}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOSTS=(h1 h2 h3)
BRIDGE=fdlab0
BRIDGE_IP=198.18.0.1
REG=198.18.0.1:5000
REG_USER=sre
IMG=$REG/lab/app
TREG=198.18.0.1:5001            # the second registry: token auth (distribution's token spec)
TREG_USER=deployer
TIMG=$TREG/lab/app
TOKEN_SERVER=198.18.0.1:5002    # e2e/lab/tokenServer.mjs
TOKEN_REALM=https://$TOKEN_SERVER/token
TOKEN_SERVICE=fleetdeck-lab-token-registry
TOKEN_ISSUER=fleetdeck-lab-token-server
# 300 s: well above the 60 s that clients assume without expires_in, and longer than any pull or
# push in the lab takes, so a token is fetched once per operation.
TOKEN_LIFETIME=300
TAGS=(1.0 1.1 broken)
SUBNET=198.18.4.0/24
API=v1.41
MARKER=.fdlab-lab

# Seed containers: host name team service tag ip mac state healthcheck
SEEDS='
h1 payments-api-1    payments api     1.0    -           -                 running api
h1 payments-ledger-1 payments ledger  1.0    198.18.4.21 02:fd:00:04:00:21 running -
h2 payments-api-2    payments api     1.0    -           -                 running api
h2 payments-ledger-2 payments ledger  1.0    198.18.4.22 02:fd:00:04:00:22 running -
h2 search-indexer-1  search   indexer 1.1    -           -                 running -
h3 search-indexer-2  search   indexer 1.1    -           -                 running -
h3 search-worker-1   search   worker  1.1    -           -                 running -
h3 search-worker-2   search   worker  1.1    -           -                 exited  -
h3 search-ranker-1   search   ranker  broken -           -                 running -
'

# Busybox applets linked into the image rootfs.
APPLETS='sh ash ls cat echo sleep yes ps hostname ip wget httpd id head tr touch test dd stty env
kill mkdir rm seq top tail grep sed awk wc sort uniq cut cp mv ln chmod date df du free uname
printf true false pwd basename dirname xargs find vi less nc netstat ifconfig route ping
nslookup mount umount sync which whoami watch tee expr md5sum sha256sum gzip gunzip tar [ [['

# ---------------------------------------------------------------------------------------------
T0=${EPOCHREALTIME/./}
die() { echo "lab: error: $*" >&2; exit 1; }
elapsed() { local now=${EPOCHREALTIME/./} d; d=$(((now - T0) / 100000)); printf '%d.%d' $((d / 10)) $((d % 10)); }
log() { printf '[lab %5ss] %s\n' "$(elapsed)" "$*"; }

host_idx() { echo "${1#h}"; }
host_ip() { echo "198.18.0.1${1#h}"; }
host_gw() { echo "198.18.4.1${1#h}"; }                 # the host's own address on br0
host_range() { echo "198.18.4.$((32 + 32 * ${1#h}))/27"; } # dynamic IPs: h1 .64/27, h2 .96/27, h3 .128/27
is_host() { case "${1:-}" in h1 | h2 | h3) return 0 ;; esac; return 1; }
NS() { echo "fdlab-$1"; }
HD() { echo "$LAB/$1"; }
sock() { echo "$LAB/$1/docker.sock"; }

bin() { local p; p=$(command -v "$1") || die "missing $1 (see README: packages)"; readlink -f "$p"; }

check_lab_path() {
  [[ $LAB == /* ]] || die "FLEETDECK_LAB_DIR must be absolute: $LAB"
  LAB=$(realpath -m "$LAB")
  case "$LAB" in / | /var | /var/tmp | /tmp | /root | /home | /etc | /usr | /run) die "refusing LAB=$LAB" ;; esac
  # Unix socket paths must stay below 108 bytes (containerd's socket is the longest).
  [ ${#LAB} -le 60 ] || die "FLEETDECK_LAB_DIR too long (${#LAB} > 60 chars): $LAB"
}

require_root() { [ "$(id -u)" = 0 ] || die "must run as root"; }

# Serialise up/down/stop/start. The lock is on the parent folder (no extra file needed);
# daemons are started with fd 9 closed so they never hold it.
take_lock() {
  local parent; parent=$(dirname "$LAB"); mkdir -p "$parent"
  exec 9<"$parent"
  flock -w 600 9 || die "could not lock $parent"
}

# ---------------------------------------------------------------------------------------------
# processes

# pid -> 0 if /proc/pid runs binary $2 and mentions the lab folder on its command line
pid_is() {
  local pid=$1 exe=$2
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$exe" ] || return 1
  local cmd; cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  case "$cmd" in *"$LAB/"*) return 0 ;; esac
  return 1
}
pidfile_live() { # pidfile exe -> prints pid if live
  local pid
  [ -r "$1" ] || return 1
  pid=$(tr -dc '0-9' <"$1" 2>/dev/null) || return 1
  pid_is "$pid" "$2" || return 1
  echo "$pid"
}

ANCESTORS=""
not_ancestors() { local p; while read -r p; do case "$ANCESTORS" in *" $p "*) ;; *) echo "$p" ;; esac; done; }
compute_ancestors() {
  local p=$$ pp
  ANCESTORS=" $$ $BASHPID "
  while [ "$p" -gt 1 ]; do
    pp=$(awk '/^PPid:/{print $2}' "/proc/$p/status" 2>/dev/null) || break
    [ -n "$pp" ] || break
    ANCESTORS+="$pp "; p=$pp
  done
}


# Lab processes of host $1. mode=all: everything (netns members, lab binaries, cgroup members).
# mode=docker: dockerd/containerd/shims/containers only (sshd and ssh sessions stay).
host_pids() {
  local h=$1 mode=$2 p exe d
  if [ "$mode" = all ] && netns_valid "$(NS "$h")"; then
    ip netns pids "$(NS "$h")" 2>/dev/null || true
  fi
  # lab binaries mentioning this host's folder (also catches them if the netns name is gone)
  for p in $(pgrep -f -- "$(re_quote "$LAB/$h/")" || true); do
    exe=$(readlink "/proc/$p/exe" 2>/dev/null) || continue
    case "${exe##*/}" in
      dockerd | containerd | containerd-shim*) echo "$p" ;;
      sshd | docker) [ "$mode" = all ] && echo "$p" ;;
    esac
  done
  # container processes: everything in the host's cgroup-parent
  for d in /sys/fs/cgroup/fdlab-"$h" /sys/fs/cgroup/*/fdlab-"$h"; do   # cgroup v2 / v1
    [ -d "$d" ] && find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null
  done
  return 0
}
re_quote() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'; }

registry_pids() { # [registry|token-registry]
  local p
  for p in $(pgrep -f -- "$(re_quote "$LAB/${1:-registry}/")" || true); do
    [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$REGISTRY_BIN" ] && echo "$p"
  done
  return 0
}

# kill -9 whatever $@ (a command printing pids) lists, until it lists nothing.
kill_all() {
  local i pids
  for i in $(seq 1 50); do
    pids=$("$@" | sort -un | not_ancestors | tr '\n' ' ')
    [ -n "${pids// /}" ] || return 0
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.1
  done
  echo "lab: warning: processes survive: $("$@" | sort -un | tr '\n' ' ')" >&2
}

rm_cgroups() {
  local h=$1 d i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    local left=0
    for d in /sys/fs/cgroup/fdlab-"$h" /sys/fs/cgroup/*/fdlab-"$h"; do
      [ -d "$d" ] || continue
      find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
      [ -d "$d" ] && left=1
    done
    [ $left = 0 ] && return 0
    sleep 0.2
  done
  echo "lab: warning: cgroups of $h not removed" >&2
}

# Unmount (root namespace) everything mounted below $1, deepest first.
umount_under() {
  local base=$1 m
  findmnt -rn -o TARGET | awk -v b="$base/" 'index($0, b) == 1 { print length($0) "\t" $0 }' | sort -rn | cut -f2- |
    while IFS= read -r m; do
      m=$(printf '%b' "$m")   # findmnt -r escapes blanks as \x20
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "lab: warning: cannot umount $m" >&2
    done
}

# ---------------------------------------------------------------------------------------------
# network

ensure_bridge() {
  ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
  ip addr replace "$BRIDGE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
}

netns_valid() { [ -e "/run/netns/$1" ] && nsenter --net="/run/netns/$1" true 2>/dev/null; }

# Names and addresses are fixed, so only one lab per machine: refuse to adopt namespaces
# whose daemons belong to a lab in another folder.
check_foreign_lab() {
  local h p exe cmd
  for h in "${HOSTS[@]}"; do
    netns_valid "$(NS "$h")" || continue
    for p in $(ip netns pids "$(NS "$h")" 2>/dev/null); do
      exe=$(readlink "/proc/$p/exe" 2>/dev/null) || continue
      case "${exe##*/}" in dockerd | sshd) ;; *) continue ;; esac
      cmd=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) || continue
      case "$cmd" in *"$LAB/"* | "sshd: root@"* | "sshd: "*"[priv]"* | "sshd: "*"[net]"*) ;;
        *) die "netns $(NS "$h") runs a lab from another folder (pid $p: ${cmd:0:120}); run its 'down' first" ;;
      esac
    done
  done
}

ensure_host_net() {
  local h=$1 ns ip i
  ns=$(NS "$h"); ip=$(host_ip "$h"); i=$(host_idx "$h")
  if ! netns_valid "$ns"; then
    # a name without a live namespace behind it (e.g. after a reboot): recreate
    [ -e "/run/netns/$ns" ] && { ip netns del "$ns" 2>/dev/null || rm -f "/run/netns/$ns"; }
    ip link del "$ns" 2>/dev/null || true
    [ -d /run/netns ] || touch "$LAB/.created-run-netns"
    ip netns add "$ns"
  fi
  if ! ip link show "$ns" >/dev/null 2>&1 || ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
    ip link del "$ns" 2>/dev/null || true
    ip -n "$ns" link del eth0 2>/dev/null || true
    ip link add "$ns" type veth peer name eth0 netns "$ns"
  fi
  ip link set "$ns" address "02:fd:00:00:01:1$i" 2>/dev/null || true
  ip link set "$ns" master "$BRIDGE"
  ip link set "$ns" up
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 address "02:fd:00:00:00:1$i" 2>/dev/null || true
  ip -n "$ns" addr replace "$ip/24" dev eth0
  ip -n "$ns" link set eth0 up
}

# ---------------------------------------------------------------------------------------------
# PKI, keys, configs

gen_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; chmod 600 "$1"; }

gen_ca() { # dir cn
  gen_key "$1/ca-key.pem"
  openssl req -x509 -new -key "$1/ca-key.pem" -out "$1/ca.pem" -days 3650 -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

gen_cert() { # cadir cert key cn ext [rsa]
  local csr; csr=$(mktemp "$LAB/tmp.XXXXXX")
  if [ "${6:-}" = rsa ]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$3" 2>/dev/null; chmod 600 "$3"
  else gen_key "$3"; fi
  openssl req -new -key "$3" -subj "/CN=$4" -out "$csr" 2>/dev/null
  openssl x509 -req -in "$csr" -CA "$1/ca.pem" -CAkey "$1/ca-key.pem" -set_serial "0x$(openssl rand -hex 12)" \
    -days 825 -out "$2" -extfile <(printf '%b' "$5") 2>/dev/null
  rm -f "$csr"
}

ensure_pki() {
  local P=$LAB/pki h
  if [ -f "$P/.complete" ]; then return 0; fi
  FRESH_SECRETS=1  # running daemons (if any) use old certs: restart them all
  log "pki: generating CA, server/client certs, wrong CA, ssh key"
  rm -rf "$P"; mkdir -p "$P/wrong-ca" "$P/registry"
  gen_ca "$P" "fleetdeck lab CA"
  for h in "${HOSTS[@]}"; do
    mkdir -p "$P/$h"
    gen_cert "$P" "$P/$h/server-cert.pem" "$P/$h/server-key.pem" "node-$h" \
      "subjectAltName=IP:$(host_ip "$h"),DNS:node-$h\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE"
  done
  gen_cert "$P" "$P/registry/cert.pem" "$P/registry/key.pem" "fleetdeck lab registry" \
    "subjectAltName=IP:$BRIDGE_IP\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE"
  gen_cert "$P" "$P/cert.pem" "$P/key.pem" "fleetdeck-lab-client" \
    "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE"
  # An unrelated CA (plus a client cert it signed): a CA mismatch must be an error.
  gen_ca "$P/wrong-ca" "unrelated CA"
  gen_cert "$P/wrong-ca" "$P/wrong-ca/cert.pem" "$P/wrong-ca/key.pem" "fleetdeck-lab-wrong-client" \
    "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE"
  ssh-keygen -q -t ed25519 -N '' -C fleetdeck-lab -f "$P/id_ed25519"
  cp "$P/id_ed25519.pub" "$P/authorized_keys"
  chmod 644 "$P"/*.pem "$P"/*/*.pem "$P/authorized_keys"
  chmod 600 "$P/id_ed25519" "$P"/ca-key.pem "$P"/key.pem "$P"/*/*key.pem
  touch "$P/.complete"
}

# The token signing certificate (RSA for RS256, signed by the lab CA). Its own marker: a lab
# made before the token registry existed gets it without regenerating the rest of the PKI.
ensure_token_pki() {
  local P=$LAB/pki/token
  if [ -f "$P/.complete" ]; then return 0; fi
  FRESH_TOKEN=1  # the token registry and server read it at start
  log "pki: generating the token signing certificate (RSA 2048)"
  rm -rf "$P"; mkdir -p "$P"
  gen_cert "$LAB/pki" "$P/cert.pem" "$P/key.pem" "fleetdeck lab token signer" \
    "keyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE" rsa
  chmod 644 "$P/cert.pem"
  touch "$P/.complete"
}

render() { # template out, extra sed expressions...
  local in=$1 out=$2; shift 2
  sed -e "s|@LAB@|$LAB|g" "$@" "$HERE/$in" >"$out.tmp" && mv "$out.tmp" "$out"
}

ensure_host_files() {
  local h=$1 D; D=$(HD "$h")
  mkdir -p "$D/data" "$D/exec" "$D/ssh" "$D/docker-cli" "$D/etc-docker/certs.d/$REG" "$D/etc-docker/certs.d/$TREG"
  cp "$LAB/pki/ca.pem" "$D/etc-docker/certs.d/$REG/ca.crt"
  # for the token registry and its token server (the daemon fetches tokens with the same trust)
  cp "$LAB/pki/ca.pem" "$D/etc-docker/certs.d/$TREG/ca.crt"
  [ -f "$D/daemon.json" ] || echo '{}' >"$D/daemon.json"
  if [ ! -s "$D/ssh/ssh_host_ed25519_key" ] || [ ! -s "$D/ssh/ssh_host_ed25519_key.pub" ]; then
    rm -f "$D/ssh/ssh_host_ed25519_key" "$D/ssh/ssh_host_ed25519_key.pub"
    ssh-keygen -q -t ed25519 -N '' -C "node-$h" -f "$D/ssh/ssh_host_ed25519_key"
    FRESH_SECRETS=1
  fi
  chmod 600 "$D/ssh/ssh_host_ed25519_key"
  render sshd_config.in "$D/sshd_config" -e "s|@HOST@|$h|g" -e "s|@IP@|$(host_ip "$h")|g" -e "s|@HOSTDIR@|$D|g"
}

ensure_registry_files() {
  local R=$LAB/registry
  mkdir -p "$R/data"
  if [ ! -s "$LAB/registry-password" ]; then
    FRESH_SECRETS=1
    (umask 077; openssl rand -hex 16 | tr -d '\n' >"$LAB/registry-password")
  fi
  chmod 600 "$LAB/registry-password"
  if [ "$FRESH_SECRETS" = 1 ] || [ ! -s "$R/htpasswd" ]; then
    htpasswd -Bbn "$REG_USER" "$(cat "$LAB/registry-password")" >"$R/htpasswd.tmp"
    mv "$R/htpasswd.tmp" "$R/htpasswd"
  fi
  [ -s "$R/secret" ] || (umask 077; openssl rand -hex 24 >"$R/secret")
  render registry.yml.in "$R/config.yml" -e "s|@SECRET@|$(cat "$R/secret")|g"
}

secret_file() { # path: 16 random bytes as hex, no trailing newline, 0600; made once
  [ -s "$1" ] || (umask 077; openssl rand -hex 16 | tr -d '\n' >"$1.tmp" && mv "$1.tmp" "$1")
  chmod 600 "$1"
}

ensure_token_files() {
  local R=$LAB/token-registry S=$LAB/token-server
  mkdir -p "$R/data" "$S"
  secret_file "$LAB/token-registry-password"
  secret_file "$S/refresh-secret"
  [ -s "$R/secret" ] || (umask 077; openssl rand -hex 24 >"$R/secret")
  render token-registry.yml.in "$R/config.yml" -e "s|@SECRET@|$(cat "$R/secret")|g" -e "s|@ADDR@|$TREG|g" \
    -e "s|@REALM@|$TOKEN_REALM|g" -e "s|@SERVICE@|$TOKEN_SERVICE|g" -e "s|@ISSUER@|$TOKEN_ISSUER|g"
  jq -n --arg lab "$LAB" --arg host "${TOKEN_SERVER%:*}" --argjson port "${TOKEN_SERVER##*:}" --arg user "$TREG_USER" \
    --arg issuer "$TOKEN_ISSUER" --arg service "$TOKEN_SERVICE" --argjson lifetime "$TOKEN_LIFETIME" '{
    host: $host, port: $port,
    tls: { cert: ($lab + "/pki/registry/cert.pem"), key: ($lab + "/pki/registry/key.pem") },
    signing: { cert: ($lab + "/pki/token/cert.pem"), key: ($lab + "/pki/token/key.pem") },
    issuer: $issuer, service: $service, lifetimeSeconds: $lifetime,
    refreshSecretFile: ($lab + "/token-server/refresh-secret"),
    users: { ($user): { passwordFile: ($lab + "/token-registry-password"),
      access: [ { type: "repository", name: "lab/*", actions: ["pull", "push"] },
                { type: "registry", name: "catalog", actions: ["*"] } ] } }
  }' >"$S/config.json.tmp"
  mv "$S/config.json.tmp" "$S/config.json"
}

# Credentials for tests: DOCKER_CONFIG=$LAB/docker-config holds the basic registry in `auths`
# and sends the token registry to the credential helper e2e/lab/bin/docker-credential-lab, whose
# store is $LAB/credential-helper/credentials.json. Rewritten on every `up`.
write_credential_files() {
  mkdir -p "$LAB/docker-config" "$LAB/credential-helper"
  (umask 077
    jq -n --arg reg "$REG" --arg auth "$(printf '%s:%s' "$REG_USER" "$(cat "$LAB/registry-password")" | base64 -w0)" --arg treg "$TREG" \
      '{ auths: { ($reg): { auth: $auth } }, credHelpers: { ($treg): "lab" } }' >"$LAB/docker-config/config.json.tmp"
    jq -n --arg treg "$TREG" --arg user "$TREG_USER" --arg secret "$(cat "$LAB/token-registry-password")" \
      '{ ($treg): { Username: $user, Secret: $secret } }' >"$LAB/credential-helper/credentials.json.tmp")
  mv "$LAB/docker-config/config.json.tmp" "$LAB/docker-config/config.json"
  mv "$LAB/credential-helper/credentials.json.tmp" "$LAB/credential-helper/credentials.json"
}

write_known_hosts() {
  local h
  for h in "${HOSTS[@]}"; do
    printf '%s %s\n' "$(host_ip "$h")" "$(cut -d' ' -f1,2 "$(HD "$h")/ssh/ssh_host_ed25519_key.pub")"
  done >"$LAB/known_hosts.tmp"
  mv "$LAB/known_hosts.tmp" "$LAB/known_hosts"
}

write_fleet_files() {
  cat >"$LAB/fleet.yaml.tmp" <<EOF
# fleetdeck lab fleet (generated by e2e/lab/lab.sh up). Paths are relative to this file.
hosts:
  - name: h1
    docker: tcp://198.18.0.11:2376
    tls: { ca: pki/ca.pem, cert: pki/cert.pem, key: pki/key.pem }
    ssh: { user: root, port: 22, identityFile: pki/id_ed25519, knownHosts: known_hosts }
    labels: { dc: lab }
  - name: h2
    docker: tcp://198.18.0.12:2376
    tls: { ca: pki/ca.pem, cert: pki/cert.pem, key: pki/key.pem }
    ssh: { user: root, port: 22, identityFile: pki/id_ed25519, knownHosts: known_hosts }
    labels: { dc: lab }
  - name: h3
    docker: ssh://root@198.18.0.13
    ssh: { identityFile: pki/id_ed25519, knownHosts: known_hosts }
    labels: { dc: lab }
registries:
  - url: https://198.18.0.1:5000
    ca: pki/ca.pem
    username: sre
    passwordEnv: FLEETDECK_REGISTRY_PASSWORD
  # token auth; its credentials come from DOCKER_CONFIG (docker-config/, through the lab's helper)
  - url: https://198.18.0.1:5001
    ca: pki/ca.pem
services:
  label: com.example.service
  groupLabel: com.example.team
# br0's pool: the seeds' block .14-.63 (the hosts' own addresses are .11-.13, dynamic IPs from .64)
ipPools:
  - segment: $SUBNET
    range: 198.18.4.14-198.18.4.63
    reserved: [198.18.4.1]
    byName: true
EOF
  mv "$LAB/fleet.yaml.tmp" "$LAB/fleet.yaml"
  local hosts="" h tcp
  for h in "${HOSTS[@]}"; do
    if [ "$h" = h3 ]; then tcp=null; else tcp="\"tcp://$(host_ip "$h"):2376\""; fi
    hosts+="${hosts:+,}{\"name\":\"$h\",\"ip\":\"$(host_ip "$h")\",\"hostname\":\"node-$h\",\"netns\":\"$(NS "$h")\",\"socket\":\"$(sock "$h")\",\"tcp\":$tcp,\"ssh\":\"root@$(host_ip "$h")\"}"
  done
  jq -n --arg dir "$LAB" --argjson hosts "[$hosts]" --arg helperDir "$HERE/bin" --arg realm "$TOKEN_REALM" \
    --arg service "$TOKEN_SERVICE" --arg issuer "$TOKEN_ISSUER" '{
    dir: $dir,
    hosts: $hosts,
    registry: { url: "https://198.18.0.1:5000", host: "198.18.0.1:5000", username: "sre",
                passwordFile: ($dir + "/registry-password"), ca: ($dir + "/pki/ca.pem") },
    tokenRegistry: { url: "https://198.18.0.1:5001", host: "198.18.0.1:5001", username: "deployer",
                     passwordFile: ($dir + "/token-registry-password"), ca: ($dir + "/pki/ca.pem"),
                     realm: $realm, service: $service, issuer: $issuer,
                     signingCert: ($dir + "/pki/token/cert.pem") },
    dockerConfig: ($dir + "/docker-config"),
    credentialHelper: { name: "lab", dir: $helperDir, store: ($dir + "/credential-helper/credentials.json") },
    fleetFile: ($dir + "/fleet.yaml"),
    pki: { ca: ($dir + "/pki/ca.pem"), cert: ($dir + "/pki/cert.pem"), key: ($dir + "/pki/key.pem"),
           wrongCa: ($dir + "/pki/wrong-ca/ca.pem"), wrongCert: ($dir + "/pki/wrong-ca/cert.pem"),
           wrongKey: ($dir + "/pki/wrong-ca/key.pem"), sshKey: ($dir + "/pki/id_ed25519"),
           knownHosts: ($dir + "/known_hosts") },
    images: { "1.0": "198.18.0.1:5000/lab/app:1.0", "1.1": "198.18.0.1:5000/lab/app:1.1",
              broken: "198.18.0.1:5000/lab/app:broken" },
    tokenImages: { "1.0": "198.18.0.1:5001/lab/app:1.0", "1.1": "198.18.0.1:5001/lab/app:1.1",
                   broken: "198.18.0.1:5001/lab/app:broken" },
    network: { name: "br0", subnet: "198.18.4.0/24" }
  }' >"$LAB/lab.json.tmp"
  mv "$LAB/lab.json.tmp" "$LAB/lab.json"
}

# ---------------------------------------------------------------------------------------------
# daemons

FRESH_SECRETS=0 FRESH_TOKEN=0
DOCKERD_BIN="" CONTAINERD_BIN="" SSHD_BIN="" REGISTRY_BIN="" DOCKER_BIN="" NODE_BIN=""
resolve_bins() {
  DOCKERD_BIN=$(bin dockerd); CONTAINERD_BIN=$(bin containerd); REGISTRY_BIN=$(bin docker-registry)
  DOCKER_BIN=$(bin docker); NODE_BIN=$(bin node); SSHD_BIN=/usr/sbin/sshd
  [ -x $SSHD_BIN ] || die "missing /usr/sbin/sshd (openssh-server)"
  local b; for b in nsenter unshare setsid flock openssl ssh-keygen htpasswd jq curl findmnt busybox; do bin "$b" >/dev/null; done
}

ping_ok() { [ "$(curl -s --max-time 2 --unix-socket "$(sock "$1")" "http://x/_ping" 2>/dev/null)" = OK ]; }

dockerd_pid() { pidfile_live "$(HD "$1")/dockerd.pid" "$DOCKERD_BIN"; }
sshd_pid() { pidfile_live "$(HD "$1")/sshd.pid" "$SSHD_BIN"; }
registry_pid() { pidfile_live "$LAB/${1:-registry}/registry.pid" "$REGISTRY_BIN"; }   # [registry|token-registry]
token_server_pid() { pidfile_live "$LAB/token-server/token-server.pid" "$NODE_BIN"; }

# Kill leftovers of a dead dockerd of host $1 (containerd, shims, containers) and its mounts.
cleanup_dockerd() {
  local h=$1
  kill_all host_pids "$h" docker
  umount_under "$(HD "$h")/data"
  umount_under "$(HD "$h")/exec"
  # dockerd trusts exec/containerd/containerd.pid if that pid merely exists (a zombie
  # waiting to be reaped is enough) and then waits forever for a dead containerd.
  rm -f "$(HD "$h")/dockerd.pid" "$(sock "$h")" "$(HD "$h")/exec/containerd/containerd.pid"
}

spawn_dockerd() {
  local h=$1 D ip; D=$(HD "$h"); ip=$(host_ip "$h")
  local args=(--config-file "$D/daemon.json" --data-root "$D/data" --exec-root "$D/exec"
    --pidfile "$D/dockerd.pid" -H "unix://$D/docker.sock"
    --iptables=false --ip-forward=false --storage-driver=vfs --bridge=none
    --cgroup-parent="/fdlab-$h" --dns "$BRIDGE_IP" --dns-search .)
  if [ "$h" != h3 ]; then
    args+=(-H "tcp://$ip:2376" --tlsverify --tlscacert "$LAB/pki/ca.pem"
      --tlscert "$LAB/pki/$h/server-cert.pem" --tlskey "$LAB/pki/$h/server-key.pem")
  fi
  echo "=== $(date -Is) start dockerd $h" >>"$D/dockerd.log"
  # shellcheck disable=SC2016
  setsid nsenter --net="/run/netns/$(NS "$h")" unshare --uts --mount --propagation private sh -c '
    h=$1 D=$2 bin=$3; shift 3
    hostname "node-$h"
    umount -R -l /run/netns 2>/dev/null || true      # drop this namespace'"'"'s copies of netns handles
    mount -t tmpfs -o mode=0755,size=64m fdlab-run /run
    mount --bind "$D/etc-docker" /etc/docker
    # containerd'"'"'s "opt" plugin creates /opt/containerd: keep it off the real /opt
    [ ! -d /opt ] || mount -t tmpfs -o mode=0755,size=16m fdlab-opt /opt
    exec "$bin" "$@"' sh "$h" "$D" "$DOCKERD_BIN" "${args[@]}" </dev/null >>"$D/dockerd.log" 2>&1 9<&- &
}

wait_ping() { # host timeout_s
  local h=$1 t=$2 i
  for ((i = 0; i < t * 10; i++)); do
    ping_ok "$h" && return 0
    sleep 0.1
  done
  echo "---- tail of $(HD "$h")/dockerd.log" >&2; tail -n 20 "$(HD "$h")/dockerd.log" >&2 || true
  die "dockerd $h did not answer /_ping within ${t}s"
}

spawn_sshd() {
  local h=$1 D; D=$(HD "$h")
  rm -f "$D/sshd.pid"
  kill_all sshd_strays "$h"
  # shellcheck disable=SC2016
  setsid nsenter --net="/run/netns/$(NS "$h")" unshare --uts --mount --propagation private sh -c '
    hostname "node-$1"
    umount -R -l /run/netns 2>/dev/null || true
    mount -t tmpfs -o mode=0755,size=16m fdlab-run /run
    mkdir -m 0755 /run/sshd
    exec "$2" -D -f "$3" -E "$4"' sh "$h" "$SSHD_BIN" "$D/sshd_config" "$D/sshd.log" </dev/null >>"$D/sshd.log" 2>&1 9<&- &
}
sshd_strays() { # listener sshd of host $1 (its pid file is gone or stale)
  local p
  for p in $(pgrep -f -- "$(re_quote "$(HD "$1")/sshd_config")" || true); do
    [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$SSHD_BIN" ] && echo "$p"
  done
  return 0
}

sshd_listening() { timeout 1 bash -c "exec 3<>/dev/tcp/$(host_ip "$1")/22" 2>/dev/null; }

wait_sshd() {
  local h=$1 i
  for ((i = 0; i < 100; i++)); do
    sshd_pid "$h" >/dev/null && sshd_listening "$h" && return 0
    sleep 0.1
  done
  tail -n 20 "$(HD "$h")/sshd.log" >&2 || true
  die "sshd $h did not start"
}

spawn_registry() { # [registry|token-registry]
  local R=$LAB/${1:-registry}
  kill_all registry_pids "${1:-registry}"
  rm -f "$R/registry.pid"
  # shellcheck disable=SC2016
  setsid sh -c 'echo $$ >"$1"; exec "$2" serve "$3"' sh "$R/registry.pid" "$REGISTRY_BIN" "$R/config.yml" \
    </dev/null >>"$R/registry.log" 2>&1 9<&- &
}

spawn_token_server() {
  local S=$LAB/token-server
  kill_all token_server_pids
  rm -f "$S/token-server.pid"
  # shellcheck disable=SC2016
  setsid sh -c 'echo $$ >"$1"; exec "$2" "$3" "$4"' sh "$S/token-server.pid" "$NODE_BIN" "$HERE/tokenServer.mjs" "$S/config.json" \
    </dev/null >>"$S/token-server.log" 2>&1 9<&- &
}
token_server_pids() {
  local p
  for p in $(pgrep -f -- "$(re_quote "$LAB/token-server/")" || true); do
    [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$NODE_BIN" ] && echo "$p"
  done
  return 0
}

registry_code() { # path -> http code
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 --cacert "$LAB/pki/ca.pem" -u "$REG_USER:$(cat "$LAB/registry-password")" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' -I "https://$REG$1" 2>/dev/null || true
}
registry_ok() { [ "$(registry_code /v2/)" = 200 ]; }

# A token for the token registry from the token server (basic auth as deployer); scopes as args.
token_for() {
  local q="service=$TOKEN_SERVICE" s
  for s in "$@"; do q+="&scope=$s"; done
  curl -s --max-time 3 --cacert "$LAB/pki/ca.pem" -u "$TREG_USER:$(cat "$LAB/token-registry-password")" \
    "$TOKEN_REALM?$q" 2>/dev/null | jq -r '.token // empty' 2>/dev/null || true
}
treg_code() { # path [token] -> http code
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 --cacert "$LAB/pki/ca.pem" ${2:+-H "Authorization: Bearer $2"} \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' -I "https://$TREG$1" 2>/dev/null || true
}
# up: the registry challenges for a token (401) and the token server answers its health check
token_registry_ok() { [ "$(treg_code /v2/)" = 401 ]; }
token_server_ok() { [ "$(curl -s --max-time 2 --cacert "$LAB/pki/ca.pem" "https://$TOKEN_SERVER/healthz" 2>/dev/null)" = '"ok"' ]; }
# status: the whole flow works (a token from the server is accepted by the registry)
token_flow_ok() {
  local t; t=$(token_for 'registry:catalog:*'); [ -n "$t" ] || return 1
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 --cacert "$LAB/pki/ca.pem" -H "Authorization: Bearer $t" "https://$TREG/v2/_catalog" 2>/dev/null)" = 200 ]
}

wait_for() { # description check-command log
  local i
  for ((i = 0; i < 100; i++)); do "$2" && return 0; sleep 0.1; done
  tail -n 20 "$3" >&2 || true
  die "$1 did not come up"
}
wait_registry() { wait_for "registry https://$REG" registry_ok "$LAB/registry/registry.log"; }

# ---------------------------------------------------------------------------------------------
# docker helpers

dk() { local h=$1; shift; DOCKER_HOST="unix://$(sock "$h")" DOCKER_CONFIG="$LAB/docker-cli" DOCKER_TLS_VERIFY= DOCKER_CERT_PATH= DOCKER_CONTEXT= "$DOCKER_BIN" "$@"; }
api() { # host method path [json]
  local h=$1 m=$2 p=$3
  if [ $# -ge 4 ]; then
    curl -s --max-time 60 --unix-socket "$(sock "$h")" -X "$m" -H 'Content-Type: application/json' -d "$4" "http://x/$API$p"
  else
    curl -s --max-time 60 --unix-socket "$(sock "$h")" -X "$m" "http://x/$API$p"
  fi
}
api_code() { # host method path [json] -> prints the HTTP status; the body goes to up.log
  local h=$1 m=$2 p=$3 out
  out=$(mktemp "$LAB/tmp.XXXXXX")
  if [ $# -ge 4 ]; then
    curl -s --max-time 60 -o "$out" -w '%{http_code}' --unix-socket "$(sock "$h")" -X "$m" -H 'Content-Type: application/json' -d "$4" "http://x/$API$p" || true
  else
    curl -s --max-time 60 -o "$out" -w '%{http_code}' --unix-socket "$(sock "$h")" -X "$m" "http://x/$API$p" || true
  fi
  cat "$out" >>"$LAB/up.log"; echo >>"$LAB/up.log"; rm -f "$out"
}
image_id() { api "$1" GET "/images/$2/json" | jq -r '.Id // empty' 2>/dev/null || true; }

ensure_login() { # registry user password-file: `docker login` unless the CLI config already holds exactly that
  local have
  have=$(jq -r --arg k "$1" '.auths[$k].auth // empty' "$LAB/docker-cli/config.json" 2>/dev/null | base64 -d 2>/dev/null || true)
  [ "$have" = "$2:$(cat "$3")" ] || quiet dk h1 login "$1" -u "$2" --password-stdin <"$3"
}

quiet() { # run a command, output to up.log; on failure show its tail
  local rc=0
  echo "+ $*" >>"$LAB/up.log"
  "$@" >>"$LAB/up.log" 2>&1 || rc=$?
  if [ $rc != 0 ]; then echo "lab: command failed ($rc): $*" >&2; tail -n 15 "$LAB/up.log" >&2; fi
  return $rc
}

# ---------------------------------------------------------------------------------------------
# images

build_rootfs() { # dir version
  local r=$1 v=$2 a
  rm -rf "$r"; mkdir -p "$r/bin" "$r/etc" "$r/www" "$r/tmp" "$r/root" "$r/proc" "$r/sys" "$r/dev" "$r/var/log"
  chmod 1777 "$r/tmp"; chmod 700 "$r/root"
  cp "$(bin busybox)" "$r/bin/busybox"
  for a in $APPLETS; do ln -s busybox "$r/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
  echo "$v" >"$r/VERSION"
  printf '<!doctype html><title>lab app</title><h1>lab app %s</h1>\n' "$v" >"$r/www/index.html"
  # the broken release misses its health endpoint
  [ "$v" = broken ] || echo ok >"$r/www/healthz"
}

# import one tag on host h1 (no hub: busybox-static rootfs + docker import)
build_image() {
  local tag=$1 r="$LAB/build/rootfs-$1" interval=5s retries=3
  build_rootfs "$r" "$tag"
  [ "$tag" = broken ] && { interval=3s; retries=2; }
  # PID 1 is sh: it exits 0 on SIGTERM so `docker stop` is quick (httpd as PID 1 ignores it).
  tar -C "$r" --numeric-owner --owner=0 --group=0 -c . | quiet dk h1 import \
    -c 'ENV PATH=/bin' \
    -c "ENV APP_VERSION=$tag" \
    -c 'WORKDIR /' \
    -c 'EXPOSE 80' \
    -c "LABEL org.opencontainers.image.title=lab-app org.opencontainers.image.version=$tag com.example.app.version=$tag" \
    -c "HEALTHCHECK --interval=$interval --timeout=3s --retries=$retries CMD wget -q -O /dev/null http://localhost/healthz || exit 1" \
    -c 'CMD ["/bin/sh", "-c", "trap \"exit 0\" TERM INT; httpd -f -p 80 -h /www & wait"]' \
    -m "fleetdeck lab app $tag" - "$IMG:$tag"
  rm -rf "$r"
}

ensure_images_h1() {
  local tag built=0 pushed=0
  for tag in "${TAGS[@]}"; do
    if [ -z "$(image_id h1 "$IMG:$tag")" ]; then
      if [ "$(registry_code "/v2/lab/app/manifests/$tag")" = 200 ]; then
        quiet dk h1 pull "$IMG:$tag"
      else
        build_image "$tag"; built=$((built + 1))
      fi
    fi
  done
  [ $built = 0 ] || log "h1: built $built image(s) with docker import"
  local pids=() p
  for tag in "${TAGS[@]}"; do
    if [ "$(registry_code "/v2/lab/app/manifests/$tag")" != 200 ]; then
      quiet dk h1 push "$IMG:$tag" & pids+=($!); pushed=$((pushed + 1))
    fi
  done
  # the same images in the token registry, under its name (same image IDs)
  local token; token=$(token_for repository:lab/app:pull)
  [ -n "$token" ] || die "no token from https://$TOKEN_SERVER (see $LAB/token-server/token-server.log)"
  local tpushed=0
  for tag in "${TAGS[@]}"; do
    if [ "$(treg_code "/v2/lab/app/manifests/$tag" "$token")" != 200 ]; then
      quiet dk h1 tag "$IMG:$tag" "$TIMG:$tag"
      quiet dk h1 push "$TIMG:$tag" & pids+=($!); tpushed=$((tpushed + 1))
    fi
  done
  for p in "${pids[@]}"; do wait "$p" || die "push failed"; done
  [ $pushed = 0 ] || log "registry: pushed $pushed tag(s)"
  [ $tpushed = 0 ] || log "token registry: pushed $tpushed tag(s)"
}

ensure_images_on() { # host (h2/h3): pull what is missing or differs from h1
  local h=$1 tag want pulled=0
  for tag in "${TAGS[@]}"; do
    want=$(image_id h1 "$IMG:$tag")
    if [ "$(image_id "$h" "$IMG:$tag")" != "$want" ]; then
      quiet dk "$h" pull "$IMG:$tag"; pulled=$((pulled + 1))
    fi
  done
  [ $pulled = 0 ] || log "$h: pulled $pulled image(s) from the registry"
}

ensure_network() {
  local h=$1
  [ "$(api "$h" GET /networks/br0 | jq -r '.Name // empty' 2>/dev/null)" = br0 ] && return 0
  quiet dk "$h" network create --driver bridge --subnet "$SUBNET" --gateway "$(host_gw "$h")" \
    --ip-range "$(host_range "$h")" -o com.docker.network.bridge.name=br0 br0
  log "$h: network br0 $SUBNET (gateway $(host_gw "$h"), dynamic $(host_range "$h"))"
}

seed_json() { # name team svc tag ip mac health
  jq -nc --arg img "$IMG:$4" --arg name "$1" --arg team "$2" --arg svc "$3" --arg ip "$5" --arg mac "$6" --arg hc "$7" '
    {Image: $img, Hostname: $name,
     Labels: {"com.example.service": $svc, "com.example.team": $team},
     HostConfig: {Memory: 67108864, RestartPolicy: {Name: "unless-stopped"}, NetworkMode: "br0"},
     NetworkingConfig: {EndpointsConfig: {br0: (if $ip != "-" then {IPAMConfig: {IPv4Address: $ip}} else {} end)}}}
    + (if $mac != "-" then {MacAddress: $mac} else {} end)
    + (if $hc == "api" then {Healthcheck: {Test: ["CMD-SHELL", "wget -q -O /dev/null http://localhost/ || exit 1"],
                                         Interval: 5000000000, Timeout: 3000000000, Retries: 3}} else {} end)'
}

ensure_seeds() {
  local h=$1 sh name team svc tag ip mac state hc cur code created=0 changed=0
  while read -r sh name team svc tag ip mac state hc; do
    [ "$sh" = "$h" ] || continue
    cur=$(api "$h" GET "/containers/$name/json" | jq -r '.State.Status // empty' 2>/dev/null || true)
    if [ -z "$cur" ]; then
      code=$(api_code "$h" POST "/containers/create?name=$name" "$(seed_json "$name" "$team" "$svc" "$tag" "$ip" "$mac" "$hc")")
      [ "$code" = 201 ] || die "$h: create $name failed (HTTP $code, see $LAB/up.log)"
      created=$((created + 1)); cur=created
      # the stopped seed has run once, then was stopped (like a service that was taken down)
      code=$(api_code "$h" POST "/containers/$name/start")
      [ "$code" = 204 ] || die "$h: start $name failed (HTTP $code, see $LAB/up.log)"
      cur=running
    fi
    if [ "$state" = running ] && [ "$cur" != running ]; then
      code=$(api_code "$h" POST "/containers/$name/start")
      case $code in 204 | 304) ;; *) die "$h: start $name failed (HTTP $code)" ;; esac
      changed=$((changed + 1))
    elif [ "$state" = exited ] && [ "$cur" = created ]; then
      # created but never started (an earlier `up` was killed in between): run it once
      code=$(api_code "$h" POST "/containers/$name/start")
      [ "$code" = 204 ] || die "$h: start $name failed (HTTP $code)"
      code=$(api_code "$h" POST "/containers/$name/stop?t=10")
      case $code in 204 | 304) ;; *) die "$h: stop $name failed (HTTP $code)" ;; esac
    elif [ "$state" = exited ] && [ "$cur" = running ]; then
      code=$(api_code "$h" POST "/containers/$name/stop?t=10")
      case $code in 204 | 304) ;; *) die "$h: stop $name failed (HTTP $code)" ;; esac
    fi
  done <<<"$SEEDS"
  log "$h: seed containers ok ($created created, $changed restarted)"
}

# ---------------------------------------------------------------------------------------------
# commands

cmd_up() {
  require_root; check_lab_path; resolve_bins; take_lock; compute_ancestors
  if [ -d "$LAB" ] && [ ! -e "$LAB/$MARKER" ] && [ -n "$(ls -A "$LAB")" ]; then
    die "$LAB exists and is not a fleetdeck lab folder (no $MARKER); refusing to use it"
  fi
  check_foreign_lab
  mkdir -p "$LAB"; touch "$LAB/$MARKER"; : >"$LAB/up.log"
  log "up: lab folder $LAB"

  ensure_pki
  ensure_token_pki
  ensure_registry_files
  ensure_token_files
  write_credential_files
  local h
  for h in "${HOSTS[@]}"; do ensure_host_files "$h"; done
  write_known_hosts
  log "config: sshd/registry/token server configs, known_hosts, docker-config"

  ensure_bridge
  for h in "${HOSTS[@]}"; do ensure_host_net "$h"; done
  log "network: bridge $BRIDGE $BRIDGE_IP/24, netns fdlab-h1..h3 at 198.18.0.11-13"

  # daemons: start whatever is not live, all in parallel
  local started=()
  if [ "$FRESH_SECRETS" = 1 ]; then kill_all all_lab_pids; elif [ "$FRESH_TOKEN" = 1 ]; then kill_all token_lab_pids; fi
  if registry_pid >/dev/null && registry_ok; then :; else spawn_registry; started+=(registry); fi
  if registry_pid token-registry >/dev/null && token_registry_ok; then :; else spawn_registry token-registry; started+=(token-registry); fi
  if token_server_pid >/dev/null && token_server_ok; then :; else spawn_token_server; started+=(token-server); fi
  for h in "${HOSTS[@]}"; do
    if dockerd_pid "$h" >/dev/null && ping_ok "$h"; then :; else
      local old; old=$(dockerd_pid "$h" || true)
      [ -z "$old" ] || kill -KILL "$old" 2>/dev/null || true  # live but not answering
      cleanup_dockerd "$h"; spawn_dockerd "$h"; started+=("dockerd-$h")
    fi
    if sshd_pid "$h" >/dev/null && sshd_listening "$h"; then :; else spawn_sshd "$h"; started+=("sshd-$h"); fi
  done
  if [ ${#started[@]} -gt 0 ]; then log "daemons: starting ${started[*]}"; else log "daemons: all running"; fi
  for h in "${HOSTS[@]}"; do wait_ping "$h" 60; done
  for h in "${HOSTS[@]}"; do wait_sshd "$h"; done
  wait_registry
  wait_for "token registry https://$TREG" token_registry_ok "$LAB/token-registry/registry.log"
  wait_for "token server https://$TOKEN_SERVER" token_server_ok "$LAB/token-server/token-server.log"
  log "daemons: dockerd x3 answer /_ping, sshd x3 listening, registries https://$REG + https://$TREG, token server ok"

  # one CLI config for every host ($LAB/docker-cli): the daemons pull from both with these logins
  ensure_login "$REG" "$REG_USER" "$LAB/registry-password"
  ensure_login "$TREG" "$TREG_USER" "$LAB/token-registry-password"
  ensure_images_h1
  local pids=() p
  (ensure_network h1; ensure_seeds h1) & pids+=($!)
  for h in h2 h3; do (ensure_images_on "$h"; ensure_network "$h"; ensure_seeds "$h") & pids+=($!); done
  local fail=0
  for p in "${pids[@]}"; do wait "$p" || fail=1; done
  [ $fail = 0 ] || die "seeding failed (see $LAB/up.log)"

  write_fleet_files
  log "files: $LAB/fleet.yaml, $LAB/lab.json"
  log "up: done in $(elapsed)s"
}

cmd_down() {
  require_root; check_lab_path; resolve_bins; take_lock; compute_ancestors
  if [ -d "$LAB" ] && [ ! -e "$LAB/$MARKER" ] && [ -n "$(ls -A "$LAB")" ]; then
    die "$LAB is not a fleetdeck lab folder (no $MARKER); refusing to delete it"
  fi
  check_foreign_lab
  log "down: $LAB"
  local h
  # Be quick rather than graceful: everything is deleted anyway.
  kill_all all_lab_pids
  log "down: processes gone"
  for h in "${HOSTS[@]}"; do rm_cgroups "$h"; done
  umount_under "$LAB"
  for h in "${HOSTS[@]}"; do
    [ -e "/run/netns/$(NS "$h")" ] && { ip netns del "$(NS "$h")" 2>/dev/null || rm -f "/run/netns/$(NS "$h")"; }
    ip link del "$(NS "$h")" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  # /run/netns itself: only if the lab created it and nothing else uses it now
  if [ -e "$LAB/.created-run-netns" ] && [ -d /run/netns ] && [ -z "$(ls -A /run/netns)" ]; then
    while findmnt -rn /run/netns >/dev/null 2>&1; do umount /run/netns 2>/dev/null || break; done
    rmdir /run/netns 2>/dev/null || true
  fi
  log "down: namespaces, veths, bridge, cgroups removed"
  [ ! -d "$LAB" ] || rm -rf --one-file-system "$LAB"
  [ ! -d "$LAB" ] || die "could not remove $LAB"
  # wait briefly for killed processes to be reaped so `pgrep` shows nothing
  local i; for i in $(seq 1 30); do
    ps -eo stat=,comm= | awk '$1 ~ /^Z/ && $2 ~ /^(dockerd|containerd|containerd-shim|sshd|docker-registry|docker)/' | grep -q . || break
    sleep 0.1
  done
  log "down: done in $(elapsed)s"
}
all_lab_pids() { local h; for h in "${HOSTS[@]}"; do host_pids "$h" all; done; registry_pids; token_lab_pids; }
token_lab_pids() { registry_pids token-registry; token_server_pids; }

cmd_status() {
  check_lab_path; resolve_bins
  local h d s rc=0
  for h in "${HOSTS[@]}"; do
    if dockerd_pid "$h" >/dev/null && ping_ok "$h"; then d=up; else d=down; rc=3; fi
    if sshd_pid "$h" >/dev/null && sshd_listening "$h"; then s=up; else s=down; rc=3; fi
    printf '%-3s %-12s dockerd %-4s sshd %-4s %s\n' "$h" "$(host_ip "$h")" "$d" "$s" \
      "$([ "$h" = h3 ] && echo "unix+ssh" || echo "tcp+tls :2376, unix, ssh")"
  done
  if registry_pid >/dev/null && [ -r "$LAB/registry-password" ] && registry_ok; then s=up; else s=down; rc=3; fi
  printf '%-3s %-12s registry %s (https://%s)\n' reg "$BRIDGE_IP" "$s" "$REG"
  if registry_pid token-registry >/dev/null && token_server_pid >/dev/null && [ -r "$LAB/token-registry-password" ] && token_flow_ok; then s=up; else s=down; rc=3; fi
  printf '%-3s %-12s registry %s (https://%s, token auth via https://%s)\n' treg "$BRIDGE_IP" "$s" "$TREG" "$TOKEN_SERVER"
  return $rc
}

cmd_stop_dockerd() {
  local h=${1:-}; is_host "$h" || die "usage: lab.sh stop-dockerd h1|h2|h3"
  require_root; check_lab_path; resolve_bins; take_lock; compute_ancestors
  local pid i
  if pid=$(dockerd_pid "$h"); then
    log "$h: stopping dockerd (pid $pid, SIGTERM)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 600; i++)); do
      pid_is "$pid" "$DOCKERD_BIN" || break
      sleep 0.1
    done
    if pid_is "$pid" "$DOCKERD_BIN"; then log "$h: dockerd still running after 60s, SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  else
    log "$h: dockerd not running"
  fi
  cleanup_dockerd "$h"
  log "$h: dockerd stopped in $(elapsed)s"
}

# A host that dies: SIGKILL, no shutdown (dockerd cannot stop its containers or tell its clients);
# its containerd, shims and containers go with it, as on a power cut. start-dockerd brings it back.
cmd_kill_dockerd() {
  local h=${1:-}; is_host "$h" || die "usage: lab.sh kill-dockerd h1|h2|h3"
  require_root; check_lab_path; resolve_bins; take_lock; compute_ancestors
  local pid i
  if pid=$(dockerd_pid "$h"); then
    log "$h: killing dockerd (pid $pid, SIGKILL)"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      pid_is "$pid" "$DOCKERD_BIN" || break
      sleep 0.1
    done
  else
    log "$h: dockerd not running"
  fi
  cleanup_dockerd "$h"
  log "$h: dockerd killed in $(elapsed)s"
}

cmd_start_dockerd() {
  local h=${1:-}; is_host "$h" || die "usage: lab.sh start-dockerd h1|h2|h3"
  require_root; check_lab_path; resolve_bins; take_lock; compute_ancestors
  [ -e "$LAB/$MARKER" ] || die "no lab at $LAB (run: lab.sh up)"
  netns_valid "$(NS "$h")" || die "netns $(NS "$h") missing (run: lab.sh up)"
  if dockerd_pid "$h" >/dev/null && ping_ok "$h"; then log "$h: dockerd already running"; return 0; fi
  local old; old=$(dockerd_pid "$h" || true)
  [ -z "$old" ] || kill -KILL "$old" 2>/dev/null || true
  cleanup_dockerd "$h"
  spawn_dockerd "$h"
  wait_ping "$h" 60
  log "$h: dockerd up in $(elapsed)s"
}

cmd_docker() {
  local h=${1:-}; is_host "$h" || die "usage: lab.sh docker h1|h2|h3 ARGS..."
  shift; check_lab_path
  DOCKER_BIN=$(bin docker)
  exec env -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH -u DOCKER_CONTEXT -u DOCKER_TLS \
    DOCKER_HOST="unix://$(sock "$h")" DOCKER_CONFIG="$LAB/docker-cli" "$DOCKER_BIN" "$@"
}

cmd_ssh() {
  local h=${1:-}; is_host "$h" || die "usage: lab.sh ssh h1|h2|h3 [CMD...]"
  shift; check_lab_path
  exec ssh -i "$LAB/pki/id_ed25519" -o IdentitiesOnly=yes -o UserKnownHostsFile="$LAB/known_hosts" \
    -o StrictHostKeyChecking=yes -o BatchMode=yes -o LogLevel=ERROR "root@$(host_ip "$h")" "$@"
}

cmd_env() {
  check_lab_path
  printf 'export FLEETDECK_LAB_DIR=%q\n' "$LAB"
  printf 'export FLEETDECK_FLEET_FILE=%q\n' "$LAB/fleet.yaml"
  [ -r "$LAB/registry-password" ] && printf 'export FLEETDECK_REGISTRY_PASSWORD=%q\n' "$(cat "$LAB/registry-password")"
  printf 'export FLEETDECK_TOKEN_REGISTRY_URL=%q\n' "https://$TREG"
  printf 'export FLEETDECK_TOKEN_REGISTRY_USER=%q\n' "$TREG_USER"
  [ -r "$LAB/token-registry-password" ] && printf 'export FLEETDECK_TOKEN_REGISTRY_PASSWORD=%q\n' "$(cat "$LAB/token-registry-password")"
  # not DOCKER_CONFIG itself: sourcing this must not redirect the user's own docker CLI
  printf 'export FLEETDECK_LAB_DOCKER_CONFIG=%q\n' "$LAB/docker-config"
  printf 'export FLEETDECK_LAB_CREDENTIAL_HELPER_DIR=%q\n' "$HERE/bin"
  return 0
}

# Proves `down` left nothing behind; exits 1 and lists what is left otherwise.
cmd_verify_clean() {
  check_lab_path
  local left=() line
  [ -e "$LAB" ] && left+=("state folder $LAB")
  while read -r line; do [ -n "$line" ] && left+=("netns $line"); done < <(ip netns list 2>/dev/null | awk '{print $1}' | grep '^fdlab' || true)
  while read -r line; do [ -n "$line" ] && left+=("link $line"); done < <(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | grep '^fdlab' || true)
  while read -r line; do [ -n "$line" ] && left+=("mount $line"); done < <(findmnt -rn -o TARGET 2>/dev/null | grep -e "$LAB" -e fdlab || true)
  while read -r line; do [ -n "$line" ] && left+=("process $line"); done < <(pgrep -af -- "$LAB" | grep -v -e verify-clean -e pgrep || true)
  while read -r line; do [ -n "$line" ] && left+=("cgroup $line"); done < <(find /sys/fs/cgroup -maxdepth 2 -name 'fdlab*' 2>/dev/null || true)
  while read -r line; do [ -n "$line" ] && left+=("listening port $line"); done < <(ss -Hltn 2>/dev/null | awk '{print $4}' | grep '^198\.18\.' || true)
  if [ ${#left[@]} -gt 0 ]; then
    printf 'lab: left behind: %s\n' "${left[@]}" >&2
    return 1
  fi
  echo "lab: nothing left behind (no state folder, namespaces, links, mounts, processes, cgroups or lab ports)"
}

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
  local c=${1:-}; [ $# -gt 0 ] && shift
  case "$c" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    stop-dockerd) cmd_stop_dockerd "$@" ;;
    start-dockerd) cmd_start_dockerd "$@" ;;
    kill-dockerd) cmd_kill_dockerd "$@" ;;
    docker) cmd_docker "$@" ;;
    ssh) cmd_ssh "$@" ;;
    env) cmd_env ;;
    verify-clean) cmd_verify_clean ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}
main "$@"
