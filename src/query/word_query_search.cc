// The candidate rows are split into one contiguous range per thread; each thread walks its range in
// blocks small enough that the block's cosine table (distinct words x block rows) stays in L2, and
// keeps its own top k per query. The per-thread lists are merged at the end, which is exact because
// every list is the exact top k of its range.
#include "query/word_query_search.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "kernels/top_k.h"
#include "query/fused_scores.h"

namespace embkit {
namespace {

constexpr size_t kTableFloats = size_t{192} << 10;  // 768 KB of cosines per block
constexpr size_t kRowMultiple = 16;

struct QueryPlan {
  std::vector<size_t> positive, negative;  // rows of the block's cosine table
  float scale = 1;                         // Add: 1 / |sum_p unit(p) - sum_n unit(n)|
};

// 1 / |sum_p unit(p) - sum_n unit(n)| in double; 0 when the sum is zero, which gives every
// candidate the score 0 as gensim's zero query vector does.
float inverse_query_norm(const KeyedVectors& kv, const WordQuery& query) {
  const Matrix& unit = kv.unit_rows();
  std::vector<double> sum(kv.dim(), 0.0);
  for (uint32_t id : query.positive)
    for (size_t j = 0; j < sum.size(); ++j) sum[j] += unit.row(id)[j];
  for (uint32_t id : query.negative)
    for (size_t j = 0; j < sum.size(); ++j) sum[j] -= unit.row(id)[j];
  double squares = 0;
  for (double value : sum) squares += value * value;
  return squares > 0 ? static_cast<float>(1.0 / std::sqrt(squares)) : 0.0f;
}

class BlockScorer {
 public:
  BlockScorer(const KeyedVectors& kv, const std::vector<uint32_t>& words, AnalogyMethod method,
              size_t block)
      : kv_(kv),
        words_(words),
        method_(method),
        block_(block),
        table_(words.size() * block),
        scores_(block),
        denominator_(block) {}

  // Cosines (Mul: shifted cosines) of every distinct word with rows [start, start + count).
  void load_block(size_t start, size_t count) {
    start_ = start;
    count_ = count;
    const Matrix& unit = kv_.unit_rows();
    const Matrix view = Matrix::borrow(unit.row(start), count, unit.cols(), unit.stride(), nullptr);
    for (size_t w = 0; w < words_.size(); ++w) {
      float* cosines = table_.data() + w * block_;
      inner_products(view, unit.row_span(words_[w]), count, cosines, 1);
      if (method_ == AnalogyMethod::Mul)
        for (size_t r = 0; r < count; ++r) cosines[r] = (1.0f + cosines[r]) / 2.0f;
    }
    zero_rows_.clear();
    std::span<const float> norms = kv_.norms();
    for (size_t r = 0; r < count; ++r)
      if (!(norms[start + r] > 0)) zero_rows_.push_back(r);
  }

  void select(const QueryPlan& plan, kernels::TopKLists& top, size_t query) {
    float threshold = top.threshold(query);
    const bool any_above =
        method_ == AnalogyMethod::Mul ? score_mul(plan, threshold) : score_add(plan, threshold);
    for (size_t r : zero_rows_) scores_[r] = -std::numeric_limits<float>::infinity();
    if (!any_above) return;
    for (size_t chunk = 0; chunk < count_; chunk += kRowMultiple) {
      const size_t end = std::min(chunk + kRowMultiple, count_);
      int chunk_above = 0;
      for (size_t r = chunk; r < end; ++r) chunk_above |= static_cast<int>(scores_[r] > threshold);
      if (!chunk_above) continue;
      for (size_t r = chunk; r < end; ++r) {
        if (scores_[r] > threshold) {
          top.offer(query, {static_cast<uint32_t>(start_ + r), scores_[r]});
          threshold = top.threshold(query);
        }
      }
    }
  }

 private:
  const float* table_row(size_t slot) const { return table_.data() + slot * block_; }

  // The scorers fill scores_[0, count_) and tell whether any score beats `threshold`; after the
  // first blocks most blocks hold none, so the selection scan is skipped.
  bool score_add(const QueryPlan& plan, float threshold) {
    if (plan.positive.size() == 2 && plan.negative.size() == 1)
      return fused_scores_.add_scores(table_row(plan.positive[0]), table_row(plan.positive[1]),
                                      table_row(plan.negative[0]), plan.scale, threshold,
                                      scores_.data(), count_);
    int above = 0;
    std::fill_n(scores_.begin(), count_, 0.0f);
    for (size_t slot : plan.positive) {
      const float* cosines = table_row(slot);
      for (size_t r = 0; r < count_; ++r) scores_[r] += cosines[r];
    }
    for (size_t slot : plan.negative) {
      const float* cosines = table_row(slot);
      for (size_t r = 0; r < count_; ++r) scores_[r] -= cosines[r];
    }
    for (size_t r = 0; r < count_; ++r) {
      scores_[r] *= plan.scale;
      above |= static_cast<int>(scores_[r] > threshold);
    }
    return above != 0;
  }

