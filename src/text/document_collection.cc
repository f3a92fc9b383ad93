// The document collection (embkit/document_collection.h): word ids per document, counts and
// document frequencies; reading one document per line; row labels.
#include "embkit/document_collection.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/mapped_file.h"
#include "embkit/error.h"
#include "io/utf8.h"
#include "text/chunk_prefetcher.h"
#include "text/tokenizer.h"
#include "text/word_counter.h"

namespace embkit {

struct DocumentCollection::Impl {
  struct WordDocuments {
    uint64_t last = 0;       // 1 + the last document that contains the word
    uint64_t frequency = 0;  // documents that contain it
  };

  std::string name;
  WordCounter counter;
  std::vector<WordDocuments> word_documents;  // per word id
  std::vector<uint32_t> ids;
  std::vector<uint64_t> ends;  // document i is ids[ends[i - 1], ends[i])

  // Adds a token to the open document (number ends.size()).
  void add_token(std::string_view token) {
    const uint32_t id = counter.add(token, name);
    if (id == word_documents.size()) word_documents.emplace_back();
    WordDocuments& documents = word_documents[id];
    if (documents.last != ends.size() + 1) {
      documents.last = ends.size() + 1;
      ++documents.frequency;
    }
    ids.push_back(id);
  }
  void close_document() { ends.push_back(ids.size()); }
};

DocumentCollection::DocumentCollection(std::string name) : impl_(std::make_unique<Impl>()) {
  impl_->name = name.empty() ? "documents" : std::move(name);
}
DocumentCollection::~DocumentCollection() = default;
DocumentCollection::DocumentCollection(DocumentCollection&&) noexcept = default;
DocumentCollection& DocumentCollection::operator=(DocumentCollection&&) noexcept = default;

void DocumentCollection::add(std::span<const std::string_view> tokens) {
  for (std::string_view token : tokens) impl_->add_token(token);
  impl_->close_document();
}

size_t DocumentCollection::size() const { return impl_->ends.size(); }
uint64_t DocumentCollection::tokens() const { return impl_->ids.size(); }
size_t DocumentCollection::words() const { return impl_->counter.size(); }
std::string_view DocumentCollection::word(uint32_t id) const { return impl_->counter.word(id); }
uint64_t DocumentCollection::count(uint32_t id) const { return impl_->counter.count(id); }
uint64_t DocumentCollection::document_frequency(uint32_t id) const {
  return impl_->word_documents[id].frequency;
}
std::span<const uint32_t> DocumentCollection::document(size_t index) const {
  const uint64_t begin = index == 0 ? 0 : impl_->ends[index - 1];
  return {impl_->ids.data() + begin, impl_->ids.data() + impl_->ends[index]};
}
const std::string& DocumentCollection::name() const { return impl_->name; }

DocumentCollection read_documents(const std::string& path, const CorpusOptions& options,
                                  const std::function<void(double)>& on_progress) {
  DocumentCollection collection(path);
  // The tokenizer (as CorpusReader uses it) hands tokens straight to the collection: the line of a
  // sentence is known from its first token on, so blank lines are filled in and the pieces of a
  // line cut at max_sentence_tokens land in one document.
  struct Sink {
    DocumentCollection::Impl& documents;
    const Tokenizer* tokenizer = nullptr;
    size_t open_line = 0;  // the line of the open document; 0 = none is open
    void token(std::string_view word) {
      const size_t line = tokenizer->sentence_line();
      if (line != open_line) {
        if (open_line != 0) documents.close_document();
        while (documents.ends.size() + 1 < line) documents.close_document();
        open_line = line;
      }
      documents.add_token(word);
    }
  } sink{*collection.impl_};
  ChunkPrefetcher source(path);
  Tokenizer tokenizer(source, options, path);
  sink.tokenizer = &tokenizer;
  for (size_t sentences = 0; tokenizer.next_sentence(sink); ++sentences)
    if (on_progress && sentences % 4096 == 0 && source.file_bytes() > 0)
      on_progress(static_cast<double>(source.bytes_consumed()) / source.file_bytes());
  if (sink.open_line != 0) collection.impl_->close_document();
  // Blank lines after the last token, counted by the same single pass (a pipe cannot be read again).
  while (collection.size() < tokenizer.lines()) collection.impl_->close_document();
  if (on_progress) on_progress(1.0);
  return collection;
}

Vocab document_labels(size_t documents, const std::string& labels_path) {
  Vocab labels;
  if (labels_path.empty()) {
    for (size_t i = 1; i <= documents; ++i) labels.add(std::to_string(i));
    return labels;
  }
  auto file = MappedFile::open(labels_path, MappedFile::Access::Sequential);
  std::string_view text = strip_utf8_bom(file->bytes());
  const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) +
                       (!text.empty() && text.back() != '\n');
  if (lines != documents)
    throw FormatError(labels_path, fmt::format("has {} labels for {} documents", lines, documents));
  labels.reserve(documents, text.size());
  for (size_t line = 1; line <= lines; ++line) {
    const size_t end = std::min(text.find('\n'), text.size());
    std::string_view label = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (!label.empty() && label.back() == '\r') label.remove_suffix(1);
    if (label.empty()) throw FormatError(labels_path, line, "empty label");
    if (!is_valid_utf8(label)) throw FormatError(labels_path, line, "label is not UTF-8 text");
    if (!labels.add(label))
      throw FormatError(labels_path, line,
                        fmt::format("duplicate label '{}' (first on line {})", quote_word(label),
                                    *labels.find(label) + 1));
  }
  return labels;
}

}  // namespace embkit
