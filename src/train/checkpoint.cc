#include "train/checkpoint.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string_view>
#include <vector>

#include "core/atomic_file.h"
#include "embkit/error.h"

namespace embkit::train {
namespace {

constexpr char kMagic[8] = {'E', 'M', 'B', 'K', 'W', '2', 'V', '\0'};
constexpr uint32_t kVersion = 3;  // 3: loss, subwords; 2: threads own interleaved blocks
constexpr uint32_t kOldestVersion = 2;

// A fast 64-bit checksum over 8-byte words (multiply-xorshift mixing), enough to catch truncation
// and corruption; not cryptographic.
class Checksum {
 public:
  void add(const void* data, size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) {
      pending_ |= static_cast<uint64_t>(bytes[i]) << (8 * filled_);
      if (++filled_ == 8) mix();
    }
  }
  void add_words(const void* data, size_t size) {  // fast path for large aligned blocks
    const auto* bytes = static_cast<const unsigned char*>(data);
    size_t i = 0;
    while (i < size && filled_ != 0) add(bytes + i++, 1);
    for (; i + 8 <= size; i += 8) {
      std::memcpy(&pending_, bytes + i, 8);
      mix();
    }
    if (i < size) add(bytes + i, size - i);
  }
  uint64_t value() {
    uint64_t h = state_ ^ (pending_ * 0x9E3779B97F4A7C15ULL) ^ filled_;
    h = (h ^ (h >> 31)) * 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 29);
  }

 private:
  void mix() {
    state_ = (state_ ^ pending_) * 0xFF51AFD7ED558CCDULL;
    state_ ^= state_ >> 32;
    pending_ = 0;
    filled_ = 0;
  }
  uint64_t state_ = 0x243F6A8885A308D3ULL;
  uint64_t pending_ = 0;
  unsigned filled_ = 0;
};

class Writer {
 public:
  explicit Writer(const std::string& path) : file_(path) {}
  void bytes(const void* data, size_t size) {
    checksum_.add_words(data, size);
    file_.write(data, size);
  }
  template <typename T>
  void value(const T& v) {
    bytes(&v, sizeof v);
  }
  void matrix(const Matrix& m) {
    for (size_t r = 0; r < m.rows(); ++r) bytes(m.row(r), m.cols() * sizeof(float));
  }
  void finish() {
    uint64_t sum = checksum_.value();
    file_.write(&sum, sizeof sum);
    file_.commit();
  }

 private:
  AtomicFile file_;
  Checksum checksum_;
};

class Reader {
 public:
  Reader(const std::string& path, const std::vector<char>& content)
      : path_(path), content_(content) {}
  void bytes(void* out, size_t size) {
    if (size > content_.size() - position_) throw FormatError(path_, "checkpoint is truncated");
    std::memcpy(out, content_.data() + position_, size);
    position_ += size;
  }
  template <typename T>
  T value() {
    T v;
    bytes(&v, sizeof v);
    return v;
  }
  void matrix(Matrix& m) {
    for (size_t r = 0; r < m.rows(); ++r) bytes(m.mutable_row(r), m.cols() * sizeof(float));
  }
  size_t remaining() const { return content_.size() - position_; }

 private:
  const std::string& path_;
  const std::vector<char>& content_;
  size_t position_ = 0;
};

std::vector<char> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw IoError("open", path, errno);
  const std::streamoff size = in.tellg();
  if (size < 0) throw IoError("read", path, errno);
  std::vector<char> content(static_cast<size_t>(size));
  in.seekg(0);
  if (!in.read(content.data(), static_cast<std::streamsize>(content.size())))
    throw IoError("read", path, errno);
  return content;
}

}  // namespace

uint64_t vocabulary_hash(const Vocab& vocab) {
  uint64_t h = 0x84222325CBF29CE4ULL ^ vocab.size();
  for (size_t i = 0; i < vocab.size(); ++i) {
    h = (h ^ hash_word(vocab.word(i))) * 0x100000001B3ULL;
    h = (h ^ vocab.count(i)) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 29;
  }
  return h;
}

void write_checkpoint(const std::string& path, const CheckpointState& state, const Matrix& input,
                      const Matrix& output, const Matrix& ngrams) {
  Writer out(path);
  out.bytes(kMagic, sizeof kMagic);
  out.value(kVersion);
  const CheckpointSettings& s = state.settings;
  out.value(s.architecture);
  out.value(s.minibatch);
  for (uint32_t v : {s.loss, s.minn, s.maxn, s.bucket}) out.value(v);
  for (uint64_t v : {s.dim, s.window, s.negative, s.epochs}) out.value(v);
  out.value(s.sample);
  out.value(s.learning_rate);
  out.value(s.seed);
  for (uint64_t v : {state.vocab_size, state.vocab_hash, state.corpus_tokens,
                     state.corpus_sentences, state.words_processed, state.skipped,
                     state.next_block, static_cast<uint64_t>(state.cursors.size())})
    out.value(v);
  for (const ThreadCursor& c : state.cursors) {
    out.value(c.epoch);
    out.value(c.sentence);
    out.value(c.rng_state);
    out.value(c.epoch_loss);
    out.value(c.epoch_pairs);
  }
  out.value(static_cast<uint64_t>(state.loss_log.size()));
  for (const LossLogRow& row : state.loss_log) {
    out.value(row.words);
    out.value(row.epoch);
    out.value(row.fraction);
    out.value(row.learning_rate);
    out.value(row.loss);
  }
  for (const Matrix* m : {&input, &output, &ngrams}) {
    out.value(static_cast<uint64_t>(m->rows()));
    out.matrix(*m);
  }
  out.finish();
}

