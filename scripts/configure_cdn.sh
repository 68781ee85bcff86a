#!/usr/bin/env bash
# Puts a CloudFront distribution in front of the platform, each path going to
# the origin that serves it (tests/cdn/routing.test.ts resolves real paths
# through this config and fetches them from local origins):
#   - /metrics* and /admin* -> answered 404 at the CDN by a CloudFront
#     Function, so they reach no origin whatever a later change routes where;
#   - /score* -> the edge, GET/HEAD/OPTIONS, keyed on the topic and product
#     query strings alone (no header, no cookie: the answer is public), the
#     origin's Cache-Control honoured: s-maxage, stale-while-revalidate and
#     stale-if-error (min TTL 0, default 0);
#   - /trpc/* -> the edge (the API origin), HTTPS only, every method, query
#     string and Authorization/If-None-Match forwarded, the origin's
#     Cache-Control honoured (min TTL 0, default 0);
#   - /assets/* (the console's content-hashed files) and /mockups/* (the
#     edge's image proxy) -> the edge, GET/HEAD, cached by path alone;
#   - /<images-prefix>/* -> the S3 bucket of mock-up images, read through
#     Origin Access Control (the bucket stays private; core's
#     MOCKUP_PUBLIC_BASE_URL=https://<this distribution> points here);
#   - everything else (the console's page at /) -> the edge, cached by path
#     alone, per the origin's Cache-Control (default 0: a 404 is not kept).
# The console is served by the edge (its files are compiled into the bundle),
# so there is no DefaultRootObject: / must reach the edge as /.
# Every behaviour redirects HTTP to HTTPS and compresses.
#
# Prints the distribution ID on stdout (scripts/invalidate_cache.sh takes it);
# progress goes to stderr.
#
# Exit status: 0 done, 1 an AWS call failed, 2 bad arguments, 3 the AWS CLI is
# not configured (no credentials), 127 no `aws` on PATH.
set -euo pipefail

