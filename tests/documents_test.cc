// Documents: reading one document per line (blank lines kept, compressed files, the lowercase
// option, errors), the vocabulary choice (min_df, max_df, max_features, a given vocabulary),
// one-hot / bag-of-words / TF-IDF values worked out by hand, dense mean / tf-idf / SIF vectors
// against the formulas written out here, labels, and independence from the thread count.
#include "embkit/documents.h"

#include <sys/stat.h>

#include <cmath>
#include <thread>
#include <random>

#include "corpus_test_util.h"
#include "embkit/error.h"

namespace embkit::testing {
namespace {

using Words = std::vector<std::string>;

// Five documents; the second is empty, the last has only a word that the models below lack.
//   0: a b a    1: (empty)    2: b c    3: c c c d    4: d
// counts a 2, b 2, c 4, d 2 (10 tokens); document frequencies a 1, b 2, c 2, d 2.
DocumentCollection tiny_collection() {
  DocumentCollection documents;
  for (std::vector<std::string_view> tokens : std::vector<std::vector<std::string_view>>{
           {"a", "b", "a"}, {}, {"b", "c"}, {"c", "c", "c", "d"}, {"d"}})
    documents.add(tokens);
  return documents;
}

Words column_words(const DocumentVocabulary& vocabulary) {
  Words words;
  for (size_t i = 0; i < vocabulary.words.size(); ++i) words.emplace_back(vocabulary.words.word(i));
  return words;
}

std::vector<std::vector<float>> dense(const SparseMatrix& matrix) {
  std::vector<std::vector<float>> rows(matrix.rows(), std::vector<float>(matrix.cols(), 0.0f));
  for (size_t r = 0; r < matrix.rows(); ++r)
    for (size_t i = 0; i < matrix.row_columns(r).size(); ++i)
      rows[r][matrix.row_columns(r)[i]] = matrix.row_values(r)[i];
  return rows;
}

void expect_row(const Matrix& matrix, size_t row, std::vector<double> expected,
                double tolerance = 1e-6) {
  ASSERT_EQ(matrix.cols(), expected.size());
  for (size_t j = 0; j < expected.size(); ++j)
    EXPECT_NEAR(matrix.row(row)[j], expected[j], tolerance) << "row " << row << " column " << j;
}

// a = (1, 0), b = (0, 1), c = (1, 1); no d. Counts (when asked) 100, 300, 600.
KeyedVectors abc_model(bool with_counts) {
  Vocab vocab;
  vocab.add("a", with_counts ? 100 : 0);
  vocab.add("b", with_counts ? 300 : 0);
  vocab.add("c", with_counts ? 600 : 0);
  Matrix vectors(3, 2);
  vectors.mutable_row(0)[0] = 1;
  vectors.mutable_row(1)[1] = 1;
  vectors.mutable_row(2)[0] = vectors.mutable_row(2)[1] = 1;
  return KeyedVectors(std::move(vocab), std::move(vectors));
}

TEST(DocumentsCollection, CountsWordsAndDocumentFrequencies) {
  DocumentCollection documents = tiny_collection();
  EXPECT_EQ(documents.size(), 5u);
  EXPECT_EQ(documents.tokens(), 10u);
  ASSERT_EQ(documents.words(), 4u);
  const Words words = {"a", "b", "c", "d"};  // ids in order of first appearance
  const uint64_t counts[] = {2, 2, 4, 2}, frequencies[] = {1, 2, 2, 2};
  for (uint32_t id = 0; id < 4; ++id) {
    EXPECT_EQ(documents.word(id), words[id]);
    EXPECT_EQ(documents.count(id), counts[id]) << words[id];
    EXPECT_EQ(documents.document_frequency(id), frequencies[id]) << words[id];
  }
  EXPECT_TRUE(documents.document(1).empty());
  EXPECT_EQ(std::vector<uint32_t>(documents.document(3).begin(), documents.document(3).end()),
            (std::vector<uint32_t>{2, 2, 2, 3}));
}

TEST(DocumentsRead, OneDocumentPerLineWithBlankLinesKept) {
  TempDir dir;
  const std::string path = dir.file("docs.txt");
  // Lines: "x y", "", "  \t", "y\r", "", "" (the file ends with a newline after line 6).
  write_file(path, "x y\n\n  \t\ny\r\n\n\n");
  DocumentCollection documents = read_documents(path);
  ASSERT_EQ(documents.size(), 6u);
  EXPECT_EQ(documents.document(0).size(), 2u);
  EXPECT_EQ(documents.document(3).size(), 1u);
  for (size_t i : {1, 2, 4, 5}) EXPECT_TRUE(documents.document(i).empty()) << i;
  EXPECT_EQ(documents.name(), path);

  write_file(path, "x y\n\n   ");  // an unterminated blank last line is a document too
  EXPECT_EQ(read_documents(path).size(), 3u);
  write_file(path, "\n\n");
  EXPECT_EQ(read_documents(path).size(), 2u);
  write_file(path, "");
  EXPECT_EQ(read_documents(path).size(), 0u);
}

TEST(DocumentsRead, CompressedFilesGiveTheSameDocuments) {
  TempDir dir;
  const std::string text = "the cat\n\nsat on\nthe mat\n\n";
  write_file(dir.file("docs.txt"), text);
  write_file(dir.file("docs.txt.gz"), gzip_bytes(text));
  write_file(dir.file("docs.txt.xz"), xz_bytes(text));
  write_file(dir.file("docs.txt.zst"), zstd_bytes(text));
  DocumentCollection plain = read_documents(dir.file("docs.txt"));
  ASSERT_EQ(plain.size(), 5u);
  const DocumentVocabulary vocabulary = build_vocabulary(plain);
  for (const char* name : {"docs.txt.gz", "docs.txt.xz", "docs.txt.zst"}) {
    DocumentCollection packed = read_documents(dir.file(name));
    ASSERT_EQ(packed.size(), 5u) << name;
    EXPECT_EQ(bag_of_words(packed, build_vocabulary(packed)), bag_of_words(plain, vocabulary))
        << name;
  }
}

TEST(DocumentsRead, LongLinesStayOneDocumentAndLowercaseSplitsPunctuation) {
  TempDir dir;
  const std::string path = dir.file("docs.txt");
  write_file(path, "a b c d e f g\nHello, World!\n");
  CorpusOptions options;
  options.max_sentence_tokens = 3;  // the reader cuts the first line into three pieces
  DocumentCollection documents = read_documents(path, options);
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents.document(0).size(), 7u);
  EXPECT_EQ(documents.document(1).size(), 2u);

