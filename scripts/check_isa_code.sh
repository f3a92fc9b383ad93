#!/bin/sh
# Fails when instruction-set-specific code bypasses the kernel tables: target attributes, target
# pragmas, target_clones or intrinsics outside src/kernels/, or a CPU feature query outside
# src/kernels/isa.cc (see src/kernels/isa.h).
# usage: scripts/check_isa_code.sh [SOURCE_DIR]
set -eu
root=${1:-$(dirname "$0")/..}
cd "$root"
status=0
outside=$(grep -rnE 'target_clones|__attribute__ *\(\(target|pragma GCC target|pragma clang attribute|EMBKIT_TARGET_BEGIN|immintrin|[a-z]mmintrin\.h' \
  src python/src --include='*.cc' --include='*.h' | grep -v '^src/kernels/' || true)
if [ -n "$outside" ]; then
  echo "instruction-set-specific code outside src/kernels/ (put it in a kernel table):" >&2
  echo "$outside" >&2
  status=1
fi
queries=$(grep -rnE '__builtin_cpu_(supports|is)|__get_cpuid|cpuid\.h' src python/src \
  --include='*.cc' --include='*.h' | grep -v '^src/kernels/isa\.cc:' || true)
if [ -n "$queries" ]; then
  echo "CPU feature queries outside src/kernels/isa.cc (use kernels::isa_supported):" >&2
  echo "$queries" >&2
  status=1
fi
exit $status
