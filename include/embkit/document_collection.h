// A document collection read from a text file, one document per line (line i is document i; empty
// lines are empty documents), with the corpus reader's tokenisation; and row labels for it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "embkit/corpus_reader.h"
#include "embkit/vocab.h"

namespace embkit {

// The documents of a collection as word ids, with every distinct word (ids in order of first
// appearance), its total count and its document frequency.
class DocumentCollection {
 public:
  // `name` is the collection's file, used in error messages ("documents" when empty).
  explicit DocumentCollection(std::string name = {});
  ~DocumentCollection();
  DocumentCollection(DocumentCollection&&) noexcept;
  DocumentCollection& operator=(DocumentCollection&&) noexcept;

  // Appends a document made of `tokens` (an empty span appends an empty document).
  void add(std::span<const std::string_view> tokens);

  size_t size() const;      // documents
  uint64_t tokens() const;  // tokens of all documents
  size_t words() const;     // distinct words
  std::string_view word(uint32_t id) const;
  uint64_t count(uint32_t id) const;               // occurrences in all documents
  uint64_t document_frequency(uint32_t id) const;  // documents that contain the word
  // The word ids of document `index`, in text order.
  std::span<const uint32_t> document(size_t index) const;
  const std::string& name() const;

 private:
  struct Impl;
  friend DocumentCollection read_documents(const std::string&, const CorpusOptions&,
                                           const std::function<void(double)>&);
  std::unique_ptr<Impl> impl_;
};

// Reads a text file (plain, .gz, .xz or .zst) with one document per line; tokens as CorpusReader
// gives them (`options.lowercase_and_split_punctuation`; lines cut into max_sentence_tokens pieces
// are joined back into one document). Document i is line i + 1 of the file, empty and blank lines
// and trailing ones included; an empty file has no documents. `on_progress(fraction)` is called
// now and then. Throws IoError when the file cannot be read and FormatError (file and line) for
// binary junk, invalid UTF-8 and corrupt compressed data.
DocumentCollection read_documents(const std::string& path, const CorpusOptions& options = {},
                                  const std::function<void(double)>& on_progress = {});

// Row labels for `documents` documents: their line numbers "1", "2", ... when `labels_path` is
// empty, else the lines of that file, one label per document. Throws IoError when the file cannot
// be read and FormatError when the number of labels differs from the number of documents or a
// label is empty, not UTF-8 or repeated (naming the line).
Vocab document_labels(size_t documents, const std::string& labels_path = {});

}  // namespace embkit
