// Candidates are scored block by block: for a block of rows the shifted cosines (1 + cos) / 2 of
// every distinct query word are computed once with inner_products, then each query combines its
// words' rows of that table, so a word shared by many analogy questions costs one pass per block.
#include "query/cosmul_search.h"

#include <omp.h>

#include <algorithm>
#include <limits>

namespace embkit {
namespace {

constexpr float kDenominatorEpsilon = 1e-6f;
// Shifted cosines of all distinct words for one block stay within about 16 MB.
constexpr size_t kTableFloats = size_t{4} << 20;

bool better(const Hit& a, const Hit& b) {
  return a.score > b.score || (a.score == b.score && a.id < b.id);
}

// The k best hits seen so far; the worst sits at the front of the heap.
class TopK {
 public:
  explicit TopK(size_t k) : k_(k) { heap_.reserve(k); }
  void offer(uint32_t id, float score) {
    const Hit hit{id, score};
    if (k_ == 0) return;
    if (heap_.size() < k_) {
      heap_.push_back(hit);
      std::push_heap(heap_.begin(), heap_.end(), better);
    } else if (better(hit, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = hit;
      std::push_heap(heap_.begin(), heap_.end(), better);
    }
  }
  std::vector<Hit> best_first() && {
    std::sort_heap(heap_.begin(), heap_.end(), better);
    return std::move(heap_);
  }

 private:
  size_t k_;
  std::vector<Hit> heap_;
};

struct QuerySlots {
  std::vector<size_t> positive, negative;  // rows of the shifted-cosine table
};

}  // namespace

std::vector<std::vector<Hit>> top_k_cosmul(const KeyedVectors& kv,
                                           const std::vector<CosMulQuery>& queries, size_t k,
                                           size_t rows, int threads) {
  if (queries.empty()) return {};
  const Matrix& unit = kv.unit_rows();
  std::span<const float> norms = kv.norms();
  rows = std::min(rows, kv.size());
  k = std::min(k, rows);
  const int team = threads > 0 ? threads : omp_get_max_threads();

  std::vector<uint32_t> words;
  for (const CosMulQuery& query : queries) {
    words.insert(words.end(), query.positive.begin(), query.positive.end());
    words.insert(words.end(), query.negative.begin(), query.negative.end());
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  auto slot_of = [&](uint32_t id) {
    return static_cast<size_t>(std::lower_bound(words.begin(), words.end(), id) - words.begin());
  };
  std::vector<QuerySlots> slots(queries.size());
  for (size_t q = 0; q < queries.size(); ++q) {
    for (uint32_t id : queries[q].positive) slots[q].positive.push_back(slot_of(id));
    for (uint32_t id : queries[q].negative) slots[q].negative.push_back(slot_of(id));
  }

  const size_t block =
      std::clamp<size_t>(kTableFloats / std::max<size_t>(words.size(), 1), 256, 8192);
  std::vector<float> shifted(words.size() * block);
  std::vector<TopK> best(queries.size(), TopK(k));

  for (size_t start = 0; start < rows; start += block) {
    const size_t count = std::min(block, rows - start);
    const Matrix view = Matrix::borrow(unit.row(start), count, unit.cols(), unit.stride(), nullptr);
#pragma omp parallel for num_threads(team) schedule(dynamic, 4)
    for (size_t w = 0; w < words.size(); ++w) {
      float* out = shifted.data() + w * block;
      inner_products(view, unit.row_span(words[w]), count, out, 1);
      for (size_t r = 0; r < count; ++r) out[r] = (1.0f + out[r]) / 2.0f;
    }
#pragma omp parallel num_threads(team)
    {
      std::vector<float> numerator(count), denominator(count);
#pragma omp for schedule(dynamic, 16)
      for (size_t q = 0; q < queries.size(); ++q) {
        // Hot loop: plain element-wise products so the compiler vectorises them.
        const QuerySlots& query = slots[q];
        std::fill(numerator.begin(), numerator.end(), 1.0f);
        std::fill(denominator.begin(), denominator.end(), 1.0f);
        for (size_t slot : query.positive) {
          const float* table = shifted.data() + slot * block;
          for (size_t r = 0; r < count; ++r) numerator[r] *= table[r];
        }
        for (size_t slot : query.negative) {
          const float* table = shifted.data() + slot * block;
          for (size_t r = 0; r < count; ++r) denominator[r] *= table[r];
        }
        TopK& top = best[q];
        for (size_t r = 0; r < count; ++r) {
          if (!(norms[start + r] > 0)) continue;
          top.offer(static_cast<uint32_t>(start + r),
                    numerator[r] / (denominator[r] + kDenominatorEpsilon));
        }
      }
    }
  }

  std::vector<std::vector<Hit>> results(queries.size());
  for (size_t q = 0; q < queries.size(); ++q) {
    results[q] = std::move(best[q]).best_first();
    for (size_t id = 0; id < rows && results[q].size() < k; ++id)
      if (!(norms[id] > 0))
        results[q].push_back({static_cast<uint32_t>(id), std::numeric_limits<float>::quiet_NaN()});
  }
  return results;
}

}  // namespace embkit
