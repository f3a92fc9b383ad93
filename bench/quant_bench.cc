// Quantization benchmark, embkit side: exact top-10 inner-product search of 1,000 queries over
// 200,000 clustered unit vectors of dimension 300 in float32 (top_k_inner_product) and on int8
// codes (int8_top_k) with and without float re-ranking, with 1 and 2 threads. The data comes from a
// fixed seed and is written as .npy files to --dir (unless already there) so that the FAISS side
// (quant_faiss.py) searches the same bytes; the float32 result is written as the ground truth.
// One JSON object per cell on stdout: median queries/second of --reps runs, recall@10 against the
// float32 result, bytes of the searched vectors.
//
// usage: quant_bench --dir DIR [--reps 3] [--threads 1,2] [--rerank 40]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "embkit/int8_search.h"
#include "embkit/matrix.h"
#include "embkit/exact_search.h"
#include "kernels/int8_kernel_table.h"

namespace {

constexpr size_t kRows = 200000;
constexpr size_t kDim = 300;
constexpr size_t kQueries = 1000;
constexpr size_t kClusters = 2000;
constexpr size_t kTopK = 10;
using Clock = std::chrono::steady_clock;

void normalize(float* v, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += double(v[i]) * v[i];
  const float inverse = float(1.0 / std::sqrt(s));
  for (size_t i = 0; i < n; ++i) v[i] *= inverse;
}

// Unit rows around 2,000 random unit centres (Gaussian spread 0.05 per value); each query is a
// random base row plus Gaussian noise 0.03, normalized.
void generate(std::vector<float>& base, std::vector<float>& queries) {
  std::mt19937_64 rng(5150);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> centres(kClusters * kDim);
  for (float& x : centres) x = normal(rng);
  for (size_t c = 0; c < kClusters; ++c) normalize(&centres[c * kDim], kDim);
  std::uniform_int_distribution<size_t> cluster(0, kClusters - 1), row(0, kRows - 1);
  base.resize(kRows * kDim);
  for (size_t i = 0; i < kRows; ++i) {
    const float* centre = &centres[cluster(rng) * kDim];
    for (size_t d = 0; d < kDim; ++d) base[i * kDim + d] = centre[d] + 0.05f * normal(rng);
    normalize(&base[i * kDim], kDim);
  }
  queries.resize(kQueries * kDim);
  for (size_t q = 0; q < kQueries; ++q) {
    const float* source = &base[row(rng) * kDim];
    for (size_t d = 0; d < kDim; ++d) queries[q * kDim + d] = source[d] + 0.03f * normal(rng);
    normalize(&queries[q * kDim], kDim);
  }
}

void write_npy(const std::filesystem::path& path, const void* data, size_t rows, size_t cols,
               const char* dtype, size_t item_bytes) {
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}, {}), }}",
                                   dtype, rows, cols);
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const uint16_t length = static_cast<uint16_t>(header.size());
  out.write(reinterpret_cast<const char*>(&length), 2);
  out << header;
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(rows * cols * item_bytes));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

