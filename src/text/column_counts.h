// ColumnCounts: the distinct columns of one document with their counts, for building sparse rows and
// weighted averages.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "embkit/document_vocabulary.h"

namespace embkit {

// The distinct columns of a document with their counts, sorted by column: tokens are tallied in a
// table over all columns (zero between documents), so only the distinct columns are sorted.
class ColumnCounts {
 public:
  explicit ColumnCounts(size_t columns) : tally_(columns, 0) {}

  // `column_of` maps word ids to columns below the table's size (kNoColumn: not a column).
  void collect(std::span<const uint32_t> ids, std::span<const uint32_t> column_of) {
    columns.clear();
    counts.clear();
    for (uint32_t id : ids) {
      const uint32_t column = column_of[id];
      if (column != kNoColumn && tally_[column]++ == 0) columns.push_back(column);
    }
    std::sort(columns.begin(), columns.end());
    for (uint32_t column : columns) {
      counts.push_back(tally_[column]);
      tally_[column] = 0;
    }
  }

  std::vector<uint32_t> columns;
  std::vector<uint32_t> counts;

 private:
  std::vector<uint32_t> tally_;
};

}  // namespace embkit
