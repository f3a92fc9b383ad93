#include "io/detect.h"

#include <fmt/format.h>

#include <cstring>
#include <filesystem>

#include "embkit/error.h"
#include "embkit/fasttext_model.h"
#include "embkit/vector_index.h"
#include "io/model_bytes.h"
#include "io/text_vectors.h"
#include "io/word2vec_text.h"

namespace embkit {

namespace {

std::string extension_of(const std::string& path) {
  std::filesystem::path p(path);
  std::string ext = p.extension().string();
  if (ext == ".gz" || ext == ".xz" || ext == ".zst") ext = p.stem().extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

bool in_number_alphabet(unsigned char c) {
  return (c >= '0' && c <= '9') ||
         (c != 0 && std::strchr(".-+eEnNaAiIfFtTyY \t\r\n", c) != nullptr);
}

bool looks_like_native(std::string_view head) {
  if (head.size() < 9) return false;
  uint64_t length;
  std::memcpy(&length, head.data(), 8);
  return length >= 2 && length < (100u << 20) && head[8] == '{';
}

bool all_number_like(std::string_view bytes) {
  for (unsigned char c : bytes)
    if (!in_number_alphabet(c)) return false;
  return true;
}

// After a word2vec header: binary floats are almost never all characters of decimal numbers (the
// exponent byte of a typical float is '<', '=', '>', '?' or >= 0x80, and 0.0f is four NUL bytes),
// while a text line is "word" plus exactly `dim` number tokens. Only when both readings fit exactly
// (the line ends right after 4 * dim number-like bytes) does the extension decide.
Format text_or_binary(std::string_view body, size_t dim, const std::string& extension) {
  size_t space = body.find(' ');
  if (space == std::string_view::npos) return extension == ".bin" ? Format::Bin : Format::Vec;
  std::string_view floats = body.substr(space + 1, std::min<size_t>(dim, 64) * sizeof(float));
  bool surely_binary = !all_number_like(floats);
  std::string_view line = first_line_of(body);
  std::string_view values = line.substr(std::min(line.size(), space + 1));
  bool reads_as_text = space < line.size() && count_values(line) == dim && all_number_like(values);
  bool binary_fits_line = !surely_binary && line.size() == space + 1 + dim * sizeof(float);
  if (reads_as_text) return extension == ".bin" && binary_fits_line ? Format::Bin : Format::Vec;
  return surely_binary || extension == ".bin" ? Format::Bin : Format::Vec;
}

bool looks_like_glove_line(std::string_view line) {
  size_t values = count_values(line);
  if (values == 0) return false;
  size_t space = line.find_first_of(" \t");
  return all_number_like(line.substr(space + 1));
}

}  // namespace

Format detect_format_of(std::string_view head, const std::string& path) {
  if (head.empty()) throw FormatError(path, "file is empty");
  if (head.substr(0, 6) == "\x93NUMPY") return Format::Npy;
  if (looks_like_index(head))
    throw FormatError(path,
                      "an embkit index, not a model (`embkit index search` searches it, `embkit "
                      "info` describes it)");
  if (looks_like_fasttext_model(head.data(), head.size())) return Format::FastText;
  if (looks_like_native(head)) return Format::Native;
  std::string extension = extension_of(path);
  std::string_view line = first_line_of(head);
  if (auto header = parse_word2vec_header(line)) {
    size_t newline = head.find('\n');
    std::string_view body =
        newline == std::string_view::npos ? std::string_view{} : head.substr(newline + 1);
    return text_or_binary(body, header->second, extension);
  }
  if (looks_like_glove_line(line)) return Format::Glove;
  throw FormatError(path,
                    "not a recognised embedding file (expected word2vec text or binary, "
                    "GloVe text, .npy or embkit native)");
}

Format detect_format(const std::string& path) {
  return detect_format_of(read_model_head(path, kDetectionBytes), path);
}

Format format_for_output(const std::string& path) {
  std::string extension = extension_of(path);
  if (extension == ".bin") return Format::Bin;
  if (extension == ".ftz") return Format::FastText;
  if (extension == ".npy") return Format::Npy;
  if (extension == ".vec" || extension == ".txt") return Format::Vec;
  if (extension == ".glove") return Format::Glove;
  return Format::Native;
}

Format format_for_output(const std::string& path, const KeyedVectors& vectors) {
  Format format = format_for_output(path);
  if (format == Format::Bin && vectors.has_subwords()) return Format::FastText;
  return format;
}

std::string_view format_name(Format format) {
  switch (format) {
    case Format::Auto:
      return "auto";
    case Format::Native:
      return "native";
    case Format::Vec:
      return "vec";
    case Format::Glove:
      return "glove";
    case Format::Bin:
      return "bin";
    case Format::Npy:
      return "npy";
    case Format::FastText:
      return "fasttext-bin";
  }
  return "auto";
}

Format parse_format(std::string_view name) {
  struct Alias {
    std::string_view name;
    Format format;
  };
  static constexpr Alias kAliases[] = {
      {"auto", Format::Auto},          {"native", Format::Native}, {"emb", Format::Native},
      {"safetensors", Format::Native}, {"vec", Format::Vec},       {"w2v", Format::Vec},
      {"word2vec", Format::Vec},       {"fasttext", Format::Vec},  {"txt", Format::Vec},
      {"glove", Format::Glove},        {"bin", Format::Bin},       {"npy", Format::Npy},
      {"fasttext-bin", Format::FastText}, {"ftz", Format::FastText},
      {"fasttext.bin", Format::FastText},
  };
  for (const Alias& alias : kAliases)
    if (alias.name == name) return alias.format;
  throw UsageError(
      fmt::format("unknown format '{}' (expected native, vec, glove, bin, npy or fasttext-bin)",
                  name));
}

}  // namespace embkit
