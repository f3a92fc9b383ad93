// Helpers shared by the index tests (index_test.cc, hnsw_graph_test.cc): recall@10 of an index
// against exact search.
#pragma once

#include <set>

#include "embkit/exact_search.h"
#include "embkit/keyed_vectors.h"
#include "embkit/vector_index.h"

namespace embkit::testing {

// Recall@10 of `queries` unit rows (rows 0, stride, 2 stride, ...) against exact cosine search.
inline double recall_vs_exact(const KeyedVectors& kv, const VectorIndex& index, size_t queries,
                              size_t stride = 7) {
  Matrix q(queries, kv.dim());
  for (size_t i = 0; i < queries; ++i)
    std::copy_n(kv.unit_rows().row(i * stride), kv.dim(), q.mutable_row(i));
  SearchOptions exact;
  exact.k = 10;
  auto truth = top_k_inner_product(kv.unit_rows(), q, exact);
  auto found = index.search(q, 10, 2);
  size_t hit = 0;
  for (size_t i = 0; i < queries; ++i) {
    std::set<uint32_t> expected;
    for (const Hit& h : truth[i]) expected.insert(h.id);
    for (const Hit& h : found[i]) hit += expected.count(h.id);
  }
  return double(hit) / double(queries * 10);
}

}  // namespace embkit::testing
