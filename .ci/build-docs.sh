#!/usr/bin/env bash
# Builds every DocC catalog in Documentation/ from symbol graphs, with the toolchain's docc and no plugin.
# Fails on any documentation warning. Usage: .ci/build-docs.sh [output-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/docs}
graphs=.build/symbol-graphs
rm -rf "$graphs" "$out"
mkdir -p "$graphs" "$out"
swift package dump-symbol-graph --minimum-access-level public >/dev/null
source_dir=$(find .build -type d -name symbolgraph | head -n 1)
[ -n "$source_dir" ] || { echo "no symbol graphs were written" >&2; exit 1; }
docc=$(command -v docc || xcrun --find docc)
status=0
for catalog in Documentation/*.docc; do
    module=$(basename "$catalog" .docc)
    module_graphs="$graphs/$module"
    mkdir -p "$module_graphs"
    cp "$source_dir/$module".symbols.json "$source_dir/$module"@*.symbols.json "$module_graphs/" 2>/dev/null || true
    if [ ! -f "$module_graphs/$module.symbols.json" ]; then
        echo "error: no symbol graph for module $module" >&2
        status=1
        continue
    fi
    echo "== docc: $module"
    log=$(mktemp)
    if ! "$docc" convert "$catalog" \
        --additional-symbol-graph-dir "$module_graphs" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.iteratedamplification.$module" \
        --output-path "$out/$module.doccarchive" --warnings-as-errors >"$log" 2>&1; then
        cat "$log"
        status=1
    elif grep -qiE 'warning|error' "$log"; then
        cat "$log"
        status=1
    fi
    rm -f "$log"
done
exit $status
