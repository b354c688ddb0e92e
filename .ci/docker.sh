#!/usr/bin/env bash
# Make a local Docker engine answer and build the Tansu broker image for the testcontainers path.
#
# Idempotent. Installs Debian's docker.io if dockerd is missing, starts dockerd in the background
# if `docker info` does not answer, builds newswire/tansu:v0.6.0-510f3e2 with `docker import`
# (no registry is contacted) unless it exists, and checks that a container with a published port
# really runs.
#
# Exit status: 0 ready; 3 no usable Docker engine here (callers fall back to the embedded broker);
# anything else is a real error (e.g. the pinned Tansu binary is missing).
#
# Environment:
#   NEWSWIRE_TANSU_IMAGE          image to build (default newswire/tansu:v0.6.0-510f3e2)
#   NEWSWIRE_DOCKERD_LOG          dockerd log file (default /var/log/newswire-dockerd.log)
#   NEWSWIRE_DOCKERD_START_TIMEOUT_S  how long to wait for dockerd per attempt (default 60)
#   NEWSWIRE_DOCKERD_TOTAL_TIMEOUT_S  no new flag set is tried after this many seconds (default 150)
#   NEWSWIRE_DOCKERD_FLAGS        if set, the only dockerd flags tried (instead of the list below)
set -euo pipefail

IMAGE="${NEWSWIRE_TANSU_IMAGE:-newswire/tansu:v0.6.0-510f3e2}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG="${NEWSWIRE_DOCKERD_LOG:-/var/log/newswire-dockerd.log}"
START_TIMEOUT_S="${NEWSWIRE_DOCKERD_START_TIMEOUT_S:-60}"
TOTAL_TIMEOUT_S="${NEWSWIRE_DOCKERD_TOTAL_TIMEOUT_S:-150}"
NO_ENGINE=3

# dockerd flag sets, tried in order until one gives an engine that runs a container. The first
# works on the CI VMs (Debian 12, cgroup v1, overlayfs, iptables); the others are for sandboxes
# without iptables/NAT, overlayfs or bridges (the last one needs `--network host` containers,
# which tests/support/tansu_container.py picks when there is no "bridge" network).
if [[ -n "${NEWSWIRE_DOCKERD_FLAGS+x}" ]]; then
    PROFILES=("$NEWSWIRE_DOCKERD_FLAGS")
else
    PROFILES=(
        ""
        "--iptables=false"
        "--iptables=false --storage-driver=vfs"
        "--iptables=false --bridge=none --storage-driver=vfs"
    )
fi

say() { echo "docker.sh: $*"; }
no_engine() {
    say "$* -- no usable Docker engine on this machine; use the embedded broker instead (exit $NO_ENGINE)"
    exit "$NO_ENGINE"
}
engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

# One run at a time (two CI steps must not both start a dockerd). dockerd gets fd 9 closed.
exec 9>"${TMPDIR:-/tmp}/newswire-docker.lock"
flock -w 600 9 || no_engine "another .ci/docker.sh held the lock for 10 minutes"

# --- 1. the engine binaries -------------------------------------------------------------------
if ! command -v dockerd >/dev/null 2>&1 && ! engine_answers; then
    [[ "$(id -u)" -eq 0 ]] || no_engine "dockerd is not installed and installing docker.io needs root"
    command -v apt-get >/dev/null 2>&1 || no_engine "dockerd is not installed and there is no apt-get"
    say "installing docker.io"
    export DEBIAN_FRONTEND=noninteractive
    if ! timeout 300 apt-get update -qq \
        || ! timeout 600 apt-get install -y -qq --no-install-recommends docker.io >/tmp/newswire-apt.log 2>&1; then
        tail -n 20 /tmp/newswire-apt.log 2>/dev/null || true
        no_engine "apt-get could not install docker.io"
    fi
    command -v dockerd >/dev/null 2>&1 || no_engine "docker.io installed but dockerd is not on PATH"
fi
command -v docker >/dev/null 2>&1 || no_engine "the docker client is not installed"

