// HnswGraph: the hnsw index type of VectorIndex, an hnswlib HierarchicalNSW graph (Malkov &
// Yashunin, "Efficient and robust approximate nearest neighbor search using Hierarchical Navigable
// Small World graphs", 2016) scoring by inner product. The hnswlib headers are heavy and define
// non-inline functions, so only hnsw_graph.cc includes them.
//
// Saved bytes are exactly what hnswlib's saveIndex writes (hnswlib.Index(space="ip").load_index
// reads them); parse() checks every size, level and link before hnswlib sees the graph, because
// hnswlib's own loadIndex trusts the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "embkit/exact_search.h"

namespace embkit {

// hnswlib caps M here (with a warning); embkit refuses larger values instead.
inline constexpr size_t kMaxHnswM = 10000;

struct HnswShape {
  size_t rows = 0;  // the graph holds exactly this many vectors, labelled 0 .. rows - 1
  size_t dim = 0;
  size_t M = 0;  // links per node on the upper levels (2 M on level 0)
};

class HnswGraph {
 public:
  // An empty graph with room for shape.rows vectors; seed drives hnswlib's level generator.
  HnswGraph(const HnswShape& shape, size_t ef_construction, uint64_t seed);
  ~HnswGraph();
  HnswGraph(const HnswGraph&) = delete;
  HnswGraph& operator=(const HnswGraph&) = delete;

  // Adds count rows (contiguous, dim floats each) labelled first_label, first_label + 1, ...
  // With threads > 1 the rows go in concurrently and the graph depends on the schedule; with one
  // thread it depends only on the seed and the rows.
  void add(const float* rows, uint32_t first_label, size_t count, int threads);

  // hnswlib's saveIndex layout.
  std::string serialize() const;
  // Throws FormatError naming `path` when the bytes are not a valid graph of `shape`.
  static std::unique_ptr<HnswGraph> parse(std::string_view bytes, const HnswShape& shape,
                                          const std::string& path);

  // Candidates kept while searching (at least k are kept anyway).
  void set_ef_search(size_t ef);
  // The best k labels for each of count queries (contiguous rows), best first; the score is the
  // inner product.
  std::vector<std::vector<Hit>> search(const float* queries, size_t count, size_t k,
                                       int threads) const;
  // The stored vector of a label.
  std::vector<float> vector(uint32_t label) const;

 private:
  struct State;
  explicit HnswGraph(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace embkit
