#include "embkit/error.h"

#include <cstring>

#include <fmt/format.h>

#include "io/utf8.h"

namespace embkit {

FormatError::FormatError(std::string_view path, size_t line, std::string_view message)
    : Error(line ? fmt::format("{}:{}: {}", path, line, message) : fmt::format("{}: {}", path, message)),
      path_(path),
      line_(line) {}

IoError::IoError(std::string_view action, std::string_view path, int errno_value)
    : Error(fmt::format("cannot {} '{}': {}", action, path, std::strerror(errno_value))) {}

KeyError::KeyError(std::string_view word)
    : Error(fmt::format("word '{}' is not in the vocabulary", quote_word(word))), word_(word) {}

KeyError::KeyError(std::string_view word, std::string_view note)
    : Error(fmt::format("word '{}' is not in the vocabulary ({})", quote_word(word), note)),
      word_(word) {}

}  // namespace embkit
