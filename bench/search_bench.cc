// Benchmark (b), embkit side: exact top-10 inner-product search of 1,000 queries over 200,000
// clustered unit vectors of dimension 300, batched and one query at a time, with 1 and 2 threads.
// The data is generated from a fixed seed and written as .npy files to --dir (unless already
// there), so the FAISS side (search_faiss.py) searches the very same bytes. Results (ids) of every
// cell are written to --dir as well for the recall check; timings go to stdout as one JSON object
// per cell.
//
// usage: search_bench --dir DIR [--reps 3] [--single-queries 200] [--threads 1,2]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "embkit/kernels.h"
#include "embkit/matrix.h"
#include "embkit/exact_search.h"

namespace {

constexpr size_t kRows = 200000;
constexpr size_t kDim = 300;
constexpr size_t kQueries = 1000;
constexpr size_t kClusters = 2000;
constexpr size_t kTopK = 10;

void normalize(float* v, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += double(v[i]) * v[i];
  float inv = float(1.0 / std::sqrt(s));
  for (size_t i = 0; i < n; ++i) v[i] *= inv;
}

// Unit vectors scattered around random unit centres (like word vectors: dense clusters, not noise);
// queries are base rows nudged by a little noise.
void generate(std::vector<float>& base, std::vector<float>& queries) {
  std::mt19937_64 rng(20240611);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> centres(kClusters * kDim);
  for (float& x : centres) x = normal(rng);
  for (size_t c = 0; c < kClusters; ++c) normalize(&centres[c * kDim], kDim);
  base.resize(kRows * kDim);
  std::uniform_int_distribution<size_t> pick_cluster(0, kClusters - 1);
  for (size_t i = 0; i < kRows; ++i) {
    const float* centre = &centres[pick_cluster(rng) * kDim];
    for (size_t d = 0; d < kDim; ++d) base[i * kDim + d] = centre[d] + 0.06f * normal(rng);
    normalize(&base[i * kDim], kDim);
  }
  queries.resize(kQueries * kDim);
  std::uniform_int_distribution<size_t> pick_row(0, kRows - 1);
  for (size_t q = 0; q < kQueries; ++q) {
    const float* row = &base[pick_row(rng) * kDim];
    for (size_t d = 0; d < kDim; ++d) queries[q * kDim + d] = row[d] + 0.03f * normal(rng);
    normalize(&queries[q * kDim], kDim);
  }
}

// A minimal .npy (version 1.0, C order) writer and reader for 2-d little-endian arrays.
void write_npy(const std::filesystem::path& path, const void* data, size_t rows, size_t cols,
               const char* dtype, size_t item_bytes) {
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}, {}), }}",
                                   dtype, rows, cols);
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  uint16_t length = static_cast<uint16_t>(header.size());
  out.write(reinterpret_cast<const char*>(&length), 2);
  out << header;
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(rows * cols * item_bytes));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::vector<float> read_npy_floats(const std::filesystem::path& path, size_t rows, size_t cols) {
  std::ifstream in(path, std::ios::binary);
  char magic[10];
  in.read(magic, 10);
  uint16_t length;
  std::memcpy(&length, magic + 8, 2);
  in.ignore(length);
  std::vector<float> data(rows * cols);
  in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data.size() * 4));
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return data;
}

embkit::Matrix view(const std::vector<float>& data, size_t rows, size_t cols) {
  return embkit::Matrix::borrow(data.data(), rows, cols, cols, nullptr);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void write_ids(const std::filesystem::path& path,
               const std::vector<std::vector<embkit::Hit>>& hits) {
  std::vector<int32_t> ids(hits.size() * kTopK, -1);
  for (size_t q = 0; q < hits.size(); ++q)
    for (size_t j = 0; j < hits[q].size() && j < kTopK; ++j)
      ids[q * kTopK + j] = int32_t(hits[q][j].id);
  write_npy(path, ids.data(), hits.size(), kTopK, "<i4", 4);
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir;
  int reps = 3;
  size_t single_queries = 200;
  std::vector<int> thread_counts = {1, 2};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--dir")
      dir = value;
    else if (flag == "--reps")
      reps = std::stoi(value);
    else if (flag == "--single-queries")
      single_queries = std::stoul(value);
    else if (flag == "--threads") {
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
    std::cerr
        << "usage: search_bench --dir DIR [--reps 3] [--single-queries 200] [--threads 1,2]\n";
    return 2;
  }
  std::filesystem::create_directories(dir);
  if (!std::filesystem::exists(dir / "queries.npy")) {
    std::vector<float> base, queries;
    generate(base, queries);
    write_npy(dir / "base.npy", base.data(), kRows, kDim, "<f4", 4);
    write_npy(dir / "queries.npy", queries.data(), kQueries, kDim, "<f4", 4);
  }
  // Read back what the other side reads; rows are 300 floats apart (unaligned, unpadded).
  std::vector<float> base_data = read_npy_floats(dir / "base.npy", kRows, kDim);
  std::vector<float> query_data = read_npy_floats(dir / "queries.npy", kQueries, kDim);
  embkit::Matrix base = view(base_data, kRows, kDim);
  embkit::Matrix queries = view(query_data, kQueries, kDim);
  single_queries = std::min(single_queries, kQueries);

  using Clock = std::chrono::steady_clock;
  for (bool batched : {true, false}) {
    for (int threads : thread_counts) {
      embkit::SearchOptions options;
      options.k = kTopK;
      options.threads = threads;
      size_t count = batched ? kQueries : single_queries;
      std::vector<double> qps;
      std::vector<std::vector<embkit::Hit>> hits;
      for (int rep = 0; rep < reps; ++rep) {
        auto start = Clock::now();
        if (batched) {
          hits = embkit::top_k_inner_product(base, queries, options);
        } else {
          hits.assign(count, {});
          for (size_t q = 0; q < count; ++q)
            hits[q] = embkit::top_k_inner_product(base, queries.row_span(q), options);
        }
        double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        qps.push_back(double(count) / seconds);
      }
      const char* mode = batched ? "batched" : "single";
      write_ids(dir / fmt::format("embkit_{}_{}.npy", mode, threads), hits);
      std::string runs;
      for (double v : qps) runs += fmt::format("{}{:.2f}", runs.empty() ? "" : ", ", v);
      std::cout
          << fmt::format(
                 "{{\"side\": \"embkit\", \"mode\": \"{}\", \"threads\": {}, \"queries\": {}, "
                 "\"median_qps\": {:.2f}, \"qps\": [{}], \"isa\": \"{}\"}}",
                 mode, threads, count, median(qps), runs, embkit::kernels::isa_name())
          << std::endl;
    }
  }
  return 0;
}
