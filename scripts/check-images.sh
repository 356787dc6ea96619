#!/usr/bin/env bash
# Builds the two images of docker-compose.yml (Dockerfile, render-worker/Dockerfile) and runs
# them as containers (test/images). No Docker engine runs on these machines, so the images are
# built and run with buildah (vfs storage, chroot isolation, as root).
#
# The Dockerfiles' base images (node, nvidia/cuda) cannot be pulled here, so they are built as
# stand-ins: Debian bookworm from Debian's archive (debootstrap), and the same with this
# machine's Node.js and npm in the places the node image has them. Every instruction of both
# Dockerfiles runs as written; only what comes FROM the bases differs (Debian's FFmpeg 5.1
# instead of Ubuntu 24.04's 6.1 and no CUDA libraries; there is no GPU here either way).
# Run after scripts/setup.sh (the tests use the project's packages and its PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "check-images: run as root (buildah's chroot isolation needs it)" >&2
  exit 1
fi
if ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null; then
  echo "[images] installing buildah and debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends buildah debootstrap >/dev/null
fi
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
base=localhost/aura-standin-debian:bookworm
node_base=localhost/aura-standin-node:20
has_image() { buildah inspect --type image "$1" >/dev/null 2>&1; }

if ! has_image "$base"; then
  echo "[images] stand-in base: Debian bookworm (debootstrap)"
  rootfs=$(mktemp -d /var/tmp/aura-rootfs.XXXXXX)
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
  c=$(buildah from scratch)
  buildah copy --quiet "$c" "$rootfs" /
  # This machine's certificate authorities, for npm inside the builds on a network that
  # inspects TLS; the real base images need nothing of the kind.
  buildah copy --quiet "$c" /etc/ssl/certs/ca-certificates.crt /etc/ssl/aura-host-ca.crt
  buildah config --env NODE_EXTRA_CA_CERTS=/etc/ssl/aura-host-ca.crt --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$c"
  buildah commit --quiet "$c" "$base" >/dev/null
  buildah rm "$c" >/dev/null
  rm -rf "$rootfs"
fi
if ! has_image "$node_base"; then
  echo "[images] stand-in node image: the base with $(node --version) and npm $(npm --version 2>/dev/null)"
  c=$(buildah from "$base")
  buildah copy --quiet "$c" "$(command -v node)" /usr/local/bin/node
  buildah copy --quiet "$c" "$(npm root -g 2>/dev/null)/npm" /usr/local/lib/node_modules/npm
  buildah run "$c" -- ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
  buildah run "$c" -- ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
  buildah commit --quiet "$c" "$node_base" >/dev/null
  buildah rm "$c" >/dev/null
fi

build() {
  local name=$1 context=$2 started=$SECONDS
  shift 2
  echo "[images] building $name"
  if ! buildah bud --quiet --layers --force-rm --format docker "$@" -t "$name" "$context" >/tmp/aura-build-$name.log 2>&1; then
    tail -40 /tmp/aura-build-$name.log >&2
    echo "check-images: building $name failed (whole log: /tmp/aura-build-$name.log)" >&2
    exit 1
  fi
  echo "[images] built $name in $((SECONDS - started)) s"
}
build aura-render-worker . -f render-worker/Dockerfile --build-arg NODE_IMAGE="$node_base" --build-arg CUDA_IMAGE="$base"
build aura-app . --build-arg NODE_IMAGE="$node_base"

echo "[images] running them"
node --import tsx scripts/run-tests.ts images
