// prepare_corpus: a training corpus file read once into a vocabulary and word ids
// (corpus_reader.h's tokenisation, corpus_encoder.h's vocabulary rule).
#pragma once

#include <functional>
#include <string>

#include "embkit/corpus_encoder.h"
#include "embkit/corpus_reader.h"

namespace embkit {

// One pass over the file: counts every distinct word (memory grows with the vocabulary, not the
// corpus) while recording provisional ids, then keeps the words of min_count / max_vocab and maps the
// ids. `on_progress(fraction)` is called now and then. Throws FormatError for an empty corpus, for a
// corpus where no word reaches min_count, and for binary junk (NUL bytes / invalid UTF-8), naming the
// file and line.
PreparedCorpus prepare_corpus(const std::string& path, const VocabOptions& vocab_options,
                              const CorpusOptions& corpus_options = {},
                              const std::function<void(double)>& on_progress = {});

}  // namespace embkit
