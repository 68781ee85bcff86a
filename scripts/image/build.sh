#!/usr/bin/env bash
# `npm run image`: builds the platform's image with whichever of podman,
# buildah or docker is installed, and prints its size and build time.
#
# Usage: npm run image [-- --target runtime|gpu] [--tag NAME] [--ca FILE]
#                        [--base auto|registry|debian] [--rebuild-base]
#   --target  runtime (default): core, edge, ingestion and the GPU worker on CPU;
#             gpu: the same on CUDA_BASE_IMAGE with ONNX Runtime's CUDA provider
#             (needs the internet)
#   --tag     default localhost/mockup-platform:dev (gpu: ...:dev-gpu)
#   --ca      an extra CA bundle for the build's npm and NuGet downloads (a
#             TLS-inspecting proxy), passed as a build secret, never stored in
#             the image. Default: IMAGE_BUILD_CA, else NODE_EXTRA_CA_CERTS (the
#             CAs this machine's Node already trusts), else none.
#   --base    where the Node base images come from. registry: the official
#             node images (NODE_BUILD_IMAGE, NODE_RUNTIME_IMAGE); debian: built
#             here from Debian packages and the npm-shipped Node
#             (scripts/image/debian-base.sh); auto (default): registry when it
#             answers, else debian.
# IMAGE_ENGINE picks the engine (default: the first of podman, buildah, docker).
set -euo pipefail
cd "$(dirname "$0")/../.."

TARGET=runtime TAG='' CA=${IMAGE_BUILD_CA:-${NODE_EXTRA_CA_CERTS:-}} BASE=${IMAGE_BASE:-auto} REBUILD_BASE=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --target) TARGET=${2:?}; shift 2 ;;
    --tag) TAG=${2:?}; shift 2 ;;
    --ca) CA=${2:?}; shift 2 ;;
    --base) BASE=${2:?}; shift 2 ;;
    --rebuild-base) REBUILD_BASE=true; shift ;;
    *) echo "image: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
case $TARGET in
  runtime) TAG=${TAG:-localhost/mockup-platform:dev} ;;
  gpu) TAG=${TAG:-localhost/mockup-platform:dev-gpu} ;;
  *) echo "image: --target must be runtime or gpu" >&2; exit 2 ;;
esac
case $BASE in auto | registry | debian) ;; *) echo "image: --base must be auto, registry or debian" >&2; exit 2 ;; esac
[[ -z $CA || -s $CA ]] || { echo "image: --ca $CA: no such file" >&2; exit 2; }

pick_engine() {
  if [[ -n ${IMAGE_ENGINE:-} ]]; then echo "$IMAGE_ENGINE"; return; fi
  local e
  for e in podman buildah; do command -v "$e" >/dev/null && { echo "$e"; return; }; done
  # The docker CLI is often present without an engine to talk to.
  command -v docker >/dev/null && docker info >/dev/null 2>&1 && { echo docker; return; }
  echo "image: none of podman, buildah or docker (with a running engine) is installed" >&2
  echo "image: on Debian: apt-get install -y podman runc" >&2
  exit 1
}
ENGINE=$(pick_engine)

# The Containerfile's defaults, read from it so there is one place to change them.
arg_default() { sed -n "s/^ARG $1=//p" Containerfile; }
NODE_BUILD_IMAGE=${NODE_BUILD_IMAGE:-$(arg_default NODE_BUILD_IMAGE)}
NODE_RUNTIME_IMAGE=${NODE_RUNTIME_IMAGE:-$(arg_default NODE_RUNTIME_IMAGE)}
LOCAL_RUNTIME_BASE=localhost/mockup-platform-base:runtime
LOCAL_BUILD_BASE=localhost/mockup-platform-base:build

image_exists() {
  case $ENGINE in
    docker) docker image inspect "$1" >/dev/null 2>&1 ;;
    *) "$ENGINE" image exists "$1" 2>/dev/null || "$ENGINE" inspect --type image "$1" >/dev/null 2>&1 ;;
  esac
}
have_or_pull() { image_exists "$1" || timeout 120 "$ENGINE" pull -q "$1" >/dev/null 2>&1; }

BASE_ARGS=()
if [[ $BASE != debian ]] && have_or_pull "$NODE_BUILD_IMAGE" && have_or_pull "$NODE_RUNTIME_IMAGE"; then
  echo "image: base images from the registry ($NODE_RUNTIME_IMAGE)"
elif [[ $BASE == registry ]]; then
  echo "image: cannot pull $NODE_BUILD_IMAGE / $NODE_RUNTIME_IMAGE (try --base debian)" >&2
  exit 1
else
  if $REBUILD_BASE || ! image_exists "$LOCAL_RUNTIME_BASE" || ! image_exists "$LOCAL_BUILD_BASE"; then
    echo "image: the registry is out of reach: building the Node bases from Debian packages"
    engine_for_import=$ENGINE
    [[ $ENGINE == buildah ]] && engine_for_import=podman
    command -v "$engine_for_import" >/dev/null || engine_for_import=docker
    NODE_VERSION=$(node -p 'process.versions.node') \
      scripts/image/debian-base.sh "$engine_for_import" "$LOCAL_RUNTIME_BASE" "$LOCAL_BUILD_BASE"
  else
    echo "image: Node bases built from Debian packages ($LOCAL_RUNTIME_BASE; --rebuild-base to refresh)"
  fi
  BASE_ARGS=(--build-arg "NODE_BUILD_IMAGE=$LOCAL_BUILD_BASE" --build-arg "NODE_RUNTIME_IMAGE=$LOCAL_RUNTIME_BASE")
fi

CA_ARGS=()
if [[ -n $CA ]]; then
  echo "image: extra CA bundle $CA (build secret)"
  CA_ARGS=(--secret "id=ca,src=$CA")
fi

BUILD=("$ENGINE" build)
[[ $ENGINE == docker ]] && export DOCKER_BUILDKIT=1
started=$SECONDS
echo "image: $ENGINE build --target $TARGET -t $TAG"
# Host network: the build reaches the registry the way this machine does (proxies, DNS).
"${BUILD[@]}" --network host --target "$TARGET" -t "$TAG" -f Containerfile \
  "${BASE_ARGS[@]}" "${CA_ARGS[@]}" .

size=$("$ENGINE" image inspect --format '{{.Size}}' "$TAG" 2>/dev/null || echo 0)
printf 'image: %s built in %d s, %d MB\n' "$TAG" "$((SECONDS - started))" "$((size / 1000000))"
