// The bytes libFuzzer hands a target, written to a file of this process's own temporary folder, since
// embkit's loaders read paths (they map files and look at their names). Errors embkit throws for bad
// input are the expected outcome; anything else (a crash, a sanitizer report, another exception
// type, a hang) is a finding.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "embkit/error.h"
#include "embkit/io.h"

namespace embkit::fuzz {

inline const std::filesystem::path& scratch_directory() {
  static const std::filesystem::path directory = [] {
    auto path = std::filesystem::temp_directory_path() / ("embkit-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  return directory;
}

// Writes `bytes` to `name` in the scratch folder and returns its path.
inline std::string write_input(std::string_view name, std::string_view bytes) {
  std::string path = (scratch_directory() / std::string(name)).string();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) std::abort();
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size()) std::abort();
  if (std::fclose(file) != 0) std::abort();
  return path;
}

// Inputs made of two files (a .npy and its labels) split at the first occurrence of this marker;
// the seed corpora use it too.
inline constexpr std::string_view kPartSeparator = "\n--embkit-fuzz-part--\n";

inline std::pair<std::string_view, std::string_view> split_parts(std::string_view bytes) {
  size_t at = bytes.find(kPartSeparator);
  if (at == std::string_view::npos) return {bytes, {}};
  return {bytes.substr(0, at), bytes.substr(at + kPartSeparator.size())};
}

inline std::string_view as_bytes(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input as the file `name`, loaded with `format` (Auto: detected) on one thread; a returned
// model is read through (every word and value), as `info` and `neighbors` would.
inline void load_as(std::string_view name, Format format, const uint8_t* data, size_t size) {
  std::string path = write_input(name, as_bytes(data, size));
  LoadOptions options;
  options.format = format;
  options.threads = 1;
  try {
    KeyedVectors vectors = load(path, options);
    volatile size_t sink = 0;
    for (size_t i = 0; i < vectors.size(); ++i) {
      sink = sink + vectors.vocab().word(i).size();
      const float* row = vectors.vectors().row(i);
      for (size_t j = 0; j < vectors.dim(); ++j) sink = sink + (row[j] > 0);
    }
  } catch (const Error&) {
  }
}

}  // namespace embkit::fuzz
