# shellcheck shell=bash disable=SC2034 # ACCOUNT is set here for the sourcing script
# What configure_cdn.sh and invalidate_cache.sh share: messages on stderr
# prefixed with the script's name ($PROG, set by the caller), the exit
# statuses both document (2 bad arguments, 3 no credentials, 127 no `aws`),
# and the AWS CLI checks. Sourced, never run.

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() {
  local status=$1
  shift
  log "$*"
  exit "$status"
}
# Needs the caller's usage().
usage_error() {
  log "$*"
  usage
  exit 2
}

require_aws() {
  command -v aws >/dev/null 2>&1 ||
    die 127 "the AWS CLI (aws) is not on PATH: install it (https://aws.amazon.com/cli/ or apt-get install awscli)"
}

# The account the credentials belong to, set by require_credentials (read by
# the sourcing script).
ACCOUNT=
# Fails fast, before anything is created, when there are no usable
# credentials. Needs $WORK, the caller's scratch folder.
require_credentials() {
  local err
  if ! ACCOUNT=$(aws sts get-caller-identity --query Account --output text 2>"$WORK/sts.err"); then
    err=$(tr '\n' ' ' <"$WORK/sts.err")
    die 3 "the AWS CLI is not configured: 'aws sts get-caller-identity' failed (${err% }). Run 'aws configure' or set AWS_PROFILE / AWS_ACCESS_KEY_ID."
  fi
}
