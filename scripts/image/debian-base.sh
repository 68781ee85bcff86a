#!/usr/bin/env bash
# Builds, from Debian packages and the npm-shipped Node binary, the two base
# images the Containerfile expects when no container registry can be reached:
# the same layout as node:20-bookworm-slim (runtime) and node:20-bookworm
# (build: plus python3, make and g++ for node-gyp). Node sits in /usr/local as
# in the official images, with npm, and the user `node` is uid 1000.
#
# Usage: scripts/image/debian-base.sh ENGINE RUNTIME_TAG BUILD_TAG
#   ENGINE is podman, buildah or docker (whichever imports a tarball).
# NODE_VERSION (default: this machine's node) and NPM_VERSION (default 10)
# pick the versions; DEBIAN_MIRROR the mirror (default: mmdebstrap's).
set -euo pipefail

ENGINE=${1:?engine}
RUNTIME_TAG=${2:?runtime tag}
BUILD_TAG=${3:?build tag}
NODE_VERSION=${NODE_VERSION:-$(node -p 'process.versions.node')}
NPM_VERSION=${NPM_VERSION:-10}
SUITE=bookworm

command -v mmdebstrap >/dev/null ||
  { echo "debian-base.sh: mmdebstrap is missing (apt-get install -y mmdebstrap)" >&2; exit 1; }

case "$(uname -m)" in
  x86_64) NODE_ARCH=x64 ;;
  aarch64) NODE_ARCH=arm64 ;;
  *) echo "debian-base.sh: no Node package for $(uname -m)" >&2; exit 1 ;;
esac

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "base: fetching node-linux-$NODE_ARCH@$NODE_VERSION and npm@$NPM_VERSION from the npm registry"
(cd "$WORK" && npm pack --silent "node-linux-$NODE_ARCH@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
NODE_TGZ=$(echo "$WORK"/node-linux-*.tgz)
NPM_TGZ=$(echo "$WORK"/npm-*.tgz)

# Docs, man pages and locales are not needed in a container (as in Debian's
# slim images); copyright files stay.
DPKG_OPTS=(
  --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/locale/*'
)

# Node and npm into /usr/local, the user node (1000:1000), as the official images do.
# ($1 is the root folder mmdebstrap gives each hook, expanded there, not here.)
# shellcheck disable=SC2016
HOOKS=(
  --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules/npm\" && tar -xzf '$NPM_TGZ' -C \"\$1/usr/local/lib/node_modules/npm\" --strip-components=1"
  --customize-hook='ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm" && ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"'
  --customize-hook='chroot "$1" groupadd --gid 1000 node && chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
)

IMPORT_CHANGES=(
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  --change "ENV NODE_VERSION=$NODE_VERSION"
  --change 'CMD ["node"]'
)

# build_base TAG PACKAGES NODE_PARTS: one mmdebstrap run, imported into the
# engine. NODE_PARTS: the folders of the Node package to install (the headers,
# 54 MB, only where node-gyp compiles).
build_base() {
  local tag=$1 packages=$2 parts=$3 started=$SECONDS
  echo "base: mmdebstrap $SUITE ($packages) -> $tag"
  mmdebstrap --quiet --variant=minbase --include="$packages" "${DPKG_OPTS[@]}" \
    --customize-hook="tar -xzf '$NODE_TGZ' -C \"\$1/usr/local\" --strip-components=1 $parts" \
    "${HOOKS[@]}" \
    "$SUITE" "$WORK/rootfs.tar" ${DEBIAN_MIRROR:+"$DEBIAN_MIRROR"}
  "$ENGINE" import "${IMPORT_CHANGES[@]}" "$WORK/rootfs.tar" "$tag" >/dev/null
  rm -f "$WORK/rootfs.tar"
  echo "base: $tag ready in $((SECONDS - started)) s"
}

build_base "$RUNTIME_TAG" ca-certificates 'package/bin package/share'
build_base "$BUILD_TAG" ca-certificates,python3,make,g++ 'package/bin package/include package/share'
