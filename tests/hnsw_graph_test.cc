// hnsw indexes (search/hnsw_graph.cc through embkit/vector_index.h): parameters and their old
// spellings, recall and scores, determinism, ef_search at search time, and the validated load:
// truncated and corrupted graphs are one FormatError naming the file, never a crash.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>

#include "embkit/exact_search.h"
#include "embkit/kernels.h"
#include "embkit/vector_index.h"
#include "index_test_util.h"
#include "io_test_util.h"

namespace embkit {
namespace {

using testing::error_message;
using testing::read_file;
using testing::recall_vs_exact;
using testing::TempDir;
using testing::write_file;

KeyedVectors random_model(size_t rows, size_t dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Vocab vocab;
  Matrix m(rows, dim);
  for (size_t i = 0; i < rows; ++i) {
    vocab.add("w" + std::to_string(i));
    for (size_t j = 0; j < dim; ++j) m.mutable_row(i)[j] = normal(rng);
  }
  return KeyedVectors(std::move(vocab), std::move(m));
}

VectorIndex build_hnsw(const KeyedVectors& kv, const std::string& params, int threads,
                       uint64_t seed = 1) {
  IndexBuildOptions options;
  options.type = IndexType::Hnsw;
  options.params = params;
  options.threads = threads;
  options.seed = seed;
  return VectorIndex::build(kv, options);
}

// The graph part of an index file: after the u64 header length and the JSON header.
size_t graph_offset(const std::string& bytes) {
  uint64_t length = 0;
  std::memcpy(&length, bytes.data(), 8);
  return 8 + length;
}

TEST(HnswParams, NewNamesOldSpellingsAndDefaults) {
  auto p = parse_index_params("M=16,efConstruction=50,efSearch=20", IndexType::Hnsw);
  EXPECT_EQ(
      p, (std::map<std::string, uint64_t>{{"M", 16}, {"ef_construction", 50}, {"ef_search", 20}}));
  EXPECT_EQ(parse_index_params("ef_search=7", IndexType::Hnsw).at("ef_search"), 7u);
  EXPECT_EQ(
      error_message([] { parse_index_params("efSearch=4", IndexType::IvfPq); }),
      "unknown parameter 'efSearch' for --type ivfpq (known: nlist, m, nbits, nprobe, train)");
  KeyedVectors kv = random_model(50, 8, 1);
  EXPECT_EQ(
      build_hnsw(kv, "", 1).params(),
      (std::map<std::string, uint64_t>{{"M", 32}, {"ef_construction", 200}, {"ef_search", 64}}));
  EXPECT_EQ(error_message([&] { build_hnsw(kv, "M=1", 1); }), "parameter M=1 is out of range 2..1024");
}

TEST(HnswIndex, RecallScoresAndStoredRows) {
  KeyedVectors kv = random_model(3000, 16, 2);
  VectorIndex index = build_hnsw(kv, "M=16,ef_construction=100,ef_search=100", 2);
  EXPECT_GE(recall_vs_exact(kv, index, 200), 0.97);
  Matrix q(1, 16);
  std::copy_n(kv.unit_rows().row(7), 16, q.mutable_row(0));
  auto hits = index.search(q, 5, 1)[0];
  ASSERT_EQ(hits.size(), 5u);
  EXPECT_EQ(hits[0].id, 7u);
  for (size_t i = 0; i < hits.size(); ++i) {
    const float exact = kernels::dot(kv.unit_rows().row(7), kv.unit_rows().row(hits[i].id), 16);
    EXPECT_NEAR(hits[i].score, exact, 1e-5f);
    if (i) {
      EXPECT_GE(hits[i - 1].score, hits[i].score);
    }
  }
  std::vector<float> row = index.reconstruct(123);
  for (size_t j = 0; j < 16; ++j) EXPECT_FLOAT_EQ(row[j], kv.unit_rows().row(123)[j]);
}

TEST(HnswIndex, OneThreadAndASeedGiveTheSameFile) {
  TempDir dir;
  KeyedVectors kv = random_model(1500, 8, 3);
  build_hnsw(kv, "M=8", 1, 5).save(dir.file("a"));
  build_hnsw(kv, "M=8", 1, 5).save(dir.file("b"));
  build_hnsw(kv, "M=8", 1, 6).save(dir.file("c"));
  EXPECT_EQ(read_file(dir.file("a")), read_file(dir.file("b")));
  EXPECT_NE(read_file(dir.file("a")), read_file(dir.file("c")));
}

TEST(HnswIndex, EfSearchAtSearchTimeAndAfterLoading) {
  TempDir dir;
  KeyedVectors kv = random_model(4000, 24, 4);
  VectorIndex built = build_hnsw(kv, "M=4,ef_construction=20,ef_search=10", 2);
  const double narrow = recall_vs_exact(kv, built, 200);
  built.set_search_params("efSearch=200");
  EXPECT_EQ(built.params().at("ef_search"), 200u);
  const double wide = recall_vs_exact(kv, built, 200);
  EXPECT_GT(wide, narrow + 0.05) << narrow << " " << wide;
  EXPECT_EQ(error_message([&] { built.set_search_params("M=8"); }),
            "'M' is fixed when the index is built; at search time only nprobe (ivfpq) and "
            "ef_search (hnsw) can change");
  built.save(dir.file("m.index"));
  VectorIndex loaded = VectorIndex::load(dir.file("m.index"));
  EXPECT_EQ(loaded.type(), IndexType::Hnsw);
  EXPECT_EQ(loaded.params().at("ef_search"), 200u);
  EXPECT_DOUBLE_EQ(recall_vs_exact(kv, loaded, 200), wide);
  EXPECT_EQ(loaded.vocab().word(3999), "w3999");
  auto header = nlohmann::json::parse(
      read_file(dir.file("m.index")).substr(8, graph_offset(read_file(dir.file("m.index"))) - 8));
  EXPECT_EQ(header["version"], "2");
  EXPECT_EQ(header["backend"], "hnswlib");
}

class HnswFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // M=4: many nodes above level 0, so upper-level link lists are in the file too.
    kv_ = random_model(300, 8, 7);
    path_ = dir_.file("m.index");
    build_hnsw(kv_, "M=4,ef_construction=16", 1).save(path_);
    bytes_ = read_file(path_);
    graph_ = graph_offset(bytes_);
  }
  // Loads the damaged bytes: either an error naming the file, or an index that searches.
  void expect_error_or_usable(const std::string& damaged, const std::string& what) {
    write_file(path_, damaged);
    try {
      VectorIndex index = VectorIndex::load(path_);
      Matrix q(3, 8);
      for (size_t i = 0; i < 3; ++i) std::copy_n(kv_.unit_rows().row(i * 50), 8, q.mutable_row(i));
      for (const auto& hits : index.search(q, 10, 1))
        for (const Hit& h : hits) EXPECT_LT(h.id, 300u) << what;
    } catch (const Error& e) {
      const std::string message = e.what();
      EXPECT_EQ(message.rfind(path_ + ": ", 0), 0u) << what << ": " << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << what << ": " << message;
    }
  }
  std::string error_of(const std::string& damaged) {
    write_file(path_, damaged);
    return error_message([&] { VectorIndex::load(path_); });
  }
  // Overwrites 4 bytes at `offset` of the graph.
  std::string with_u32(size_t offset, uint32_t value) const {
    std::string damaged = bytes_;
    std::memcpy(damaged.data() + graph_ + offset, &value, 4);
    return damaged;
  }