embkit::Matrix read_npy(const std::filesystem::path& path, size_t rows, size_t cols) {
  std::ifstream in(path, std::ios::binary);
  char start[10];
  in.read(start, 10);
  uint16_t length;
  std::memcpy(&length, start + 8, 2);
  in.ignore(length);
  embkit::Matrix matrix(rows, cols);  // padded rows, like a model embkit loads
  for (size_t i = 0; i < rows; ++i) {
    in.read(reinterpret_cast<char*>(matrix.mutable_row(i)), static_cast<std::streamsize>(cols * 4));
  }
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return matrix;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

double recall(const std::vector<std::vector<embkit::Hit>>& truth,
              const std::vector<std::vector<embkit::Hit>>& found) {
  size_t hits = 0;
  for (size_t q = 0; q < truth.size(); ++q) {
    std::set<uint32_t> expected;
    for (const auto& h : truth[q]) expected.insert(h.id);
    for (const auto& h : found[q]) hits += expected.count(h.id);
  }
  return double(hits) / double(truth.size() * kTopK);
}

template <class Search>
void measure(const char* method, int threads, int reps, size_t bytes,
             const std::vector<std::vector<embkit::Hit>>* truth, Search search,
             std::vector<std::vector<embkit::Hit>>* keep = nullptr) {
  std::vector<double> qps;
  std::vector<std::vector<embkit::Hit>> hits;
  for (int rep = 0; rep < reps; ++rep) {
    auto start = Clock::now();
    hits = search(threads);
    qps.push_back(double(kQueries) / std::chrono::duration<double>(Clock::now() - start).count());
  }
  double r = truth ? recall(*truth, hits) : 1.0;
  std::string runs;
  for (double v : qps) runs += fmt::format("{}{:.1f}", runs.empty() ? "" : ", ", v);
  std::cout << fmt::format(
                   "{{\"side\": \"embkit\", \"method\": \"{}\", \"threads\": {}, \"median_qps\": "
                   "{:.1f}, \"qps\": [{}], \"recall\": {:.4f}, \"bytes\": {}}}",
                   method, threads, median(qps), runs, r, bytes)
            << std::endl;
  if (keep) *keep = std::move(hits);
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir;
  int reps = 3;
  size_t rerank = 4 * kTopK;
  std::vector<int> thread_counts = {1, 2};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--dir") {
      dir = value;
    } else if (flag == "--reps") {
      reps = std::stoi(value);
    } else if (flag == "--rerank") {
      rerank = std::stoul(value);
    } else if (flag == "--threads") {
      thread_counts.clear();
      std::stringstream list(value);
      for (std::string item; std::getline(list, item, ',');)
        thread_counts.push_back(std::stoi(item));
    } else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  if (dir.empty()) {
    std::cerr << "usage: quant_bench --dir DIR [--reps 3] [--threads 1,2] [--rerank 40]\n";
    return 2;
  }
  std::filesystem::create_directories(dir);
  if (!std::filesystem::exists(dir / "queries.npy")) {
    std::vector<float> base, queries;
    generate(base, queries);
    write_npy(dir / "base.npy", base.data(), kRows, kDim, "<f4", 4);
    write_npy(dir / "queries.npy", queries.data(), kQueries, kDim, "<f4", 4);
  }
  embkit::Matrix base = read_npy(dir / "base.npy", kRows, kDim);
  embkit::Matrix queries = read_npy(dir / "queries.npy", kQueries, kDim);

  std::vector<std::vector<embkit::Hit>> truth;
  embkit::SearchOptions exact;
  exact.k = kTopK;
  exact.threads = thread_counts.back();
  truth = embkit::top_k_inner_product(base, queries, exact);
  std::vector<int32_t> ids(kQueries * kTopK);
  for (size_t q = 0; q < kQueries; ++q)
    for (size_t j = 0; j < kTopK; ++j) ids[q * kTopK + j] = int32_t(truth[q][j].id);
  write_npy(dir / "truth.npy", ids.data(), kQueries, kTopK, "<i4", 4);

  // The base rows are unit vectors already, so cosine and dot agree; dot skips the normalization.
  auto start = Clock::now();
  embkit::Int8Index index =
      embkit::Int8Index::build(base, embkit::Metric::Dot, thread_counts.back());
  double build_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::cout << fmt::format(
                   "{{\"side\": \"embkit\", \"note\": \"int8 index built in {:.2f} s with the {} "
                   "kernels\"}}",
                   build_seconds, embkit::kernels::active_int8_kernels().name)
            << std::endl;
  const size_t float_bytes = kRows * kDim * sizeof(float);
  for (int threads : thread_counts) {
    measure("fp32 exact", threads, reps, float_bytes, &truth, [&](int t) {
      embkit::SearchOptions options = exact;
      options.threads = t;
      return embkit::top_k_inner_product(base, queries, options);
    });
    measure("int8", threads, reps, index.memory_bytes(), &truth, [&](int t) {
      embkit::Int8SearchOptions options;
      options.k = kTopK;
      options.threads = t;
      return embkit::int8_top_k(index, queries, options);
    });
    measure("int8 + rerank", threads, reps, index.memory_bytes() + float_bytes, &truth, [&](int t) {
      embkit::Int8SearchOptions options;
      options.k = kTopK;
      options.rerank = rerank;
      options.threads = t;
      return embkit::int8_top_k(index, queries, options, &base);
    });
  }
  return 0;
}