# --- 2. the engine ----------------------------------------------------------------------------
STARTED_PID=""

# Start dockerd with the given flags; return 0 once `docker info` answers, 1 if it died or timed out.
start_dockerd() {
    local flags="$1" deadline
    say "starting dockerd ${flags:-(default flags)}; log: $LOG"
    mkdir -p "$(dirname "$LOG")"
    echo "=== $(date -Is) dockerd $flags" >>"$LOG"
    # setsid + nohup: the engine outlives this script and the CI step's process group.
    # shellcheck disable=SC2086  # flags are deliberately word-split
    setsid nohup dockerd $flags </dev/null >>"$LOG" 2>&1 9>&- &
    STARTED_PID=$!
    deadline=$((SECONDS + START_TIMEOUT_S))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$STARTED_PID" 2>/dev/null; then
            say "dockerd exited while starting; last log lines:"
            tail -n 5 "$LOG" | sed 's/^/    /'
            STARTED_PID=""
            return 1
        fi
        engine_answers && return 0
        sleep 0.5
    done
    say "dockerd did not answer within ${START_TIMEOUT_S}s"
    stop_started_dockerd
    return 1
}

# Stop the dockerd this script started (and only that one), bounded.
stop_started_dockerd() {
    [[ -n "$STARTED_PID" ]] || return 0
    kill -TERM "$STARTED_PID" 2>/dev/null || true
    for _ in $(seq 1 40); do
        kill -0 "$STARTED_PID" 2>/dev/null || break
        sleep 0.5
    done
    kill -KILL "$STARTED_PID" 2>/dev/null || true
    STARTED_PID=""
}

# Build the image if missing, then run it once with a published port: proves the engine can
# create containers (cgroups, storage driver, networking) and not just answer the API.
image_runs() {
    if ! timeout 10 docker image inspect "$IMAGE" >/dev/null 2>&1; then
        say "building $IMAGE"
        timeout 300 bash "$ROOT/deploy/tansu-image/build.sh" "$IMAGE" || exit 1 # a real error, not "no engine"
    fi
    local net=(-p 127.0.0.1::9092)
    timeout 10 docker network inspect bridge >/dev/null 2>&1 || net=(--network host)
    local out
    if out="$(timeout 60 docker run --rm "${net[@]}" "$IMAGE" --help 2>&1)" && grep -q -- '--listener-url' <<<"$out"; then
        return 0
    fi
    say "the engine answers but cannot run $IMAGE (${net[*]}):"
    head -n 5 <<<"$out" | sed 's/^/    /'
    return 1
}

if engine_answers; then
    say "the Docker engine already answers"
    image_runs || no_engine "the running engine cannot run containers"
elif pgrep -x dockerd >/dev/null 2>&1; then
    # Someone else's dockerd is running but not (yet) answering: wait, never kill it.
    say "a dockerd is running but does not answer yet; waiting up to ${START_TIMEOUT_S}s"
    deadline=$((SECONDS + START_TIMEOUT_S))
    until engine_answers; do
        ((SECONDS < deadline)) || no_engine "the running dockerd does not answer"
        sleep 0.5
    done
    image_runs || no_engine "the running engine cannot run containers"
else
    [[ "$(id -u)" -eq 0 ]] || no_engine "dockerd is not running and starting it needs root"
    ready=""
    for flags in "${PROFILES[@]}"; do
        if ((SECONDS > TOTAL_TIMEOUT_S)); then
            say "giving up after ${SECONDS}s without trying: ${flags}"
            break
        fi
        if start_dockerd "$flags"; then
            if image_runs; then
                ready="$flags"
                break
            fi
            stop_started_dockerd
        fi
    done
    [[ -n "$STARTED_PID" ]] || no_engine "dockerd would not start with any of the flag sets tried"
    say "dockerd (pid $STARTED_PID) runs with flags: ${ready:-(defaults)}"
fi

say "ready: $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?') engine, image $IMAGE"