  TempDir dir_;
  KeyedVectors kv_;
  std::string path_;
  std::string bytes_;
  size_t graph_ = 0;
};

TEST_F(HnswFileTest, TruncatedAnywhereIsOneError) {
  for (size_t cut = 0; cut < bytes_.size(); cut += 1 + bytes_.size() / 400) {
    write_file(path_, bytes_.substr(0, cut));
    EXPECT_THROW(VectorIndex::load(path_), Error) << "cut at " << cut;
  }
  EXPECT_EQ(error_of(bytes_.substr(0, bytes_.size() - 1)).rfind(path_ + ": header declares", 0),
            0u);
}

TEST_F(HnswFileTest, CorruptedBytesAreErrorsOrHarmless) {
  // Every byte of the graph header, then bytes spread over the nodes and the words.
  for (size_t at = 0; at < 96; ++at)
    for (unsigned char value : {0x00, 0x01, 0x7f, 0xff}) {
      std::string damaged = bytes_;
      damaged[graph_ + at] = static_cast<char>(value);
      expect_error_or_usable(damaged, "header byte " + std::to_string(at));
    }
  std::mt19937 rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    std::string damaged = bytes_;
    size_t at = graph_ + rng() % (bytes_.size() - graph_);
    damaged[at] = static_cast<char>(rng());
    expect_error_or_usable(damaged, "byte " + std::to_string(at));
  }
}

TEST_F(HnswFileTest, EachCheckNamesWhatIsWrong) {
  const std::string prefix = path_ + ": corrupt hnsw graph: ";
  // Header: offsets 16 (element count), 48 (top level), 52 (entry point).
  EXPECT_EQ(error_of(with_u32(16, 299)), prefix + "299 nodes but the header says 300 rows");
  EXPECT_EQ(error_of(with_u32(48, 1000)), prefix + "top level 1000 is outside 0..64");
  EXPECT_EQ(error_of(with_u32(52, 300)), prefix + "entry point 300 is not a node");
  // Node 0 starts right after the 96-byte header: its level-0 count, then its links.
  EXPECT_EQ(error_of(with_u32(96, 9)), prefix + "node 0 level 0: 9 links exceed the maximum 8");
  EXPECT_EQ(error_of(with_u32(96, 0x10001)),
            prefix + "node 0 level 0: flags are set (deleted nodes are not supported)");
  EXPECT_EQ(error_of(with_u32(100, 4000000000u)),
            prefix + "node 0 level 0: link to node 4000000000 of 300");
  // The label follows the 2 M links and the 8 floats of the node.
  const size_t label_at = 96 + 4 + 8 * 4 + 8 * 4;
  EXPECT_EQ(error_of(with_u32(label_at, 300)), prefix + "node 0 has label 300 (out of range)");
  // Node 0's upper-level size: right after the level-0 block of all 300 nodes.
  const size_t node_bytes = 4 + 8 * 4 + 8 * 4 + 8;
  EXPECT_EQ(error_of(with_u32(96 + 300 * node_bytes, 7))
                .rfind(prefix + "node 0 has 7 bytes of upper levels", 0),
            0u);
}

TEST_F(HnswFileTest, FaissLayoutOfEarlierVersionsAsksForARebuild) {
  nlohmann::ordered_json header = nlohmann::ordered_json::parse(bytes_.substr(8, graph_ - 8));
  header["version"] = "1";
  header.erase("backend");
  header["faiss_bytes"] = header["graph_bytes"];
  header.erase("graph_bytes");
  std::string json = header.dump();
  uint64_t length = json.size();
  std::string old(reinterpret_cast<const char*>(&length), 8);
  EXPECT_EQ(error_of(old + json + bytes_.substr(graph_)),
            path_ +
                ": an hnsw index in the FAISS layout of earlier versions; rebuild it with "
                "`embkit index build --type hnsw`");
}

}  // namespace
}  // namespace embkit
