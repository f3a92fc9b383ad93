// fastText's own model files (.bin, .ftz) inside load() and save(); the public API is
// embkit/fasttext_model.h and the layout is in docs/formats.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "embkit/fasttext_model.h"
#include "embkit/io.h"

namespace embkit {

inline constexpr int32_t kFastTextMagic = 793712314;  // 0x2F4F16BA
inline constexpr int32_t kFastTextVersion = 12;

// Parses the whole file `bytes`; FormatErrors name `path` and the byte offset of what is wrong.
FastTextModel parse_fasttext_model(std::string_view bytes, const std::string& path);

// load(): the model's words as KeyedVectors (the first `options.limit` words when set), the
// summary of the file in `summary` when not null.
KeyedVectors load_fasttext(std::string_view bytes, const std::string& path,
                           const LoadOptions& options, FastTextSummary* summary);

// save(): make_fasttext_model() with the subword table's settings (no n-grams without one).
void save_fasttext(const KeyedVectors& vectors, const std::string& path);

}  // namespace embkit
