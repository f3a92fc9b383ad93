// prepare_corpus (embkit/prepare_corpus.h): the file's sentences from the tokenizer handed to a
// CorpusEncoder, with progress by bytes read.
#include "embkit/prepare_corpus.h"

#include "text/chunk_prefetcher.h"
#include "text/tokenizer.h"

namespace embkit {

namespace {

struct EncodingSink {
  CorpusEncoder& encoder;
  void token(std::string_view word) { encoder.add_token(word); }
};

}  // namespace

PreparedCorpus prepare_corpus(const std::string& path, const VocabOptions& vocab_options,
                              const CorpusOptions& corpus_options,
                              const std::function<void(double)>& on_progress) {
  CorpusEncoder encoder(path, corpus_options.max_sentence_tokens);
  {
    ChunkPrefetcher source(path);
    Tokenizer tokenizer(source, corpus_options, path);
    EncodingSink sink{encoder};
    uint64_t reported_bytes = 0;
    while (tokenizer.next_sentence(sink)) {
      encoder.end_sentence();
      if (on_progress && source.bytes_consumed() != reported_bytes) {
        reported_bytes = source.bytes_consumed();
        on_progress(source.file_bytes() ? double(reported_bytes) / double(source.file_bytes()) : 1);
      }
    }
  }
  PreparedCorpus prepared = encoder.finish(vocab_options);
  if (on_progress) on_progress(1.0);
  return prepared;
}

}  // namespace embkit
