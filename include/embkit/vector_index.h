// VectorIndex: an approximate (or exact) nearest-neighbour index over a model's rows, backed by
// hnswlib (hnsw) or FAISS (the others), saved in one file together with the words of its rows so
// that it can be searched without the model. Types (class; parameters and their defaults):
//   flat    FAISS IndexFlatIP: exact inner products
//   hnsw    hnswlib HierarchicalNSW, inner-product space: graph search; M=32 links per node (2 M on
//           the bottom level), ef_construction=200, ef_search=64 candidates (at least k) searched;
//           efConstruction and efSearch are accepted as the same names. The build adds rows from
//           `threads` threads; with threads=1 the graph depends only on the rows and the seed.
//   ivfpq   FAISS IndexIVFPQ over an IndexFlatIP coarse quantizer: nlist (4 sqrt(N), at most N /
//   39),
//           m sub-quantizers (the divisor of D nearest D / 4), nbits=8 per code, nprobe=16 lists
//           searched, train = training sample size (min(N, max(64 nlist, 256 * 39)))
//   sq8     FAISS IndexScalarQuantizer QT_8bit: one byte per value (per-dimension min/max)
//   pq      FAISS IndexPQ: m, nbits as for ivfpq
// Every type scores by inner product; Metric::Cosine normalizes the rows before adding them and the
// queries before searching. The file layout is documented in docs/formats.md ("Index files").
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "embkit/exact_search.h"
#include "embkit/keyed_vectors.h"

namespace faiss {
struct Index;
}

namespace embkit {

class HnswGraph;

enum class IndexType { Flat, Hnsw, IvfPq, Sq8, Pq };

std::string_view index_type_name(IndexType type);
IndexType parse_index_type(std::string_view name);  // UsageError for unknown names

// "nlist=1024,m=50,nprobe=16" -> {{"nlist", 1024}, ...}. Values are positive integers; keys the
// type does not know are a UsageError naming the known ones.
std::map<std::string, uint64_t> parse_index_params(std::string_view text, IndexType type);

// Whether a file's first bytes are an embkit index file (as save() writes them).
bool looks_like_index(std::string_view head);

struct IndexBuildOptions {
  IndexType type = IndexType::Flat;
  Metric metric = Metric::Cosine;  // cosine or dot
  std::string params;              // see parse_index_params
  int threads = 0;                 // 0 = all cores
  uint64_t seed = 1;               // training sample and k-means seeds; hnsw's level generator
  bool progress = false;           // a progress line on stderr for training and adding
};

// The defaults of the index parameters that do not depend on the data (nlist, m and train do, above).
struct IndexParams {
  uint64_t M = 32, ef_construction = 200, ef_search = 64;  // hnsw
  uint64_t nbits = 8, nprobe = 16;                         // ivfpq; nbits also pq
};

class VectorIndex {
 public:
  VectorIndex();
  ~VectorIndex();
  VectorIndex(VectorIndex&&) noexcept;
  VectorIndex& operator=(VectorIndex&&) noexcept;

  // Throws UsageError for bad parameters (unknown key, m not dividing D, nlist > N, ...).
  static VectorIndex build(const KeyedVectors& vectors, const IndexBuildOptions& options,
                           const std::string& model_path = "");
  // Throws IoError or FormatError (naming the file) for unreadable or corrupt files.
  static VectorIndex load(const std::string& path);
  // Atomic (temporary file + rename).
  void save(const std::string& path) const;

  // Search-time parameters: nprobe (ivfpq), ef_search (hnsw); others are a UsageError.
  void set_search_params(std::string_view params);
  // The best k rows for every query row (normalized first for cosine), best first.
  std::vector<std::vector<Hit>> search(const Matrix& queries, size_t k, int threads = 0) const;
  // The vector the index holds for a row (exact for flat and hnsw, decoded for the others).
  std::vector<float> reconstruct(uint32_t id) const;

  IndexType type() const { return type_; }
  Metric metric() const { return metric_; }
  size_t rows() const { return vocab_.size(); }
  size_t dim() const { return dim_; }
  const Vocab& vocab() const { return vocab_; }
  const std::map<std::string, uint64_t>& params() const { return params_; }
  const std::string& model_path() const { return model_path_; }

 private:
  IndexType type_ = IndexType::Flat;
  Metric metric_ = Metric::Cosine;
  size_t dim_ = 0;
  Vocab vocab_;
  std::map<std::string, uint64_t> params_;
  std::string model_path_;
  std::unique_ptr<faiss::Index> index_;  // every type but hnsw
  std::unique_ptr<HnswGraph> hnsw_;      // hnsw

  void load_faiss(std::string_view part, uint64_t rows, const std::string& path);
  void load_graph(std::string_view part, uint64_t rows, const std::string& path);
  void read_words(std::string_view words, uint64_t rows, const std::string& path);
};

}  // namespace embkit
