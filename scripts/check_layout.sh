#!/bin/sh
# Fails when docs/layout.md does not name a public header or a source directory.
# usage: scripts/check_layout.sh [SOURCE_DIR]
set -eu
root=${1:-$(dirname "$0")/..}
page="$root/docs/layout.md"
missing=0
for h in "$root"/include/embkit/*.h; do
  name=$(basename "$h")
  grep -q "\`$name\`" "$page" || { echo "docs/layout.md: public header $name is not listed" >&2; missing=1; }
done
for d in "$root"/src/*/ "$root"/python/ "$root"/tests/ "$root"/bench/ "$root"/fuzz/ "$root"/scripts/ "$root"/docs/; do
  name="${d#"$root"/}"
  grep -q "\`$name\`" "$page" || { echo "docs/layout.md: directory $name is not listed" >&2; missing=1; }
done
exit $missing
