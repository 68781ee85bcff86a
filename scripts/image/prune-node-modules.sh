#!/bin/sh
# Removes from an installed node_modules what the running image never loads:
# onnxruntime-node's binaries for other platforms (243 of its 288 MB) and
# better-sqlite3's sources and build intermediates (its addon stays).
# Usage: prune-node-modules.sh NODE_MODULES_DIR   (run where node is on PATH)
set -eu
dir=${1:?node_modules folder}
platform=$(node -p 'process.platform')
arch=$(node -p 'process.arch')

ort="$dir/onnxruntime-node/bin/napi-v6"
if [ -d "$ort/$platform/$arch" ]; then
  for p in "$ort"/*/*; do
    [ "$p" = "$ort/$platform/$arch" ] || rm -rf "$p"
  done
  find "$ort" -mindepth 1 -maxdepth 1 -type d -empty -delete
else
  echo "prune: onnxruntime-node has no $platform/$arch binary; left as is" >&2
fi

sqlite="$dir/better-sqlite3"
if [ -f "$sqlite/build/Release/better_sqlite3.node" ]; then
  rm -rf "$sqlite/deps" "$sqlite/src" "$sqlite/build/deps" \
    "$sqlite/build/Release/obj" "$sqlite/build/Release/obj.target" \
    "$sqlite/build/Release/sqlite3.a" "$sqlite/build/Release/test_extension.node"
fi
