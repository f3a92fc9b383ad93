// A transform pipeline: a comma-separated list of post-processing steps, each fitted on the output
// of the one before and applied to it, saved to a file and applied later to new vectors.
//
// Step syntax (docs/transform.md has the details):
//   center                      subtract the mean
//   normalize                   scale every row to unit L2 length (zero rows stay zero)
//   whiten[:pca|zca[:EPS]]      PCA (default) or ZCA whitening, EPS added to the eigenvalues
//                               (default 1e-5)
//   abtt:D                      all-but-the-top: remove the mean and the top D principal directions
//   pca:K                       project onto the top K principal components
//   rp:K[:gaussian|sparse|verysparse]   random projection to K dimensions (default gaussian)
//   quantize:int8               int8 storage (per-dimension symmetric scales, quantize.h); only as
//                               the last step: its output is the dequantized codes, and a native
//                               file written from it stores the codes
// e.g. "center,whiten,abtt:2,normalize,pca:50,rp:64".
//
// Every fitted step is an AffineMap (or the normalize flag), and fitting computes each step's
// output with the same apply() that a loaded transform uses, so applying the saved transform to the
// vectors it was fitted on reproduces the fitting-time output bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "embkit/affine_map.h"
#include "embkit/matrix.h"
#include "embkit/random_projection.h"
#include "embkit/whitening.h"

namespace embkit {

enum class StepKind { Center, Normalize, Whiten, Abtt, Pca, RandomProjection, Quantize };

struct StepSpec {
  StepKind kind = StepKind::Center;
  std::string text;            // as written in the step list, e.g. "whiten:zca:1e-5"
  size_t count = 0;            // pca: components K; abtt: directions removed D; rp: dimension K
  WhiteningOptions whitening;  // whiten only
  RandomProjectionKind projection = RandomProjectionKind::Gaussian;  // rp only
};

// The name of a kind as written in step lists: "center", "whiten", "pca", "rp", ...
std::string_view step_kind_name(StepKind kind);
// Throws UsageError naming the bad step: unknown names, bad arguments ("pca:x", "abtt:0"), an empty
// list or step, quantize anywhere but last.
std::vector<StepSpec> parse_steps(std::string_view steps);

struct FittedStep {
  StepSpec spec;
  size_t in_dim = 0;
  size_t out_dim = 0;
  bool normalize = false;  // the normalize step; `map` is unused then
  bool quantize = false;   // quantize:int8: x -> dequantize(quantize_int8(x)); `map` is unused
  AffineMap map;

  Matrix apply(const Matrix& x, int threads = 0) const;
};

struct Transform {
  std::vector<FittedStep> steps;

  size_t in_dim() const { return steps.empty() ? 0 : steps.front().in_dim; }
  size_t out_dim() const { return steps.empty() ? 0 : steps.back().out_dim; }
  // Throws UsageError when x does not have in_dim() columns.
  Matrix apply(const Matrix& x, int threads = 0) const;
};

// What one step did.
struct StepReport {
  std::string step;  // the step as written
  std::string what;  // what it did, e.g. "projected onto the top 50 principal components"
  size_t dim_in = 0;
  size_t dim_out = 0;
  double anisotropy_before = 0;
  double anisotropy_after = 0;
  // Of the step's input: pca the kept components, abtt the removed ones, whiten the top 10.
  std::vector<double> explained_variance_ratio;
  double seconds = 0;
};

struct TransformOptions {
  uint64_t seed = 1;  // random projections and the anisotropy pairs
  int threads = 0;    // 0 = all cores; results do not depend on it
  size_t anisotropy_pairs = 10000;
  std::function<void(size_t step, std::string_view text)> on_step;  // before fitting each step
};

struct FittedTransform {
  Transform transform;
  Matrix output;
  std::vector<StepReport> reports;
};

// Throws UsageError for non-finite input, steps that do not fit the data (pca:K with K above the
// dimension or the number of vectors, ...).
FittedTransform fit_transform(const Matrix& x, const std::vector<StepSpec>& steps,
                              const TransformOptions& options = {});

// A safetensors file (docs/transform.md): per step i the F32 tensors "step{i}.shift" [in] and
// "step{i}.weights" [out, in] when present, and the step list with dimensions in __metadata__.
// Written atomically. load_transform throws IoError or FormatError naming the file.
void save_transform(const Transform& transform, const std::string& path);
Transform load_transform(const std::string& path);

}  // namespace embkit
