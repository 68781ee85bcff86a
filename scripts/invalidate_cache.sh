#!/usr/bin/env bash
# Invalidates paths of a CloudFront distribution (the ID configure_cdn.sh
# printed) and prints the invalidation's ID on stdout; progress on stderr.
#
# Exit status: 0 done, 1 the AWS call failed, 2 bad arguments, 3 the AWS CLI
# is not configured (no credentials), 127 no `aws` on PATH.
set -euo pipefail

readonly PROG=${0##*/}
# CloudFront accepts at most 3000 paths (15 with a wildcard) per invalidation.
readonly MAX_PATHS=3000
# What a publish rewrites under an unchanged URL: the console's page, which
# names the new hashed files. The edge sends it no-cache, so CloudFront
# revalidates it anyway; this clears a copy kept under a raised MinTTL.
readonly PUBLISH_PATHS=/

usage() {
  cat >&2 <<EOF
Usage: $PROG [--dry-run] [--publish] <distribution-id> [path...]

Creates a CloudFront invalidation and prints its ID.

  <distribution-id>  e.g. E2QWRUHAPOMQZL (printed by scripts/configure_cdn.sh)
  path...            paths to invalidate, each starting with /, a trailing *
                     allowed (default: /*, everything)
  --publish          the paths a new edge deploy (console included) changes:
                     $PUBLISH_PATHS (its assets are content-hashed, new names;
                     images and API answers are never rewritten under a URL)
  --dry-run          print the invalidation batch JSON and call nothing
  -h, --help         this text

Example: $PROG --publish E2QWRUHAPOMQZL
         $PROG E2QWRUHAPOMQZL / '/assets/*'
EOF
}

# This script's folder, found without dirname (the tests run it on a bare PATH).
HERE=.
[[ ${BASH_SOURCE[0]} == */* ]] && HERE=${BASH_SOURCE[0]%/*}
# shellcheck source-path=SCRIPTDIR source=cdn/common.sh
source "$HERE/cdn/common.sh"

valid_distribution_id() { [[ $1 =~ ^E[A-Z0-9]{5,20}$ ]]; }

# A path starts with /, holds no control characters or whitespace other than
# spaces, and may end in one * (CloudFront's only wildcard position).
valid_path() {
  local p=$1
  [[ $p == /* ]] || return 1
  [[ ! $p =~ [[:cntrl:]] ]] || return 1
  ((${#p} <= 4000))
}

# JSON string body: paths may hold " or \.
json_escape() {
  local s=${1//\\/\\\\}
  printf '%s' "${s//\"/\\\"}"
}

# invalidation_batch CALLER_REFERENCE PATH...
invalidation_batch() {
  local reference=$1 i=0 path items=
  shift
  for path in "$@"; do
    ((i++ > 0)) && items+=", "
    items+="\"$(json_escape "$path")\""
  done
  printf '{\n  "Paths": { "Quantity": %d, "Items": [%s] },\n  "CallerReference": "%s"\n}\n' \
    "$#" "$items" "$reference"
}

main() {
  local dry_run=false publish=false
  while (($# > 0)); do
    case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    --dry-run) dry_run=true ;;
    --publish) publish=true ;;
    --) shift && break ;;
    -*) usage_error "unknown option: $1" ;;
    *) break ;;
    esac
    shift
  done
  (($# >= 1)) || usage_error "expected <distribution-id> [path...]"
  local id=$1
  shift
  valid_distribution_id "$id" ||
    usage_error "not a CloudFront distribution ID: '$id' (expected E followed by capital letters and digits)"
  local paths=("$@")
  if $publish; then
    ((${#paths[@]} == 0)) || usage_error "--publish takes no paths"
    paths=("$PUBLISH_PATHS")
  fi
  ((${#paths[@]} > 0)) || paths=('/*')
  ((${#paths[@]} <= MAX_PATHS)) || usage_error "at most $MAX_PATHS paths per invalidation, got ${#paths[@]}"
  local path
  for path in "${paths[@]}"; do
    valid_path "$path" || usage_error "not a path: '$path' (each path starts with /, e.g. /index.html or '/assets/*')"
  done

  # Unique per call: CloudFront treats a repeated reference as a retry of the
  # same invalidation and would not invalidate again.
  local reference
  reference="invalidate_cache-$(date +%s)-$$-$RANDOM"
  if $dry_run; then
    invalidation_batch "$reference" "${paths[@]}"
    return
  fi

  require_aws
  WORK=$(mktemp -d)
  # shellcheck disable=SC2064 # expand WORK now: it is set once
  trap "rm -rf '$WORK'" EXIT
  require_credentials
  invalidation_batch "$reference" "${paths[@]}" >"$WORK/batch.json"
  local invalidation
  if ! invalidation=$(aws cloudfront create-invalidation --distribution-id "$id" \
    --invalidation-batch "file://$WORK/batch.json" --query Invalidation.Id --output text \
    2>"$WORK/invalidation.err"); then
    die 1 "aws cloudfront create-invalidation failed: $(tr '\n' ' ' <"$WORK/invalidation.err")"
  fi
  log "invalidating ${#paths[@]} path(s) of $id: ${paths[*]}"
  printf '%s\n' "$invalidation"
}

main "$@"