  bool score_mul(const QueryPlan& plan, float threshold) {
    if (plan.positive.size() == 2 && plan.negative.size() == 1)
      return fused_scores_.mul_scores(table_row(plan.positive[0]), table_row(plan.positive[1]),
                                      table_row(plan.negative[0]), threshold, scores_.data(),
                                      count_);
    int above = 0;
    std::fill_n(scores_.begin(), count_, 1.0f);
    std::fill_n(denominator_.begin(), count_, 1.0f);
    for (size_t slot : plan.positive) {
      const float* shifted = table_row(slot);
      for (size_t r = 0; r < count_; ++r) scores_[r] *= shifted[r];
    }
    for (size_t slot : plan.negative) {
      const float* shifted = table_row(slot);
      for (size_t r = 0; r < count_; ++r) denominator_[r] *= shifted[r];
    }
    for (size_t r = 0; r < count_; ++r) {
      scores_[r] /= denominator_[r] + kDenominatorEpsilon;
      above |= static_cast<int>(scores_[r] > threshold);
    }
    return above != 0;
  }

  const KeyedVectors& kv_;
  const std::vector<uint32_t>& words_;
  AnalogyMethod method_;
  size_t block_;
  std::vector<float> table_, scores_, denominator_;
  std::vector<size_t> zero_rows_;
  size_t start_ = 0, count_ = 0;
  const FusedScoreTable& fused_scores_ = fused_score_table(kernels::active_isa());
};

}  // namespace

std::vector<std::vector<Hit>> top_k_word_queries(const KeyedVectors& kv,
                                                 const std::vector<WordQuery>& queries,
                                                 AnalogyMethod method, size_t k, size_t rows,
                                                 int threads) {
  if (queries.empty()) return {};
  std::span<const float> norms = kv.norms();
  rows = std::min(rows, kv.size());
  k = std::min(k, rows);

  std::vector<uint32_t> words;
  for (const WordQuery& query : queries) {
    words.insert(words.end(), query.positive.begin(), query.positive.end());
    words.insert(words.end(), query.negative.begin(), query.negative.end());
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  auto slot_of = [&](uint32_t id) {
    return static_cast<size_t>(std::lower_bound(words.begin(), words.end(), id) - words.begin());
  };
  std::vector<QueryPlan> plans(queries.size());
  for (size_t q = 0; q < queries.size(); ++q) {
    for (uint32_t id : queries[q].positive) plans[q].positive.push_back(slot_of(id));
    for (uint32_t id : queries[q].negative) plans[q].negative.push_back(slot_of(id));
    if (method == AnalogyMethod::Add) plans[q].scale = inverse_query_norm(kv, queries[q]);
  }

  const size_t block = std::clamp<size_t>(
      kTableFloats / std::max<size_t>(words.size(), 1) / kRowMultiple * kRowMultiple, kRowMultiple,
      4096);
  const size_t blocks = (rows + block - 1) / block;
  const size_t team = std::clamp<size_t>(threads > 0 ? threads : omp_get_max_threads(), 1,
                                         std::max<size_t>(blocks, 1));
  // Rows are offered in increasing id, so a later row with a score equal to the worst kept never
  // displaces it.
  std::vector<kernels::TopKLists> partial(team, kernels::TopKLists(queries.size(), k));

#pragma omp parallel num_threads(static_cast <int>(team))
  {
    const size_t thread = static_cast<size_t>(omp_get_thread_num());
    const size_t first_block = blocks * thread / team, end_block = blocks * (thread + 1) / team;
    BlockScorer scorer(kv, words, method, block);
    kernels::TopKLists& best = partial[thread];
    for (size_t b = first_block; b < end_block; ++b) {
      const size_t start = b * block;
      scorer.load_block(start, std::min(block, rows - start));
      for (size_t q = 0; q < queries.size(); ++q) scorer.select(plans[q], best, q);
    }
  }

  std::vector<std::vector<Hit>> results(queries.size());
  std::vector<std::span<const Hit>> parts(team);
  std::vector<Hit> scratch;
  for (size_t q = 0; q < queries.size(); ++q) {
    std::vector<Hit>& hits = results[q];
    for (size_t t = 0; t < team; ++t) parts[t] = partial[t].hits(q);
    kernels::merge_best(parts, k, scratch, hits);
    for (size_t id = 0; id < rows && hits.size() < k; ++id)
      if (!(norms[id] > 0))
        hits.push_back({static_cast<uint32_t>(id), std::numeric_limits<float>::quiet_NaN()});
  }
  return results;
}

}  // namespace embkit
