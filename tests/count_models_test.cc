// Sparse matrices and their .npz files, co-occurrence counting (in memory and spilled to disk), PPMI
// and truncated SVD, and the PPMI + SVD pipeline on the planted-structure corpus.
#include <gtest/gtest.h>
#include <unistd.h>

#include <Eigen/Dense>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "count/svd_kernels.h"
#include "embkit/cooccurrence.h"
#include "embkit/error.h"
#include "embkit/ppmi_svd.h"
#include "embkit/npz.h"
#include "core/random.h"
#include "train_synthetic_corpus.h"

namespace embkit {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("embkit_count_test_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

EncodedCorpus encode(const std::vector<std::vector<uint32_t>>& sentences) {
  EncodedCorpus c;
  for (const auto& s : sentences) {
    c.ids.insert(c.ids.end(), s.begin(), s.end());
    c.sentence_ends.push_back(c.ids.size());
  }
  c.raw_tokens = c.ids.size();
  return c;
}

SparseMatrix from_dense(const std::vector<std::vector<float>>& rows, size_t cols) {
  std::vector<uint64_t> starts{0};
  std::vector<uint32_t> columns;
  std::vector<float> values;
  for (const auto& row : rows) {
    for (size_t c = 0; c < cols; ++c)
      if (row[c] != 0) {
        columns.push_back(static_cast<uint32_t>(c));
        values.push_back(row[c]);
      }
    starts.push_back(columns.size());
  }
  return SparseMatrix(rows.size(), cols, starts, columns, values);
}

TEST(Sparse, ValidatesItsArraysAndAnswersLookups) {
  SparseMatrix m = from_dense({{0, 2, 0}, {1, 0, 3}}, 3);
  EXPECT_EQ(m.nnz(), 3u);
  EXPECT_EQ(m.at(0, 1), 2.0f);
  EXPECT_EQ(m.at(1, 2), 3.0f);
  EXPECT_EQ(m.at(0, 0), 0.0f);
  SparseMatrix t = m.transpose();
  EXPECT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.at(1, 0), 2.0f);
  EXPECT_EQ(t.at(2, 1), 3.0f);
  EXPECT_EQ(t.transpose(), m);
  EXPECT_THROW(SparseMatrix(2, 3, {0, 1}, {0}, {1.0f}), UsageError);           // too few starts
  EXPECT_THROW(SparseMatrix(1, 3, {0, 2}, {2, 1}, {1.0f, 1.0f}), UsageError);  // unsorted
  EXPECT_THROW(SparseMatrix(1, 3, {0, 1}, {3}, {1.0f}), UsageError);           // column too big
  Matrix x(3, 2);
  for (size_t r = 0; r < 3; ++r)
    for (size_t c = 0; c < 2; ++c) x.mutable_row(r)[c] = float(r * 2 + c + 1);
  Matrix y = m.multiply(x, 2);  // [[0,2,0],[1,0,3]] x [[1,2],[3,4],[5,6]]
  EXPECT_FLOAT_EQ(y.row(0)[0], 6);
  EXPECT_FLOAT_EQ(y.row(0)[1], 8);
  EXPECT_FLOAT_EQ(y.row(1)[0], 16);
  EXPECT_FLOAT_EQ(y.row(1)[1], 20);
}

TEST(Sparse, NpzRoundTripAndCorruptFiles) {
  fs::path dir = temp_dir("npz");
  SparseMatrix m = from_dense({{0, 2.5f, 0, 0}, {0, 0, 0, 0}, {1, 0, -3, 0.125f}}, 4);
  const std::string path = (dir / "m.npz").string();
  save_sparse(m, path);
  EXPECT_EQ(load_sparse(path), m);
  SparseMatrix empty(3, 5);
  save_sparse(empty, (dir / "e.npz").string());
  EXPECT_EQ(load_sparse((dir / "e.npz").string()), empty);

  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto write = [&](const std::string& name, const std::string& content) {
    std::ofstream((dir / name).string(), std::ios::binary) << content;
    return (dir / name).string();
  };
  auto message = [](const std::string& p) {
    try {
      load_sparse(p);
    } catch (const FormatError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(write("trunc.npz", bytes.substr(0, bytes.size() / 2))).find("trunc.npz"),
            std::string::npos);
  std::string flipped = bytes;
  flipped[bytes.find("indices.npy") + 11 + 20] ^= 0x55;  // inside the first member's bytes
  EXPECT_NE(message(write("flip.npz", flipped)).find("CRC"), std::string::npos);
  EXPECT_NE(message(write("junk.npz", "\x7f" "ELF not a zip at all, just junk bytes here....")).find("not an .npz"),
            std::string::npos);
  EXPECT_NE(message(write("empty.npz", "")).find("empty"), std::string::npos);
  EXPECT_THROW(load_sparse((dir / "missing.npz").string()), IoError);
  fs::remove_all(dir);
}

TEST(Cooccurrence, CountsAHandMadeCorpusExactly) {
  // Sentences [0 1 2 0] and [1 3]; windows never cross the sentence boundary.
  EncodedCorpus corpus = encode({{0, 1, 2, 0}, {1, 3}});
  CooccurrenceOptions o;
  o.window = 2;
  o.threads = 1;
  SparseMatrix harmonic = count_cooccurrences(corpus, 4, o);
  std::map<std::pair<int, int>, float> want = {{{0, 1}, 1.5f}, {{1, 0}, 1.5f}, {{1, 2}, 1.0f},
                                               {{2, 1}, 1.0f}, {{0, 2}, 1.5f}, {{2, 0}, 1.5f},
                                               {{1, 3}, 1.0f}, {{3, 1}, 1.0f}};
  EXPECT_EQ(harmonic.nnz(), want.size());
  for (const auto& [at, v] : want) EXPECT_FLOAT_EQ(harmonic.at(at.first, at.second), v);
  EXPECT_EQ(harmonic.at(0, 0), 0.0f);
  EXPECT_EQ(harmonic, harmonic.transpose());  // symmetric counting gives a symmetric matrix

  o.weighting = CooccurrenceWeighting::Uniform;
  SparseMatrix uniform = count_cooccurrences(corpus, 4, o);
  EXPECT_FLOAT_EQ(uniform.at(0, 1), 2.0f);
  EXPECT_FLOAT_EQ(uniform.at(0, 2), 2.0f);
  EXPECT_FLOAT_EQ(uniform.at(1, 3), 1.0f);

  o.weighting = CooccurrenceWeighting::Harmonic;
  o.symmetric = false;  // (w, c) for contexts c left of w only
  SparseMatrix left = count_cooccurrences(corpus, 4, o);
  std::map<std::pair<int, int>, float> want_left = {{{1, 0}, 1.0f}, {{2, 1}, 1.0f}, {{2, 0}, 0.5f},
                                                    {{0, 2}, 1.0f}, {{0, 1}, 0.5f}, {{3, 1}, 1.0f}};
  EXPECT_EQ(left.nnz(), want_left.size());
  for (const auto& [at, v] : want_left) EXPECT_FLOAT_EQ(left.at(at.first, at.second), v);

  o.window = 1;
  o.symmetric = true;
  SparseMatrix narrow = count_cooccurrences(corpus, 4, o);
  EXPECT_EQ(narrow.at(0, 1), 1.0f);  // adjacent pairs only
  EXPECT_EQ(narrow.at(2, 0), 1.0f);
  EXPECT_EQ(narrow.at(0, 0), 0.0f);
  EXPECT_THROW(count_cooccurrences(encode({{0, 5}}), 4, o), UsageError);  // id outside the vocabulary
  o.window = 0;
  EXPECT_THROW(count_cooccurrences(corpus, 4, o), UsageError);
}

// Window 20 counts in units of 1/lcm(1..20) = 1/232792560, so a frequent pair overflows a 32-bit
// table cell after about 18 additions: the sums handed back on overflow must keep the counts exact,
// symmetric (where (w, w) pairs count twice) and one-sided alike.
TEST(Cooccurrence, TableCellOverflowKeepsCountsExact) {
  std::vector<uint32_t> sentence;
  for (int i = 0; i < 3000; ++i) sentence.push_back(i % 7 == 0 ? 2 : uint32_t(i % 2));
  EncodedCorpus corpus = encode({sentence});
  for (bool symmetric : {true, false}) {
    std::map<std::pair<uint32_t, uint32_t>, double> want;
    for (size_t i = 0; i < sentence.size(); ++i)
      for (size_t d = 1; d <= 20 && d <= i; ++d) {
        want[{sentence[i], sentence[i - d]}] += 1.0 / double(d);
        if (symmetric) want[{sentence[i - d], sentence[i]}] += 1.0 / double(d);
      }
    CooccurrenceOptions o;
    o.window = 20;
    o.symmetric = symmetric;
    o.threads = 2;
    SparseMatrix counts = count_cooccurrences(corpus, 3, o);
    EXPECT_EQ(counts.nnz(), want.size());
    for (const auto& [at, v] : want)
      EXPECT_NEAR(counts.at(at.first, at.second), v, 1e-6 * v) << at.first << "," << at.second;
    o.threads = 1;
    EXPECT_EQ(count_cooccurrences(corpus, 3, o), counts);
  }
}

// A Zipf-like random corpus, large enough that a tiny memory budget forces many shards.
EncodedCorpus random_corpus(size_t tokens, uint32_t vocab, uint64_t seed) {
  train::TrainRng rng(seed);
  std::vector<std::vector<uint32_t>> sentences(1);
  for (size_t i = 0; i < tokens; ++i) {
    const double u = (rng.uniform_float() + 1e-6);
    sentences.back().push_back(std::min<uint32_t>(vocab - 1, uint32_t(std::pow(double(vocab), u)) - 1));
    if (rng.below(20) == 0) sentences.emplace_back();
  }
  return encode(sentences);
}

TEST(Cooccurrence, SpillingToDiskEqualsCountingInMemoryAndCleansUp) {
  const uint32_t vocab = 3000;
  EncodedCorpus corpus = random_corpus(300000, vocab, 5);
  // Reference by brute force.
  std::map<uint64_t, double> reference;
  for (size_t s = 0; s < corpus.sentences(); ++s) {
    const uint64_t begin = s ? corpus.sentence_ends[s - 1] : 0, end = corpus.sentence_ends[s];
    for (uint64_t i = begin; i < end; ++i)
      for (uint64_t d = 1; d <= 3 && i >= begin + d; ++d) {
        uint64_t w = corpus.ids[i], c = corpus.ids[i - d];
        reference[w << 32 | c] += 1.0 / double(d);
        reference[c << 32 | w] += 1.0 / double(d);
      }
  }
  CooccurrenceOptions o;
  o.window = 3;
  o.threads = 2;
  CooccurrenceStats in_memory_stats;
  SparseMatrix in_memory = count_cooccurrences(corpus, vocab, o, &in_memory_stats);
  EXPECT_EQ(in_memory_stats.shards, 0u);
  EXPECT_EQ(in_memory.nnz(), reference.size());
  for (const auto& [key, value] : reference)
    ASSERT_NEAR(in_memory.at(key >> 32, key & 0xffffffff), value, 1e-6 * value);

  o.threads = 1;
  EXPECT_EQ(count_cooccurrences(corpus, vocab, o), in_memory);

  // A bigger corpus under a ~0.5 MB budget: hundreds of shards, merged in rounds (at most 128 files
  // open at once), must give the in-memory result bit for bit (sums are exact integers in units of
  // 1/lcm(1..window)), and no shard may be left behind.
  EncodedCorpus big = random_corpus(1500000, 20000, 6);
  o.threads = 2;
  SparseMatrix big_in_memory = count_cooccurrences(big, 20000, o);
  fs::path dir = temp_dir("spill");
  o.memory_gb = 0.0005;
  o.temp_dir = dir.string();
  CooccurrenceStats spilled_stats;
  SparseMatrix spilled = count_cooccurrences(big, 20000, o, &spilled_stats);
  EXPECT_GT(spilled_stats.shards, 128u);
  EXPECT_GT(spilled_stats.spilled_bytes, 0u);
  EXPECT_EQ(spilled, big_in_memory);
  EXPECT_TRUE(fs::is_empty(dir)) << "shards left behind";
  o.temp_dir = (dir / "no-such-dir").string();
  EXPECT_THROW(count_cooccurrences(corpus, vocab, o), IoError);
  fs::remove_all(dir);
}

TEST(Ppmi, MatchesTheFormulaWithSmoothingAndShift) {
  SparseMatrix counts = from_dense({{0, 4, 1}, {4, 2, 0}, {1, 0, 8}}, 3);
  PpmiOptions o;
  o.smoothing = 0.75;
  o.shift = 2.0;
  SparseMatrix p = ppmi(counts, o);
  std::vector<double> row(3, 0), col(3, 0);
  for (size_t r = 0; r < 3; ++r)
    for (size_t c = 0; c < 3; ++c) {
      row[r] += counts.at(r, c);
      col[c] += counts.at(r, c);
    }
  double total = row[0] + row[1] + row[2];
  double smoothed = 0;
  for (double c : col) smoothed += std::pow(c, 0.75);
  for (size_t r = 0; r < 3; ++r)
    for (size_t c = 0; c < 3; ++c) {
      double n = counts.at(r, c);
      double want = 0;
      if (n > 0) {
        double pmi = std::log((n / total) / ((row[r] / total) * (std::pow(col[c], 0.75) / smoothed))) -
                     std::log(2.0);
        want = std::max(0.0, pmi);
      }
      EXPECT_NEAR(p.at(r, c), want, 1e-6) << r << "," << c;
      if (want == 0) {
        auto cols = p.row_columns(r);
        EXPECT_EQ(std::find(cols.begin(), cols.end(), c), cols.end()) << "clipped entries are dropped";
      }
    }
  o.smoothing = 0;
  EXPECT_THROW(ppmi(counts, o), UsageError);
}

// A random sparse matrix with a planted rank-8 structure plus noise.
SparseMatrix planted_low_rank(size_t rows, size_t cols, uint64_t seed, Eigen::MatrixXd& dense) {
  train::TrainRng rng(seed);
  Eigen::MatrixXd left(rows, 8), right(cols, 8);
  for (Eigen::Index i = 0; i < left.size(); ++i) left.data()[i] = rng.uniform_float() - 0.5;
  for (Eigen::Index i = 0; i < right.size(); ++i) right.data()[i] = rng.uniform_float() - 0.5;
  dense = left * right.transpose();
  std::vector<std::vector<float>> rows_out(rows, std::vector<float>(cols, 0));
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) {
      if (rng.below(3) == 0) dense(r, c) = 0;  // sparsify
      else dense(r, c) += 0.01 * (rng.uniform_float() - 0.5);
      dense(r, c) = float(dense(r, c));
      rows_out[r][c] = float(dense(r, c));
    }
  return from_dense(rows_out, cols);
}

TEST(TruncatedSvd, RandomizedAndLanczosMatchAnExactSvd) {
  Eigen::MatrixXd dense;
  SparseMatrix a = planted_low_rank(300, 200, 3, dense);
  Eigen::JacobiSVD<Eigen::MatrixXd> exact(dense, Eigen::ComputeThinU | Eigen::ComputeThinV);
  for (SvdMethod method : {SvdMethod::Randomized, SvdMethod::Lanczos}) {
    SCOPED_TRACE(method == SvdMethod::Randomized ? "randomized" : "lanczos");
    SvdOptions o;
    o.rank = 10;
    o.method = method;
    TruncatedSvd svd = truncated_svd(a, o);
    ASSERT_EQ(svd.s.size(), 10u);
    // The planted directions exactly; the noise tail (slowly decaying) to 2% with the randomized
    // method, whose power iterations only approximate it.
    for (size_t i = 0; i < 10; ++i)
      EXPECT_NEAR(svd.s[i], exact.singularValues()(i),
                  i < 8 ? 1e-4 * exact.singularValues()(0) : 2e-2 * exact.singularValues()(i))
          << i;
    // Rank-k reconstruction error equals the optimal one (Eckart-Young) up to rounding.
    Eigen::MatrixXd u(300, 10), v(200, 10);
    for (size_t r = 0; r < 300; ++r)
      for (size_t c = 0; c < 10; ++c) u(r, c) = svd.u.row(r)[c];
    for (size_t r = 0; r < 200; ++r)
      for (size_t c = 0; c < 10; ++c) v(r, c) = svd.v.row(r)[c];
    Eigen::VectorXd s = Eigen::Map<Eigen::VectorXd>(svd.s.data(), 10);
    double error = (dense - u * s.asDiagonal() * v.transpose()).norm();
    double best = 0;
    for (Eigen::Index i = 10; i < exact.singularValues().size(); ++i)
      best += exact.singularValues()(i) * exact.singularValues()(i);
    EXPECT_NEAR(error, std::sqrt(best), 1e-3 * std::sqrt(best));
    EXPECT_NEAR((u.transpose() * u - Eigen::MatrixXd::Identity(10, 10)).norm(), 0, 1e-6);
  }
  SvdOptions bad;
  bad.rank = 201;
  EXPECT_THROW(truncated_svd(a, bad), UsageError);
}

// A matrix U diag(s) V^T with random orthonormal U (rows x k) and V (cols x k), stored as float;
// the float-rounded dense copy goes to `dense`.
SparseMatrix with_spectrum(size_t rows, size_t cols, const std::vector<double>& s, uint64_t seed,
                           Eigen::MatrixXd& dense) {
  train::TrainRng rng(seed);
  const Eigen::Index k = static_cast<Eigen::Index>(s.size());
  Eigen::MatrixXd left(rows, k), right(cols, k);
  for (Eigen::Index i = 0; i < left.size(); ++i) left.data()[i] = rng.uniform_float() - 0.5;
  for (Eigen::Index i = 0; i < right.size(); ++i) right.data()[i] = rng.uniform_float() - 0.5;
  Eigen::MatrixXd u = Eigen::HouseholderQR<Eigen::MatrixXd>(left).householderQ() *
                      Eigen::MatrixXd::Identity(rows, k);
  Eigen::MatrixXd v = Eigen::HouseholderQR<Eigen::MatrixXd>(right).householderQ() *
                      Eigen::MatrixXd::Identity(cols, k);
  dense = u * Eigen::Map<const Eigen::VectorXd>(s.data(), k).asDiagonal() * v.transpose();
  std::vector<std::vector<float>> rows_out(rows, std::vector<float>(cols, 0));
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) {
      rows_out[r][c] = float(dense(r, c));
      dense(r, c) = rows_out[r][c];
    }
  return from_dense(rows_out, cols);
}

