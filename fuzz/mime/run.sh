#!/usr/bin/env bash
# Builds the MailgateMIME libFuzzer target with swiftc (no SwiftPM) and fuzzes it.
#   bash fuzz/mime/run.sh SECONDS      (default 60)
# Seeds: the MIME corpus (Tests/MIMECorpus/generate.py). Each input is limited to 10 s and the
# process to 2 GiB of RSS; a crash, timeout or leak of that size fails the run (exit 1) and leaves
# the input in $WORK/artifacts/. Set FUZZ_WORK to keep the grown corpus somewhere else.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${FUZZ_WORK:-${TMPDIR:-/tmp}/mailgate-fuzz-mime}"
build="$work/build"
mkdir -p "$build" "$work/corpus" "$work/artifacts"

sources_core=$(find "$root/Sources/MailgateCore" -name '*.swift' | sort)
sources_mime=$(find "$root/Sources/MailgateMIME" -name '*.swift' | sort)
binary="$build/fuzz-mime"
flags=(-O -sanitize=fuzzer,address -parse-as-library -swift-version 6)

# Rebuild only when a source is newer than the binary.
if [ ! -x "$binary" ] || [ -n "$(find "$root/Sources/MailgateCore" "$root/Sources/MailgateMIME" "$root/fuzz/mime" \
        -newer "$binary" -name '*.swift' | head -1)" ]; then
  echo "building $binary" >&2
  swiftc "${flags[@]}" -wmo -c -module-name MailgateCore -I "$root/Sources/CCrypto" \
    -emit-module -emit-module-path "$build/MailgateCore.swiftmodule" -o "$build/MailgateCore.o" $sources_core
  swiftc "${flags[@]}" -wmo -c -module-name MailgateMIME -I "$build" -I "$root/Sources/CCrypto" \
    -emit-module -emit-module-path "$build/MailgateMIME.swiftmodule" -o "$build/MailgateMIME.o" $sources_mime
  swiftc "${flags[@]}" -module-name FuzzMIME -I "$build" -I "$root/Sources/CCrypto" \
    "$root/fuzz/mime/FuzzMIME.swift" "$build/MailgateCore.o" "$build/MailgateMIME.o" -lcrypto -o "$binary"
fi

if [ ! -f "$work/seed/expected.json" ]; then
  python3 "$root/Tests/MIMECorpus/generate.py" --out "$work/seed" 2>/dev/null
fi

# New inputs go to $work/corpus; the seeds are read from $work/seed.
exec "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
  -dict="$root/fuzz/mime/mime.dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
  "$work/corpus" "$work/seed"