readonly PROG=${0##*/}
readonly DEFAULT_TTL=3600
readonly MAX_TTL=31536000 # one year: the longest Cache-Control an origin may ask for
readonly S3_ORIGIN_ID=s3-images
readonly EDGE_ORIGIN_ID=edge

usage() {
  cat >&2 <<EOF
Usage: $PROG [--dry-run] [--region REGION] [--images-prefix PREFIX] <bucket> <origin-domain>

Creates a CloudFront distribution: <origin-domain> (the edge, HTTPS) serves
the console (/, /assets/*), /score*, /trpc/* and /mockups/*; <bucket> (private
S3 bucket, Origin Access Control) serves /<PREFIX>/*, the mock-up images;
/metrics* and /admin* answer 404. Prints the distribution ID.

  <bucket>          S3 bucket of the mock-up images, e.g. mockup-images
  <origin-domain>   the edge's host name, no scheme or path, e.g. edge.example.com
  --images-prefix PREFIX
                    the images' key prefix in the bucket, as in core's
                    MOCKUP_STORAGE_URL=s3://<bucket>/PREFIX (default mockup-images)
  --region REGION   the bucket's region (default: asked from S3; under
                    --dry-run \$AWS_REGION, \$AWS_DEFAULT_REGION or us-east-1)
  --dry-run         print the distribution config JSON and call nothing
  -h, --help        this text
EOF
}

# This script's folder, found without dirname (the tests run it on a bare PATH).
HERE=.
[[ ${BASH_SOURCE[0]} == */* ]] && HERE=${BASH_SOURCE[0]%/*}
# shellcheck source-path=SCRIPTDIR source=cdn/common.sh
source "$HERE/cdn/common.sh"

# ---------------------------------------------------------------- validation

# S3 bucket naming rules (general purpose buckets).
valid_bucket() {
  local b=$1
  [[ $b =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || return 1
  [[ $b != *..* && $b != *.-* && $b != *-.* ]] || return 1
  [[ ! $b =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || return 1
  [[ $b != xn--* && $b != sthree-* && $b != *-s3alias && $b != *--ol-s3 ]] || return 1
}

# A DNS host name: two labels or more, letters/digits/hyphens, no scheme, path
# or port. CloudFront refuses IP addresses as custom origins: the top label
# must start with a letter.
valid_domain() {
  local d=$1
  ((${#d} <= 253)) || return 1
  [[ $d =~ ^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$ ]] || return 1
  # CloudFront would reach itself through its own domain: a loop.
  [[ $d != *.cloudfront.net ]]
}

valid_region() { [[ $1 =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]]; }

# A key prefix as core's s3-location accepts it: [A-Za-z0-9_-] segments joined
# by /, and not a path the edge serves (the bucket behaviour would shadow it).
valid_prefix() {
  [[ $1 =~ ^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$ ]] || return 1
  case ${1%%/*} in assets | mockups | score* | trpc | metrics* | admin*) return 1 ;; esac
}

# ---------------------------------------------------------------- aws

# aws_call NAME ARGS...: runs aws, stdout captured by the caller; on failure
# says which call failed with the CLI's own message.
aws_call() {
  local name=$1
  shift
  if ! aws "$@" 2>"$WORK/$name.err"; then
    die 1 "aws $1 $2 failed: $(tr '\n' ' ' <"$WORK/$name.err")"
  fi
}

# The CLI prints None (awscli 1) or null for a missing value under --output text.
is_none() { [[ -z $1 || $1 == None || $1 == null ]]; }

bucket_region() {
  local region
  region=$(aws_call location s3api get-bucket-location --bucket "$BUCKET" \
    --query LocationConstraint --output text)
  # us-east-1 answers no constraint; EU is the legacy name of eu-west-1.
  if is_none "$region"; then region=us-east-1; fi
  if [[ $region == EU ]]; then region=eu-west-1; fi
  printf '%s\n' "$region"
}

# One OAC per bucket, found by name so that a rerun reuses it.
origin_access_control() {
  local name="oac-$BUCKET" id
  id=$(aws_call list-oac cloudfront list-origin-access-controls \
    --query "OriginAccessControlList.Items[?Name=='$name'].Id | [0]" --output text)
  if ! is_none "$id"; then
    log "reusing Origin Access Control $name ($id)"
    printf '%s\n' "$id"
    return
  fi
  cat >"$WORK/oac.json" <<EOF
{
  "Name": "$name",
  "Description": "CloudFront reads s3://$BUCKET (configure_cdn.sh)",
  "SigningProtocol": "sigv4",
  "SigningBehavior": "always",
  "OriginAccessControlOriginType": "s3"
}
EOF
  id=$(aws_call create-oac cloudfront create-origin-access-control \
    --origin-access-control-config "file://$WORK/oac.json" \
    --query OriginAccessControl.Id --output text)
  log "created Origin Access Control $name ($id)"
  printf '%s\n' "$id"
}

deny_function_name() {
  # Function names: letters, digits, - and _, 64 at most.
  local name="deny-internal-${BUCKET//./-}"
  printf '%s\n' "${name:0:64}"
}

# The function's code (cloudfront-js-2.0), beside this script.
DENY_CODE="$HERE/cdn/deny-internal.js"

write_deny_function() {
  cat >"$WORK/deny-config.json" <<'EOF'
{ "Comment": "404 for internal paths (/metrics, /admin) at the edge", "Runtime": "cloudfront-js-2.0" }
EOF
}

# The ARN of the published 404 function, created (and published) unless a
# previous run already did.
deny_function() {
  local name arn etag
  name=$(deny_function_name)
  if arn=$(aws cloudfront describe-function --name "$name" --stage LIVE \
    --query FunctionSummary.FunctionMetadata.FunctionARN --output text 2>"$WORK/describe.err"); then
    log "reusing CloudFront Function $name"
    printf '%s\n' "$arn"
    return
  fi
  grep -q NoSuchFunctionExists "$WORK/describe.err" ||
    die 1 "aws cloudfront describe-function failed: $(tr '\n' ' ' <"$WORK/describe.err")"
  write_deny_function
  etag=$(aws_call create-fn cloudfront create-function --name "$name" \
    --function-config "file://$WORK/deny-config.json" --function-code "fileb://$DENY_CODE" \
    --query ETag --output text)
  arn=$(aws_call publish-fn cloudfront publish-function --name "$name" --if-match "$etag" \
    --query FunctionSummary.FunctionMetadata.FunctionARN --output text)
  log "created and published CloudFront Function $name"
  printf '%s\n' "$arn"
}

# ---------------------------------------------------------------- config

# Validated names only reach these heredocs (bucket, domain, region, IDs and
# ARNs from AWS): nothing in them needs JSON escaping.

# The fields every legacy cache behaviour must carry, with nothing in them.
behaviour_tail() {
  cat <<'EOF'
      "SmoothStreaming": false,
      "FieldLevelEncryptionId": "",
      "TrustedSigners": { "Enabled": false, "Quantity": 0 },
      "TrustedKeyGroups": { "Enabled": false, "Quantity": 0 },
      "LambdaFunctionAssociations": { "Quantity": 0 }
EOF
}

# GET/HEAD over HTTPS, cached by path alone (no query string, headers or
# cookies): the bucket's behaviours, static assets and the denied paths.
read_only_request() {
  cat <<'EOF'
      "ViewerProtocolPolicy": "redirect-to-https",
      "Compress": true,
      "AllowedMethods": {
        "Quantity": 2, "Items": ["GET", "HEAD"],
        "CachedMethods": { "Quantity": 2, "Items": ["GET", "HEAD"] }
      },
      "ForwardedValues": {
        "QueryString": false,
        "Cookies": { "Forward": "none" },
        "Headers": { "Quantity": 0 },
        "QueryStringCacheKeys": { "Quantity": 0 }
      },
      "MinTTL": 0,
EOF
}

# The fields of a behaviour that serves GET/HEAD cached by path alone:
# origin_fields ORIGIN_ID DEFAULT_TTL (the origin's Cache-Control wins).
origin_fields() {
  cat <<EOF
      "TargetOriginId": "$1",
$(read_only_request)
      "DefaultTTL": $2,
      "MaxTTL": $MAX_TTL,
      "FunctionAssociations": { "Quantity": 0 },
$(behaviour_tail)
EOF
}

# Everything no pattern matches, the console's page (/) first of all: the edge,
# per its Cache-Control (the page is no-cache); default 0 so that an answer
# without one (a 404 for a mistyped path) is not kept.
default_behaviour() {
  cat <<EOF
    "DefaultCacheBehavior": {
$(origin_fields "$EDGE_ORIGIN_ID" 0)
    },
EOF
}

# static_behaviour PATTERN ORIGIN_ID: files that never change under their
# name (hashed console assets, mock-up images), one hour when the origin says
# nothing (it says a year for the hashed assets).
static_behaviour() {
  cat <<EOF
      {
        "PathPattern": "$1",
$(origin_fields "$2" "$DEFAULT_TTL" | sed 's/^/  /')
      }
EOF
}

# edge_behaviour PATTERN METHODS HEADERS CACHE_KEYS: a path the edge answers,
# HTTPS only, compressed; METHODS, HEADERS and CACHE_KEYS are the inner JSON of
# AllowedMethods, the forwarded Headers and QueryStringCacheKeys. TTLs come from
# the origin's Cache-Control alone (default 0: a response without one is not
# cached).
edge_behaviour() {
  cat <<EOF
      {
        "PathPattern": "$1",
        "TargetOriginId": "$EDGE_ORIGIN_ID",
        "ViewerProtocolPolicy": "redirect-to-https",
        "Compress": true,
        "AllowedMethods": {
          $2,
          "CachedMethods": { "Quantity": 2, "Items": ["GET", "HEAD"] }
        },
        "ForwardedValues": {
          "QueryString": true,
          "Cookies": { "Forward": "none" },
          "Headers": { $3 },
          "QueryStringCacheKeys": { $4 }
        },
        "MinTTL": 0,
        "DefaultTTL": 0,
        "MaxTTL": $MAX_TTL,
        "FunctionAssociations": { "Quantity": 0 },
$(behaviour_tail | sed 's/^/  /')
      }
EOF
}

# The tRPC API: every method (mutations POST), the query string and the two
# headers its responses depend on are forwarded and so part of the cache key.
api_behaviour() {
  edge_behaviour "$1" \
    '"Quantity": 7, "Items": ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]' \
    '"Quantity": 2, "Items": ["Authorization", "If-None-Match"]' \
    '"Quantity": 0'
}

# /score: public, the same for every caller, so nothing but the two query
# strings it reads (topic, product) is in the cache key, and its own
# Cache-Control decides how long CloudFront keeps an answer (s-maxage), serves
# it while refetching (stale-while-revalidate) and through origin errors
# (stale-if-error). Other query strings still reach the edge, which ignores
# them. Compress: CloudFront keys on the encoding it serves itself.
score_behaviour() {
  edge_behaviour '/score*' \
    '"Quantity": 3, "Items": ["GET", "HEAD", "OPTIONS"]' \
    '"Quantity": 0' \
    '"Quantity": 2, "Items": ["topic", "product"]'
}

# Internal paths: the viewer-request function answers 404 before any origin
# is asked. The target is the private bucket, never the API, in case the
# function is ever detached; GET/HEAD only, other methods get CloudFront's 403.
deny_behaviour() {
  local pattern=$1
  cat <<EOF
      {
        "PathPattern": "$pattern",
        "TargetOriginId": "$S3_ORIGIN_ID",
$(read_only_request | sed 's/^/  /')
        "DefaultTTL": 0,
        "MaxTTL": 0,
        "FunctionAssociations": {
          "Quantity": 1,
          "Items": [{ "EventType": "viewer-request", "FunctionARN": "$DENY_ARN" }]
        },
$(behaviour_tail | sed 's/^/  /')
      }
EOF
}

# distribution_config CALLER_REFERENCE: the DistributionConfig JSON.
# Behaviours are matched in list order: the internal paths come first. No
# DefaultRootObject: / is the edge's console page, not an object.
distribution_config() {
  cat <<EOF
{
    "CallerReference": "$1",
    "Comment": "mockup platform: https://$ORIGIN + s3://$BUCKET/$IMAGES_PREFIX",
    "Enabled": true,
    "HttpVersion": "http2and3",
    "IsIPV6Enabled": true,
    "PriceClass": "PriceClass_100",
    "DefaultRootObject": "",
    "Origins": {
      "Quantity": 2,
      "Items": [
        {
          "Id": "$S3_ORIGIN_ID",
          "DomainName": "$BUCKET.s3.$REGION.amazonaws.com",
          "OriginPath": "",
          "CustomHeaders": { "Quantity": 0 },
          "S3OriginConfig": { "OriginAccessIdentity": "" },
          "OriginAccessControlId": "$OAC_ID"
        },
        {
          "Id": "$EDGE_ORIGIN_ID",
          "DomainName": "$ORIGIN",
          "OriginPath": "",
          "CustomHeaders": { "Quantity": 0 },
          "CustomOriginConfig": {
            "HTTPPort": 80,
            "HTTPSPort": 443,
            "OriginProtocolPolicy": "https-only",
            "OriginSslProtocols": { "Quantity": 1, "Items": ["TLSv1.2"] },
            "OriginReadTimeout": 30,
            "OriginKeepaliveTimeout": 5
          }
        }
      ]
    },
$(default_behaviour)
    "CacheBehaviors": {
      "Quantity": 7,
      "Items": [
$(deny_behaviour '/metrics*'),
$(deny_behaviour '/admin*'),
$(score_behaviour),
$(api_behaviour '/trpc/*'),
$(static_behaviour '/assets/*' "$EDGE_ORIGIN_ID"),
$(static_behaviour '/mockups/*' "$EDGE_ORIGIN_ID"),
$(static_behaviour "/$IMAGES_PREFIX/*" "$S3_ORIGIN_ID")
      ]
    },
    "CustomErrorResponses": { "Quantity": 0 },
    "Restrictions": { "GeoRestriction": { "RestrictionType": "none", "Quantity": 0 } },
    "ViewerCertificate": { "CloudFrontDefaultCertificate": true }
}
EOF
}

# ---------------------------------------------------------------- bucket policy

policy_statement() {
  cat <<EOF
{
  "Sid": "CloudFrontRead-$DIST_ID",
  "Effect": "Allow",
  "Principal": { "Service": "cloudfront.amazonaws.com" },
  "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::$BUCKET/*",
  "Condition": { "StringEquals": { "AWS:SourceArn": "arn:aws:cloudfront::$ACCOUNT:distribution/$DIST_ID" } }
}
EOF
}

# OAC signs the requests; the bucket must still allow this distribution to
# read. An existing policy is extended (with jq), never replaced.
grant_bucket_read() {
  local existing
  if existing=$(aws s3api get-bucket-policy --bucket "$BUCKET" --query Policy --output text \
    2>"$WORK/policy.err"); then
    if ! command -v jq >/dev/null 2>&1; then
      log "s3://$BUCKET already has a bucket policy and jq is not installed to extend it:"
      log "add this statement to it by hand, or CloudFront will get 403 from the bucket:"
      policy_statement >&2
      return
    fi
    printf '%s' "$existing" | jq --argjson s "$(policy_statement)" \
      '.Statement = ([.Statement // [] | if type == "array" then .[] else . end | select(.Sid != $s.Sid)] + [$s])' \
      >"$WORK/policy.json"
  else
    grep -q NoSuchBucketPolicy "$WORK/policy.err" ||
      die 1 "aws s3api get-bucket-policy failed: $(tr '\n' ' ' <"$WORK/policy.err")"
    printf '{ "Version": "2012-10-17", "Statement": [\n%s\n] }\n' "$(policy_statement)" >"$WORK/policy.json"
  fi
  aws_call put-policy s3api put-bucket-policy --bucket "$BUCKET" --policy "file://$WORK/policy.json" >/dev/null
  log "bucket policy of s3://$BUCKET lets distribution $DIST_ID read it"
}

# ---------------------------------------------------------------- main

main() {
  local dry_run=false region='' prefix=mockup-images
  while (($# > 0)); do
    case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    --dry-run) dry_run=true ;;
    --region)
      (($# >= 2)) || usage_error "--region needs a value"
      region=$2
      shift
      ;;
    --region=*) region=${1#--region=} ;;
    --images-prefix)
      (($# >= 2)) || usage_error "--images-prefix needs a value"
      prefix=$2
      shift
      ;;
    --images-prefix=*) prefix=${1#--images-prefix=} ;;
    --) shift && break ;;
    -*) usage_error "unknown option: $1" ;;
    *) break ;;
    esac
    shift
  done
  (($# == 2)) || usage_error "expected <bucket> <origin-domain>, got $# argument(s)"
  BUCKET=$1
  ORIGIN=${2,,}
  valid_bucket "$BUCKET" ||
    usage_error "not a valid S3 bucket name: '$BUCKET' (3-63 lowercase letters, digits, dots, hyphens)"
  valid_domain "$ORIGIN" ||
    usage_error "not a host name: '$2' (expected e.g. api.example.com: no scheme, path, port or IP address)"
  if [[ -n $region ]] && ! valid_region "$region"; then usage_error "not an AWS region: '$region'"; fi
  valid_prefix "$prefix" ||
    usage_error "not an images prefix: '$prefix' ([A-Za-z0-9_-] segments, not a path the edge serves)"
  IMAGES_PREFIX=$prefix

  WORK=$(mktemp -d)
  # shellcheck disable=SC2064 # expand WORK now: it is set once
  trap "rm -rf '$WORK'" EXIT

  if $dry_run; then
    REGION=${region:-${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}}
    OAC_ID=DRY-RUN-OAC-ID
    DENY_ARN="arn:aws:cloudfront::000000000000:function/$(deny_function_name)"
    log "dry run: nothing is created; the OAC ID and function ARN are placeholders"
    distribution_config "configure_cdn-dry-run"
    return
  fi

  require_aws
  require_credentials
  REGION=${region:-$(bucket_region)}
  log "bucket s3://$BUCKET in $REGION, API origin https://$ORIGIN, account $ACCOUNT"
  OAC_ID=$(origin_access_control)
  DENY_ARN=$(deny_function)

  # Unique per call: CloudFront treats a repeated reference as a retry.
  distribution_config "configure_cdn-$BUCKET-$(date +%s)-$$-$RANDOM" >"$WORK/distribution.json"
  DIST_ID=$(aws_call create-dist cloudfront create-distribution \
    --distribution-config "file://$WORK/distribution.json" --query Distribution.Id --output text)
  is_none "$DIST_ID" && die 1 "aws cloudfront create-distribution returned no ID"
  log "created distribution $DIST_ID (deploying takes a few minutes)"
  grant_bucket_read
  printf '%s\n' "$DIST_ID"
}

main "$@"
