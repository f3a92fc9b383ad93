#include "embkit/vocab.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "embkit/error.h"
#include "embkit/keyed_vectors.h"

namespace embkit {

TEST(Vocab, AddFindAndRejectDuplicates) {
  Vocab v;
  EXPECT_EQ(v.add("the", 10), 0u);
  EXPECT_EQ(v.add("cat", 3), 1u);
  EXPECT_FALSE(v.add("the").has_value());
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v.word(1), "cat");
  EXPECT_EQ(v.count(0), 10u);
  EXPECT_TRUE(v.has_counts());
  EXPECT_EQ(*v.find("cat"), 1u);
  EXPECT_FALSE(v.find("dog").has_value());
  EXPECT_THROW(v.at("dog"), KeyError);
}

TEST(Vocab, GrowsPastManyRehashes) {
  Vocab v;
  for (int i = 0; i < 100000; ++i) ASSERT_EQ(v.add("w" + std::to_string(i)), uint32_t(i));
  for (int i = 0; i < 100000; i += 997) EXPECT_EQ(v.at("w" + std::to_string(i)), uint32_t(i));
  Vocab moved = std::move(v);
  EXPECT_EQ(moved.at("w99999"), 99999u);
  EXPECT_EQ(v.size(), 0u);
  Vocab head = moved.head(10);
  EXPECT_EQ(head.size(), 10u);
  EXPECT_EQ(head.word(9), "w9");
  EXPECT_FALSE(head.contains("w10"));
  EXPECT_EQ(head.at("w7"), 7u);  // the copy's index knows its words
}

TEST(Vocab, BorrowedViewFindsWords) {
  static const char bytes[] = "onetwothree";
  static const uint64_t offsets[] = {0, 3, 6, 11};
  Vocab v = Vocab::borrow(bytes, offsets, nullptr, 3, nullptr);
  EXPECT_EQ(v.word(2), "three");
  EXPECT_EQ(v.at("two"), 1u);
  EXPECT_FALSE(v.has_counts());
}

TEST(KeyedVectors, UnitRowsAreNormalisedAndZeroRowsStayZero) {
  Vocab v;
  v.add("a");
  v.add("b");
  Matrix m(2, 3);
  m.mutable_row(0)[0] = 3;
  m.mutable_row(0)[1] = 4;
  KeyedVectors kv(std::move(v), std::move(m));
  EXPECT_EQ(kv.vectors().stride() % Matrix::kAlignmentFloats, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(kv.vectors().row(1)) % Matrix::kAlignmentBytes, 0u);
  EXPECT_FLOAT_EQ(kv.unit_rows().row(0)[0], 0.6f);
  EXPECT_FLOAT_EQ(kv.unit_rows().row(0)[1], 0.8f);
  EXPECT_FLOAT_EQ(kv.norms()[0], 5.0f);
  EXPECT_EQ(kv.unit_rows().row(1)[0], 0.0f);
  EXPECT_THROW(kv.vector("zzz"), KeyError);
}

TEST(KeyedVectors, NormsAndSingleUnitRowsAgreeWithTheUnitMatrix) {
  Vocab v;
  for (const char* word : {"a", "b", "c", "d"}) v.add(word);
  Matrix m(4, 5);
  const float values[4][5] = {
      {3, 4, 0, 0, 0}, {0.1f, -0.7f, 2.5f, 1e-3f, 9}, {0, 0, 0, 0, 0}, {-1, 1, -1, 1, 1e6f}};
  for (size_t i = 0; i < 4; ++i) std::copy_n(values[i], 5, m.mutable_row(i));
  KeyedVectors kv(std::move(v), std::move(m));
  // Norms first: they must not depend on the unit matrix being built.
  EXPECT_FLOAT_EQ(kv.norms()[0], 5.0f);
  EXPECT_FLOAT_EQ(kv.inverse_norms()[0], 0.2f);
  EXPECT_EQ(kv.norms()[2], 0.0f);
  EXPECT_EQ(kv.inverse_norms()[2], 0.0f);
  std::vector<float> row(5);
  for (uint32_t id = 0; id < 4; ++id) {
    kv.unit_row(id, row.data());
    for (size_t j = 0; j < 5; ++j) {
      EXPECT_EQ(row[j], kv.unit_rows().row(id)[j]) << id << " " << j;
      EXPECT_EQ(row[j], kv.vectors().row(id)[j] * kv.inverse_norms()[id]) << id << " " << j;
    }
  }
}

TEST(KeyedVectors, MismatchedSizesAreAUsageError) {
  Vocab v;
  v.add("a");
  EXPECT_THROW(KeyedVectors(std::move(v), Matrix(2, 3)), UsageError);
}

}  // namespace embkit
