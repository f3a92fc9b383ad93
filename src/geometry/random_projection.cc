#include "embkit/random_projection.h"

#include <fmt/format.h>

#include <cmath>
#include <numbers>

#include "embkit/error.h"
#include "core/random.h"

namespace embkit {
namespace {

// Uniform in (0, 1]: never 0, so the logarithm below stays finite.
double uniform_open(train::TrainRng& rng) {
  return static_cast<double>((rng.next() >> 11) + 1) * 0x1.0p-53;
}

// Box-Muller with one of the pair kept: simple, and the same numbers on every standard library
// (std::normal_distribution's algorithm is unspecified).
double standard_normal(train::TrainRng& rng) {
  const double radius = std::sqrt(-2.0 * std::log(uniform_open(rng)));
  return radius * std::cos(2.0 * std::numbers::pi * uniform_open(rng));
}

}  // namespace

RandomProjectionKind parse_random_projection_kind(std::string_view name) {
  if (name == "gaussian") return RandomProjectionKind::Gaussian;
  if (name == "sparse") return RandomProjectionKind::Sparse;
  if (name == "verysparse") return RandomProjectionKind::VerySparse;
  throw UsageError(
      fmt::format("unknown random projection '{}' (use gaussian, sparse or verysparse)", name));
}

std::string_view random_projection_kind_name(RandomProjectionKind kind) {
  switch (kind) {
    case RandomProjectionKind::Gaussian:
      return "gaussian";
    case RandomProjectionKind::Sparse:
      return "sparse";
    case RandomProjectionKind::VerySparse:
      return "verysparse";
  }
  return "gaussian";
}

double random_projection_density(RandomProjectionKind kind, size_t in_dim) {
  switch (kind) {
    case RandomProjectionKind::Gaussian:
      return 1.0;
    case RandomProjectionKind::Sparse:
      return 1.0 / 3.0;
    case RandomProjectionKind::VerySparse:
      return 1.0 / std::sqrt(static_cast<double>(in_dim));
  }
  return 1.0;
}

AffineMap random_projection(size_t in_dim, const RandomProjectionOptions& options) {
  const size_t k = options.components;
  if (k == 0) throw UsageError("a random projection needs at least 1 output dimension");
  if (in_dim == 0) throw UsageError("cannot project vectors of dimension 0");
  AffineMap map;
  map.in_dim = in_dim;
  map.out_dim = k;
  map.weights.resize(k * in_dim);
  train::TrainRng rng(options.seed);
  if (options.kind == RandomProjectionKind::Gaussian) {
    const double sd = 1.0 / std::sqrt(static_cast<double>(k));
    for (float& w : map.weights) w = static_cast<float>(sd * standard_normal(rng));
    return map;
  }
  const double density = random_projection_density(options.kind, in_dim);
  const auto value = static_cast<float>(std::sqrt(1.0 / (density * static_cast<double>(k))));
  for (float& w : map.weights) {
    const double u = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
    w = u < density / 2 ? value : u < density ? -value : 0.0f;
  }
  return map;
}

size_t jl_min_dim(uint64_t n, double eps) {
  if (!(eps > 0 && eps < 1))
    throw UsageError(fmt::format("the JL bound needs 0 < eps < 1, got {}", eps));
  if (n < 1) throw UsageError("the JL bound needs n >= 1 points");
  const double denominator = eps * eps / 2 - eps * eps * eps / 3;
  return static_cast<size_t>(std::ceil(4 * std::log(static_cast<double>(n)) / denominator));
}

}  // namespace embkit
