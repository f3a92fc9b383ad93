// Opens and closes a region of functions compiled for one instruction set, for the per-level
// translation units of the kernel tables (GCC: push_options + target; Clang: attribute push). A
// level's file includes every header it needs first, then opens the region, so that only its own
// functions, and no inline function of a shared header, are compiled for that level.
#pragma once

#define EMBKIT_PRAGMA(text) _Pragma(#text)

#if defined(__clang__)
#define EMBKIT_TARGET_BEGIN(features) \
  EMBKIT_PRAGMA(clang attribute push(__attribute__((target(features))), apply_to = function))
#define EMBKIT_TARGET_END EMBKIT_PRAGMA(clang attribute pop)
#else
#define EMBKIT_TARGET_BEGIN(features) \
  EMBKIT_PRAGMA(GCC push_options) EMBKIT_PRAGMA(GCC target(features))
#define EMBKIT_TARGET_END EMBKIT_PRAGMA(GCC pop_options)
#endif

// The features of each level. Every x86-64 CPU with AVX2 also has F16C (half-float conversions).
#define EMBKIT_AVX2_FEATURES "avx2,fma,f16c"
#define EMBKIT_AVX512_FEATURES "avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,f16c"
