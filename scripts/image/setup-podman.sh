#!/usr/bin/env bash
# Installs and configures Podman where it is missing (Debian, as root), for
# `npm run image` and `npm run rehearse`: podman, runc, mmdebstrap (the Node
# bases when no registry answers), and the two settings a container sandbox
# like CI's needs (see FACTS: "Container images"): no default ulimits
# (setting RLIMIT_NOFILE is refused there) and runc rather than crun (crun
# fails on hybrid cgroups). Idempotent; prints what it changed.
set -euo pipefail

missing=()
for tool in podman runc mmdebstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup-podman: installing ${missing[*]} (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman runc mmdebstrap >/dev/null
fi

CONF=/etc/containers/containers.conf
if ! grep -qs '^runtime = "runc"' "$CONF"; then
  echo "setup-podman: $CONF: runtime runc, no default ulimits"
  mkdir -p "$(dirname "$CONF")"
  printf '\n[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n' >>"$CONF"
fi
podman --version