CheckpointState read_checkpoint(const std::string& path, Matrix& input, Matrix& output,
                                Matrix& ngrams) {
  std::vector<char> content = read_whole_file(path);
  if (content.size() < sizeof kMagic + sizeof(uint64_t) ||
      std::memcmp(content.data(), kMagic, sizeof kMagic) != 0)
    throw FormatError(path, "not an embkit word2vec checkpoint");
  {
    Checksum checksum;
    checksum.add_words(content.data(), content.size() - sizeof(uint64_t));
    uint64_t stored;
    std::memcpy(&stored, content.data() + content.size() - sizeof stored, sizeof stored);
    if (stored != checksum.value())
      throw FormatError(path, "checkpoint is truncated or corrupt (checksum mismatch)");
  }
  Reader in(path, content);
  char magic[sizeof kMagic];
  in.bytes(magic, sizeof magic);
  uint32_t version = in.value<uint32_t>();
  if (version < kOldestVersion || version > kVersion)
    throw FormatError(path, fmt::format("unsupported checkpoint version {}", version));
  CheckpointState state;
  CheckpointSettings& s = state.settings;
  s.architecture = in.value<uint32_t>();
  s.minibatch = in.value<uint32_t>();
  if (version >= 3) {
    s.loss = in.value<uint32_t>();
    s.minn = in.value<uint32_t>();
    s.maxn = in.value<uint32_t>();
    s.bucket = in.value<uint32_t>();
  }
  s.dim = in.value<uint64_t>();
  s.window = in.value<uint64_t>();
  s.negative = in.value<uint64_t>();
  s.epochs = in.value<uint64_t>();
  s.sample = in.value<double>();
  s.learning_rate = in.value<double>();
  s.seed = in.value<uint64_t>();
  state.vocab_size = in.value<uint64_t>();
  state.vocab_hash = in.value<uint64_t>();
  state.corpus_tokens = in.value<uint64_t>();
  state.corpus_sentences = in.value<uint64_t>();
  state.words_processed = in.value<uint64_t>();
  state.skipped = in.value<uint64_t>();
  state.next_block = in.value<uint64_t>();
  uint64_t threads = in.value<uint64_t>();
  if (threads == 0 || threads > 4096) throw FormatError(path, "checkpoint has a bad thread count");
  state.cursors.resize(threads);
  for (ThreadCursor& c : state.cursors) {
    c.epoch = in.value<uint64_t>();
    c.sentence = in.value<uint64_t>();
    c.rng_state = in.value<uint64_t>();
    c.epoch_loss = in.value<double>();
    c.epoch_pairs = in.value<uint64_t>();
  }
  uint64_t log_rows = in.value<uint64_t>();
  if (log_rows > in.remaining() / (5 * sizeof(uint64_t)))
    throw FormatError(path, "checkpoint has a bad loss-log length");
  state.loss_log.resize(log_rows);
  for (LossLogRow& row : state.loss_log) {
    row.words = in.value<uint64_t>();
    row.epoch = in.value<uint64_t>();
    row.fraction = in.value<double>();
    row.learning_rate = in.value<double>();
    row.loss = in.value<double>();
  }
  if (s.dim == 0 || s.dim > (uint64_t{1} << 20))
    throw FormatError(path, "checkpoint matrices do not match its header");
  const uint64_t row_bytes = s.dim * sizeof(float);
  auto read_matrix = [&](Matrix& m, uint64_t want_rows, bool exact) {
    const uint64_t rows = in.value<uint64_t>();
    if ((exact && rows != want_rows) || rows > (uint64_t{1} << 32) ||
        rows > in.remaining() / row_bytes)
      throw FormatError(path, "checkpoint matrices do not match its header");
    m = Matrix(rows, s.dim);
    in.matrix(m);
  };
  if (version == 2) {
    const uint64_t rows = in.value<uint64_t>();
    if (rows != state.vocab_size || rows > (uint64_t{1} << 32) ||
        in.remaining() != 2 * rows * row_bytes + sizeof(uint64_t))
      throw FormatError(path, "checkpoint matrices do not match its header");
    input = Matrix(rows, s.dim);
    output = Matrix(rows, s.dim);
    in.matrix(input);
    in.matrix(output);
    ngrams = Matrix();
    return state;
  }
  read_matrix(input, state.vocab_size, true);
  read_matrix(output, 0, false);
  read_matrix(ngrams, s.maxn > 0 ? s.bucket : 0, true);
  if (in.remaining() != sizeof(uint64_t))
    throw FormatError(path, "checkpoint matrices do not match its header");
  return state;
}

}  // namespace embkit::train
