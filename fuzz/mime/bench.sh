#!/usr/bin/env bash
# Per-message cost of the MIME ingest step, built with -O like a release (swiftc, no SwiftPM):
#   bash fuzz/mime/bench.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${TMPDIR:-/tmp}/mailgate-bench-mime"
mkdir -p "$build"
swiftc -O -wmo -parse-as-library -c -module-name MailgateCore -I "$root/Sources/CCrypto" \
  -emit-module -emit-module-path "$build/MailgateCore.swiftmodule" -o "$build/MailgateCore.o" \
  $(find "$root/Sources/MailgateCore" -name '*.swift' | sort)
swiftc -O -wmo -parse-as-library -c -module-name MailgateMIME -I "$build" -I "$root/Sources/CCrypto" \
  -emit-module -emit-module-path "$build/MailgateMIME.swiftmodule" -o "$build/MailgateMIME.o" \
  $(find "$root/Sources/MailgateMIME" -name '*.swift' | sort)
swiftc -O -I "$build" -I "$root/Sources/CCrypto" "$root/fuzz/mime/Bench.swift" \
  "$build/MailgateCore.o" "$build/MailgateMIME.o" -lcrypto -o "$build/bench-mime"
"$build/bench-mime"
