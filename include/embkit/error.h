// Error types. User mistakes (bad files, unknown words, bad flags) throw one of these; each message is
// one line naming the file and line, or the word, so the CLI can print it as `embkit: error: <what()>`.
// Broken internal invariants use assert() instead: user input must never reach an assertion.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace embkit {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A file whose content is wrong: "path:line: message" (or "path: message" when line is 0).
class FormatError : public Error {
 public:
  FormatError(std::string_view path, size_t line, std::string_view message);
  FormatError(std::string_view path, std::string_view message) : FormatError(path, 0, message) {}
  const std::string& path() const { return path_; }
  size_t line() const { return line_; }

 private:
  std::string path_;
  size_t line_ = 0;
};

// A file that cannot be opened, read or written (missing, permissions, disk full).
class IoError : public Error {
 public:
  using Error::Error;
  // "cannot <action> 'path': <strerror(errno_value)>"
  IoError(std::string_view action, std::string_view path, int errno_value);
};

// A word that is not in the vocabulary.
class KeyError : public Error {
 public:
  explicit KeyError(std::string_view word);
  // With a note after the message: "word 'x' is not in the vocabulary (note)".
  KeyError(std::string_view word, std::string_view note);
  const std::string& word() const { return word_; }

 private:
  std::string word_;
};

// A bad argument: wrong option value, inconsistent dimensions, empty input where one is required.
class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace embkit