  options.lowercase_and_split_punctuation = true;
  DocumentCollection lowered = read_documents(path, options);
  ASSERT_EQ(lowered.size(), 2u);
  Words second;
  for (uint32_t id : lowered.document(1)) second.emplace_back(lowered.word(id));
  EXPECT_EQ(second, (Words{"hello", ",", "world", "!"}));
}

TEST(DocumentsRead, BadInputIsReportedWithFileAndLine) {
  TempDir dir;
  EXPECT_THROW(read_documents(dir.file("missing.txt")), IoError);
  EXPECT_NE(error_message([&] { read_documents(dir.file("missing.txt")); }).find("missing.txt"),
            std::string::npos);
  const std::string junk = dir.file("junk.bin");
  write_file(junk, std::string("fine text\nbinary \0\x01\xff junk\n", 26));
  try {
    read_documents(junk);
    ADD_FAILURE() << "no error for binary junk";
  } catch (const FormatError& error) {
    EXPECT_EQ(error.path(), junk);
    EXPECT_EQ(error.line(), 2u);
  }
  write_file(junk, "caf\xc3\n");  // a cut two-byte character
  EXPECT_THROW(read_documents(junk), FormatError);
  std::string gz = gzip_bytes("one\ntwo\n");
  gz.resize(gz.size() - 6);  // truncated
  write_file(dir.file("cut.gz"), gz);
  EXPECT_THROW(read_documents(dir.file("cut.gz")), FormatError);
}

TEST(DocumentsVocabulary, ColumnsAreSortedAndFilteredAsCountVectorizer) {
  DocumentCollection documents = tiny_collection();
  DocumentVocabulary all = build_vocabulary(documents);
  EXPECT_EQ(column_words(all), (Words{"a", "b", "c", "d"}));
  EXPECT_EQ(all.documents, 5u);
  EXPECT_EQ(all.document_frequency, (std::vector<uint64_t>{1, 2, 2, 2}));
  EXPECT_EQ(all.words.count(2), 4u);

  auto chosen = [&](VocabularyOptions options) {
    return column_words(build_vocabulary(documents, options));
  };
  VocabularyOptions options;
  options.min_df = DocumentFrequency::documents(2);
  EXPECT_EQ(chosen(options), (Words{"b", "c", "d"}));
  options.min_df = DocumentFrequency::proportion(0.4);  // 0.4 * 5 = 2 documents
  EXPECT_EQ(chosen(options), (Words{"b", "c", "d"}));
  options = {};
  options.max_df = DocumentFrequency::proportion(0.2);  // at most 1 document
  EXPECT_EQ(chosen(options), (Words{"a"}));
  options.max_df = DocumentFrequency::documents(1);
  EXPECT_EQ(chosen(options), (Words{"a"}));
  options = {};
  options.max_features = 2;  // c (4), then a and b tie at 2: a comes first in byte order
  EXPECT_EQ(chosen(options), (Words{"a", "c"}));
  options.max_features = 10;
  EXPECT_EQ(chosen(options), (Words{"a", "b", "c", "d"}));

  options = {};
  options.min_df = DocumentFrequency::documents(3);
  EXPECT_THROW(build_vocabulary(documents, options), UsageError);  // no word left
  options.min_df = DocumentFrequency::documents(2);
  options.max_df = DocumentFrequency::documents(1);
  EXPECT_THROW(build_vocabulary(documents, options), UsageError);  // max_df below min_df
  options = {};
  options.max_df = DocumentFrequency::proportion(1.5);
  EXPECT_THROW(build_vocabulary(documents, options), UsageError);
  DocumentCollection empty;
  empty.add(std::vector<std::string_view>{});
  EXPECT_THROW(build_vocabulary(empty), FormatError);
}

TEST(DocumentsVocabulary, AGivenVocabularyKeepsItsOrder) {
  DocumentCollection documents = tiny_collection();
  Vocab given;
  for (const char* word : {"c", "zz", "a"}) given.add(word);
  DocumentVocabulary vocabulary = vocabulary_from(documents, given);
  EXPECT_EQ(column_words(vocabulary), (Words{"c", "zz", "a"}));
  EXPECT_EQ(vocabulary.document_frequency, (std::vector<uint64_t>{2, 0, 1}));
  const auto counts = dense(bag_of_words(documents, vocabulary));
  EXPECT_EQ(counts[0], (std::vector<float>{0, 0, 2}));
  EXPECT_EQ(counts[3], (std::vector<float>{3, 0, 0}));
  EXPECT_EQ(counts[4], (std::vector<float>{0, 0, 0}));
  // The smooth idf of a column no document contains is finite and never used.
  EXPECT_DOUBLE_EQ(inverse_document_frequency(vocabulary)[1], std::log(6.0 / 1.0) + 1);
}

TEST(DocumentsSparse, OneHotAndBagOfWordsByHand) {
  DocumentCollection documents = tiny_collection();
  DocumentVocabulary vocabulary = build_vocabulary(documents);  // a b c d
  const std::vector<std::vector<float>> counts = {
      {2, 1, 0, 0}, {0, 0, 0, 0}, {0, 1, 1, 0}, {0, 0, 3, 1}, {0, 0, 0, 1}};
  const std::vector<std::vector<float>> presence = {
      {1, 1, 0, 0}, {0, 0, 0, 0}, {0, 1, 1, 0}, {0, 0, 1, 1}, {0, 0, 0, 1}};
  SparseMatrix bow = bag_of_words(documents, vocabulary);
  EXPECT_EQ(dense(bow), counts);
  EXPECT_EQ(bow.nnz(), 7u);
  EXPECT_TRUE(bow.row_columns(1).empty());
  EXPECT_EQ(dense(one_hot(documents, vocabulary)), presence);
}

TEST(DocumentsSparse, TfIdfEqualsTheFormulasOfScikitLearn) {
  DocumentCollection documents = tiny_collection();
  DocumentVocabulary vocabulary = build_vocabulary(documents);
  // n = 5; df a 1, b c d 2.
  const double smooth1 = std::log(6.0 / 2.0) + 1, smooth2 = std::log(6.0 / 3.0) + 1;
  const double sharp1 = std::log(5.0 / 1.0) + 1, sharp2 = std::log(5.0 / 2.0) + 1;
  EXPECT_EQ(inverse_document_frequency(vocabulary),
            (std::vector<double>{smooth1, smooth2, smooth2, smooth2}));
  EXPECT_EQ(inverse_document_frequency(vocabulary, false),
            (std::vector<double>{sharp1, sharp2, sharp2, sharp2}));

  // Row 0 has a twice and b once; row 3 has c three times and d once.
  auto l2 = [](double x, double y) {
    return std::vector<double>{x / std::hypot(x, y), y / std::hypot(x, y)};
  };
  auto expect_pair = [](const SparseMatrix& m, size_t row, size_t c0, size_t c1,
                        std::vector<double> want) {
    EXPECT_NEAR(m.at(row, c0), want[0], 1e-7) << "row " << row;
    EXPECT_NEAR(m.at(row, c1), want[1], 1e-7) << "row " << row;
    EXPECT_EQ(m.row_columns(row).size(), 2u);
  };
  SparseMatrix defaults = tf_idf(documents, vocabulary);
  expect_pair(defaults, 0, 0, 1, l2(2 * smooth1, smooth2));
  expect_pair(defaults, 2, 1, 2, l2(smooth2, smooth2));
  expect_pair(defaults, 3, 2, 3, l2(3 * smooth2, smooth2));
  EXPECT_TRUE(defaults.row_columns(1).empty());
  EXPECT_FLOAT_EQ(defaults.at(4, 3), 1.0f);

  TfIdfOptions options;
  options.sublinear_tf = true;
  const double tf2 = 1 + std::log(2.0), tf3 = 1 + std::log(3.0);
  expect_pair(tf_idf(documents, vocabulary, options), 0, 0, 1, l2(tf2 * smooth1, smooth2));
  options = {};
  options.norm = Norm::None;
  expect_pair(tf_idf(documents, vocabulary, options), 3, 2, 3, {3 * smooth2, smooth2});
  options.norm = Norm::L1;
  expect_pair(tf_idf(documents, vocabulary, options), 0, 0, 1,
              {2 * smooth1 / (2 * smooth1 + smooth2), smooth2 / (2 * smooth1 + smooth2)});
  options = {};
  options.smooth_idf = false;
  options.sublinear_tf = true;
  expect_pair(tf_idf(documents, vocabulary, options), 3, 2, 3, l2(tf3 * sharp2, sharp2));
}

TEST(DocumentsSparse, ResultDoesNotDependOnTheThreadCount) {
  DocumentCollection documents;
  std::mt19937 rng(7);
  std::geometric_distribution<int> length(0.1);
  std::discrete_distribution<int> word({50, 20, 10, 8, 5, 3, 2, 1, 1});
  for (int d = 0; d < 3000; ++d) {  // three blocks of rows and a bit
    std::vector<std::string> tokens;
    for (int t = length(rng); t > 0; --t)
      tokens.push_back("w" + std::to_string(word(rng) * 37 + t % 5));
    documents.add(std::vector<std::string_view>(tokens.begin(), tokens.end()));
  }
  DocumentVocabulary vocabulary = build_vocabulary(documents);
  TfIdfOptions options;
  options.sublinear_tf = true;
  const SparseMatrix one = tf_idf(documents, vocabulary, options, 1);
  EXPECT_EQ(one, tf_idf(documents, vocabulary, options, 3));
  EXPECT_EQ(bag_of_words(documents, vocabulary, 1), bag_of_words(documents, vocabulary, 2));
  for (size_t r = 0; r < one.rows(); ++r) {
    double norm = 0;
    for (float v : one.row_values(r)) norm += double(v) * v;
    if (!one.row_columns(r).empty()) {
      EXPECT_NEAR(norm, 1.0, 1e-6) << r;
    }
  }
}

TEST(DocumentsDense, MeanAveragesTheKnownTokens) {
  DocumentCollection documents = tiny_collection();
  DocumentVectors result = document_vectors(documents, abc_model(false));
  ASSERT_EQ(result.vectors.rows(), 5u);
  expect_row(result.vectors, 0, {2.0 / 3, 1.0 / 3});  // (2a + b) / 3
  expect_row(result.vectors, 1, {0, 0});              // empty line
  expect_row(result.vectors, 2, {0.5, 1});            // (b + c) / 2
  expect_row(result.vectors, 3, {1, 1});              // 3c / 3: d is unknown
  expect_row(result.vectors, 4, {0, 0});              // only d
  EXPECT_EQ(result.empty_documents, 2u);
  EXPECT_TRUE(result.removed_component.empty());
}

TEST(DocumentsDense, TfIdfWeightsByTermFrequencyTimesIdf) {
  DocumentCollection documents = tiny_collection();
  const double idf_a = std::log(6.0 / 2.0) + 1, idf_bc = std::log(6.0 / 3.0) + 1;
  DocumentVectorOptions options;
  options.weighting = DocumentWeighting::TfIdf;
  DocumentVectors result = document_vectors(documents, abc_model(false), options);
  const double w0 = 2 * idf_a + idf_bc;
  expect_row(result.vectors, 0, {2 * idf_a / w0, idf_bc / w0});
  expect_row(result.vectors, 2, {0.5, 1});  // equal weights
  expect_row(result.vectors, 3, {1, 1});
  EXPECT_EQ(result.empty_documents, 2u);
  options.sublinear_tf = true;
  const double s0 = (1 + std::log(2.0)) * idf_a + idf_bc;
  expect_row(document_vectors(documents, abc_model(false), options).vectors, 0,
             {(1 + std::log(2.0)) * idf_a / s0, idf_bc / s0});
}

// SIF by hand: rows (1/|d|) sum of w(t) v_t, then the top eigenvector u of the 2 x 2 matrix X^T X
// (closed form) and every row minus its projection on u.
std::vector<std::vector<double>> sif_by_hand(double wa, double wb, double wc,
                                             std::vector<double>& u) {
  std::vector<std::vector<double>> x = {
      {2 * wa / 3, wb / 3}, {0, 0}, {wc / 2, (wb + wc) / 2}, {wc, wc}, {0, 0}};
  double sxx = 0, sxy = 0, syy = 0;
  for (const auto& r : x) {
    sxx += r[0] * r[0];
    sxy += r[0] * r[1];
    syy += r[1] * r[1];
  }
  const double top = (sxx + syy) / 2 + std::sqrt((sxx - syy) * (sxx - syy) / 4 + sxy * sxy);
  u = {sxy, top - sxx};  // (S - top I) u = 0
  const double length = std::hypot(u[0], u[1]);
  u = {u[0] / length, u[1] / length};
  for (auto& r : x) {
    const double projection = r[0] * u[0] + r[1] * u[1];
    r = {r[0] - projection * u[0], r[1] - projection * u[1]};
  }
  return x;
}

void expect_sif(const DocumentVectors& result, double wa, double wb, double wc) {
  std::vector<double> u;
  const auto expected = sif_by_hand(wa, wb, wc, u);
  for (size_t r = 0; r < expected.size(); ++r) expect_row(result.vectors, r, expected[r], 1e-6);
  ASSERT_EQ(result.removed_component.size(), 2u);
  EXPECT_NEAR(std::abs(result.removed_component[0] * u[0] + result.removed_component[1] * u[1]),
              1.0, 1e-6);
  for (size_t r = 0; r < result.vectors.rows(); ++r) {
    const float* row = result.vectors.row(r);
    EXPECT_NEAR(row[0] * result.removed_component[0] + row[1] * result.removed_component[1], 0.0,
                1e-6);
  }
  EXPECT_EQ(result.empty_documents, 2u);
}

DocumentVectors sif_with_a_of_one_tenth(bool model_counts) {
  DocumentVectorOptions options;
  options.weighting = DocumentWeighting::Sif;
  options.sif_a = 0.1;
  return document_vectors(tiny_collection(), abc_model(model_counts), options);
}

TEST(DocumentsDense, SifWithModelCountsRemovesTheFirstComponent) {
  DocumentVectors result = sif_with_a_of_one_tenth(true);
  EXPECT_FALSE(result.sif_counts_from_documents);
  expect_sif(result, 0.1 / 0.2, 0.1 / 0.4, 0.1 / 0.7);  // p = 100, 300, 600 over 1000
}

TEST(DocumentsDense, SifWithoutModelCountsTakesTheDocumentCounts) {
  DocumentVectors result = sif_with_a_of_one_tenth(false);
  EXPECT_TRUE(result.sif_counts_from_documents);
  // p = counts over the 10 tokens of the collection: a 2, b 2, c 4.
  expect_sif(result, 0.1 / 0.3, 0.1 / 0.3, 0.1 / 0.5);
}

TEST(DocumentsDense, SifOnRandomVectorsIsDeterministicAndOrthogonalToTheComponent) {
  DocumentCollection documents;
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> word(0, 59), length(0, 12);
  for (int d = 0; d < 2500; ++d) {
    std::vector<std::string> tokens;
    for (int t = length(rng); t > 0; --t) tokens.push_back("w" + std::to_string(word(rng)));
    documents.add(std::vector<std::string_view>(tokens.begin(), tokens.end()));
  }
  // w0..w39 with Gaussian vectors off the origin (w40..w59 are unknown).
  Vocab vocab;
  Matrix vectors(40, 24);
  std::normal_distribution<float> normal(0.5f, 1.0f);
  for (size_t i = 0; i < 40; ++i) {
    vocab.add("w" + std::to_string(i), 1000 - i);
    for (size_t j = 0; j < 24; ++j) vectors.mutable_row(i)[j] = normal(rng);
  }
  KeyedVectors words(std::move(vocab), std::move(vectors));
  DocumentVectorOptions options;
  options.weighting = DocumentWeighting::Sif;
  options.threads = 1;
  DocumentVectors one = document_vectors(documents, words, options);
  options.threads = 3;
  DocumentVectors three = document_vectors(documents, words, options);
  ASSERT_EQ(one.vectors.rows(), 2500u);
  for (size_t r = 0; r < one.vectors.rows(); ++r) {
    ASSERT_EQ(0, std::memcmp(one.vectors.row(r), three.vectors.row(r), 24 * sizeof(float))) << r;
    double projection = 0, norm = 0;
    for (size_t j = 0; j < 24; ++j) {
      projection += one.vectors.row(r)[j] * one.removed_component[j];
      norm += one.vectors.row(r)[j] * one.vectors.row(r)[j];
    }
    EXPECT_LE(std::abs(projection), 1e-5 * (1 + std::sqrt(norm))) << r;
  }
  double unit = 0;
  for (float v : one.removed_component) unit += v * v;
  EXPECT_NEAR(unit, 1.0, 1e-6);
}

TEST(DocumentsDense, RejectsBadParameters) {
  DocumentVectorOptions options;
  options.weighting = DocumentWeighting::Sif;
  options.sif_a = 0;
  EXPECT_THROW(document_vectors(tiny_collection(), abc_model(true), options), UsageError);
  EXPECT_THROW(document_vectors(tiny_collection(), KeyedVectors()), UsageError);
}

TEST(DocumentsLabels, LineNumbersOrOneLabelPerDocument) {
  Vocab numbers = document_labels(3);
  ASSERT_EQ(numbers.size(), 3u);
  EXPECT_EQ(numbers.word(0), "1");
  EXPECT_EQ(numbers.word(2), "3");
  TempDir dir;
  const std::string path = dir.file("labels.txt");
  write_file(path, "first\r\nsecond doc\nthird\n");
  Vocab labels = document_labels(3, path);
  EXPECT_EQ(labels.word(0), "first");
  EXPECT_EQ(labels.word(1), "second doc");
  EXPECT_EQ(labels.word(2), "third");

  const std::string mismatch = error_message([&] { document_labels(4, path); });
  EXPECT_NE(mismatch.find("has 3 labels for 4 documents"), std::string::npos) << mismatch;
  write_file(path, "x\ny\nx\n");
  const std::string duplicate = error_message([&] { document_labels(3, path); });
  EXPECT_NE(duplicate.find(":3: duplicate label 'x' (first on line 1)"), std::string::npos)
      << duplicate;
  write_file(path, "x\n\ny\n");
  EXPECT_THROW(document_labels(3, path), FormatError);
  EXPECT_THROW(document_labels(3, dir.file("missing.txt")), IoError);
}

TEST(DocumentsSparse, VocabularyFileHasOneWordPerLineInColumnOrder) {
  TempDir dir;
  DocumentCollection documents = tiny_collection();
  save_vocabulary_words(build_vocabulary(documents), dir.file("v.txt"));
  EXPECT_EQ(read_file(dir.file("v.txt")), "a\nb\nc\nd\n");
  EXPECT_EQ(dir.listing(), (std::vector<std::string>{"v.txt"}));
}

// Read in one pass: a FIFO (or `<(zcat docs.gz)`) keeps its blank lines at the end too, and a
// byte order mark does not become part of the first word.
TEST(DocumentsRead, FifoIsReadOnceWithItsTrailingBlankLines) {
  TempDir dir;
  const std::string fifo = dir.file("docs.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { write_file(fifo, "\xef\xbb\xbfx y\n\nz\n\n\n"); });
  DocumentCollection documents = read_documents(fifo);
  writer.join();
  ASSERT_EQ(documents.size(), 5u);
  EXPECT_EQ(documents.document(0).size(), 2u);
  EXPECT_EQ(documents.word(documents.document(0)[0]), "x");
  EXPECT_EQ(documents.document(2).size(), 1u);
}

}  // namespace
}  // namespace embkit::testing