// The randomized SVD against an exact one: singular values, orthonormal factors and the rank-k
// reconstruction error (Eckart-Young), all to float precision relative to the largest singular
// value.
void expect_exact_svd(const SparseMatrix& a, const Eigen::MatrixXd& dense, size_t rank,
                      size_t oversample, int threads = 0) {
  Eigen::JacobiSVD<Eigen::MatrixXd> exact(dense, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const Eigen::VectorXd& sigma = exact.singularValues();
  SvdOptions o;
  o.rank = rank;
  o.oversample = oversample;
  o.threads = threads;
  TruncatedSvd svd = truncated_svd(a, o);
  ASSERT_EQ(svd.s.size(), rank);
  const double scale = std::max(sigma(0), 1e-30);
  for (size_t i = 0; i < rank; ++i) EXPECT_NEAR(svd.s[i], sigma(i), 1e-5 * scale) << i;
  const Eigen::Index k = static_cast<Eigen::Index>(rank);
  Eigen::MatrixXd u(a.rows(), k), v(a.cols(), k);
  for (size_t r = 0; r < a.rows(); ++r)
    for (size_t c = 0; c < rank; ++c) u(r, c) = svd.u.row(r)[c];
  for (size_t r = 0; r < a.cols(); ++r)
    for (size_t c = 0; c < rank; ++c) v(r, c) = svd.v.row(r)[c];
  EXPECT_NEAR((u.transpose() * u - Eigen::MatrixXd::Identity(k, k)).norm(), 0, 1e-5);
  EXPECT_NEAR((v.transpose() * v - Eigen::MatrixXd::Identity(k, k)).norm(), 0, 1e-5);
  Eigen::VectorXd s = Eigen::Map<Eigen::VectorXd>(svd.s.data(), k);
  const double error = (dense - u * s.asDiagonal() * v.transpose()).norm();
  double best = 0;
  for (Eigen::Index i = k; i < sigma.size(); ++i) best += sigma(i) * sigma(i);
  EXPECT_NEAR(error, std::sqrt(best), 1e-5 * scale + 1e-3 * std::sqrt(best));
}

TEST(TruncatedSvd, RandomizedOnIllConditionedInput) {
  // Singular values falling geometrically by 1e2, 1e4 and 1e8 over 40 directions: the sampled
  // blocks get condition numbers up to and beyond what a Cholesky-based orthonormalisation
  // resolves.
  for (double range : {1e2, 1e4, 1e8}) {
    SCOPED_TRACE(range);
    std::vector<double> s(40);
    for (size_t i = 0; i < s.size(); ++i) s[i] = 3.0 * std::pow(range, -double(i) / 39.0);
    Eigen::MatrixXd dense;
    SparseMatrix a = with_spectrum(180, 150, s, 11, dense);
    expect_exact_svd(a, dense, 10, 20);
    expect_exact_svd(a, dense, 40, 10);
  }
}

TEST(TruncatedSvd, RandomizedOnRankDeficientInput) {
  // Exactly rank 4 in float (integer rows, each a multiple of one of four patterns), with empty
  // rows and columns; asking for rank 10 leaves six zero singular values with arbitrary but
  // orthonormal vectors.
  const size_t rows = 120, cols = 90;
  std::vector<std::vector<float>> patterns(4, std::vector<float>(cols, 0));
  train::TrainRng rng(5);
  for (auto& p : patterns)
    for (size_t c = 0; c + 10 < cols; ++c)
      if (rng.below(3) == 0) p[c] = float(int(rng.below(7)) - 3);
  std::vector<std::vector<float>> dense_rows(rows, std::vector<float>(cols, 0));
  Eigen::MatrixXd dense = Eigen::MatrixXd::Zero(rows, cols);
  for (size_t r = 0; r + 7 < rows; ++r)
    for (size_t c = 0; c < cols; ++c) {
      dense_rows[r][c] = patterns[r % 4][c] * float(r % 3 + 1);
      dense(r, c) = dense_rows[r][c];
    }
  SparseMatrix a = from_dense(dense_rows, cols);
  expect_exact_svd(a, dense, 10, 20);
  expect_exact_svd(a, dense, 10, 0);
  expect_exact_svd(a, dense, 90, 0);  // the full column space: l = cols

  // No entries at all: zero singular values, still orthonormal vectors.
  SparseMatrix zero(50, 40);
  expect_exact_svd(zero, Eigen::MatrixXd::Zero(50, 40), 5, 10);
}

TEST(TruncatedSvd, RandomizedDoesNotDependOnTheThreadCount) {
  // Large enough to run in parallel: 1500 x 1200 with ~90k entries; rank 50 + 20 oversampled
  // columns span two column panels.
  train::TrainRng rng(7);
  std::vector<uint64_t> starts{0};
  std::vector<uint32_t> columns;
  std::vector<float> values;
  for (size_t r = 0; r < 1500; ++r) {
    for (uint32_t c = 0; c < 1200; ++c)
      if (rng.below(20) == 0) {
        columns.push_back(c);
        values.push_back(rng.uniform_float() + (c % 7 == r % 7 ? 2.0f : 0.0f));
      }
    starts.push_back(columns.size());
  }
  SparseMatrix a(1500, 1200, std::move(starts), std::move(columns), std::move(values));
  SvdOptions o;
  o.rank = 50;
  o.seed = 9;
  o.threads = 1;
  TruncatedSvd one = truncated_svd(a, o), again = truncated_svd(a, o);
  o.threads = 3;
  TruncatedSvd three = truncated_svd(a, o);
  for (const TruncatedSvd* other : {&again, &three}) {
    EXPECT_EQ(one.s, other->s);
    for (size_t r = 0; r < a.rows(); ++r)
      ASSERT_EQ(0, std::memcmp(one.u.row(r), other->u.row(r), o.rank * sizeof(float))) << r;
    for (size_t r = 0; r < a.cols(); ++r)
      ASSERT_EQ(0, std::memcmp(one.v.row(r), other->v.row(r), o.rank * sizeof(float))) << r;
  }
  o.seed = 10;
  EXPECT_NE(one.s, truncated_svd(a, o).s);

  // Range products in half precision only perturb the basis: the singular values of the final,
  // float Rayleigh-Ritz step stay within 1e-4 of the all-float run.
  o.seed = 9;
  o.half_precision_range = false;
  TruncatedSvd full = truncated_svd(a, o);
  for (size_t i = 0; i < o.rank; ++i) EXPECT_NEAR(full.s[i], one.s[i], 1e-4 * full.s[0]) << i;
  if (count::svd_kernel_table(kernels::active_isa()).half_lanes > 0) {
    EXPECT_NE(full.s, one.s);  // the half-precision path did run
  }
}

TEST(PpmiSvd, RecoversThePlantedPairs) {
  const testing::SyntheticCorpus& c = testing::make_synthetic_corpus();
  PpmiSvdOptions o;
  o.svd.rank = 24;
  o.counting.window = 3;
  PpmiSvdResult r = train_ppmi_svd(c.vocab, c.corpus, o);
  ASSERT_EQ(r.vectors.size(), c.vocab.size());
  EXPECT_GT(r.ppmi_nnz, 0u);
  EXPECT_LT(r.ppmi_nnz, r.cooccurrence_nnz);
  for (size_t i = 1; i < r.singular_values.size(); ++i)
    EXPECT_LE(r.singular_values[i], r.singular_values[i - 1]);
  size_t hits = 0;
  for (const auto& [a, b] : c.pairs) {
    const uint32_t ia = r.vectors.index(a), ib = r.vectors.index(b);
    // b must be a's nearest neighbour by cosine among all words.
    double best = -2;
    uint32_t best_id = 0;
    for (uint32_t w = 0; w < r.vectors.size(); ++w) {
      if (w == ia) continue;
      double dot = 0, na = 0, nw = 0;
      for (size_t d = 0; d < r.vectors.dim(); ++d) {
        double x = r.vectors.vectors().row(ia)[d], y = r.vectors.vectors().row(w)[d];
        dot += x * y;
        na += x * x;
        nw += y * y;
      }
      double cos = dot / std::sqrt(na * nw + 1e-30);
      if (cos > best) {
        best = cos;
        best_id = w;
      }
    }
    hits += best_id == ib;
  }
  EXPECT_GE(hits, c.pairs.size() - 1) << "pairs found as nearest neighbours";
}

TEST(PpmiSvd, FromSavedCountsEqualsFromTheCorpus) {
  const testing::SyntheticCorpus& c = testing::make_synthetic_corpus();
  PpmiSvdOptions o;
  o.svd.rank = 12;
  o.counting.window = 3;
  o.counting.threads = o.svd.threads = o.ppmi.threads = 1;
  PpmiSvdResult direct = train_ppmi_svd(c.vocab, c.corpus, o);
  SparseMatrix counts = count_cooccurrences(c.corpus, c.vocab.size(), o.counting);
  PpmiSvdResult saved = train_ppmi_svd_on_counts(c.vocab, counts, o);
  EXPECT_EQ(saved.singular_values, direct.singular_values);
  EXPECT_EQ(saved.cooccurrence_nnz, direct.cooccurrence_nnz);
  for (size_t r = 0; r < c.vocab.size(); ++r)
    for (size_t d = 0; d < o.svd.rank; ++d)
      ASSERT_EQ(saved.vectors.vectors().row(r)[d], direct.vectors.vectors().row(r)[d]) << r << " " << d;
  EXPECT_THROW(train_ppmi_svd_on_counts(c.vocab, SparseMatrix(3, 3), o), UsageError);
}

}  // namespace
}  // namespace embkit
