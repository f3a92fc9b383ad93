// Sparse matrices and their .npz files, co-occurrence counting (in memory and spilled to disk), PPMI
// and truncated SVD, and the PPMI + SVD pipeline on the planted-structure corpus.
#include <gtest/gtest.h>
#include <unistd.h>

#include <Eigen/Dense>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "embkit/cooccurrence.h"
#include "embkit/error.h"
#include "embkit/ppmi_svd.h"
#include "embkit/sparse.h"
#include "train/random.h"
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

TEST(PpmiSvd, RecoversThePlantedPairs) {
  const testing::SyntheticCorpus& c = testing::make_synthetic_corpus();
  PpmiSvdOptions o = default_ppmi_svd_options();
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

}  // namespace
}  // namespace embkit
