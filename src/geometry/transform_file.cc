// Saving and loading fitted transforms (transform.h) as a safetensors file:
//   u64 little-endian header length H | H bytes of JSON (space-padded to a multiple of 8) | data
// The JSON maps tensor names to {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]} and
// "__metadata__" to strings: format "embkit-transform", version, steps (the step list as written),
// dims (the dimension before the first step and after every step, comma-separated) and a crc32 of
// the data section. Step i stores "step{i}.shift" [in] and "step{i}.weights" [out, in] when its map
// has them. Any safetensors reader (or json + numpy) can open the file.
#include <fmt/format.h>
#include <zlib.h>

#include <bit>
#include <charconv>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/atomic_file.h"
#include "embkit/error.h"
#include "embkit/transform.h"
#include "core/finite.h"

namespace embkit {

static_assert(std::endian::native == std::endian::little, "safetensors is little-endian");

namespace {

constexpr std::string_view kFormat = "embkit-transform";
constexpr std::string_view kVersion = "1";

std::string checksum_text(uint32_t crc) { return fmt::format("crc32:{:08x}", crc); }

uint32_t crc_of(std::string_view bytes) {
  return static_cast<uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("open", path, errno);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw IoError("read", path, errno);
  return bytes.str();
}

std::vector<size_t> parse_dims(const std::string& text, const std::string& path) {
  std::vector<size_t> dims;
  const char* at = text.data();
  const char* end = text.data() + text.size();
  while (at < end) {
    size_t value = 0;
    auto [next, status] = std::from_chars(at, end, value);
    if (status != std::errc() || value == 0 || (next != end && *next != ','))
      throw FormatError(path,
                        fmt::format("__metadata__ dims '{}' is not a list of dimensions", text));
    dims.push_back(value);
    at = next == end ? end : next + 1;
  }
  return dims;
}

// Reads a F32 tensor of the given shape into `values`.
void read_tensor(const nlohmann::json& header, const std::string& name,
                 const std::vector<size_t>& shape, std::string_view data, const std::string& path,
                 std::vector<float>& values) {
  auto fail = [&](std::string_view what) {
    return FormatError(path, fmt::format("tensor '{}': {}", name, what));
  };
  auto entry = header.find(name);
  if (entry == header.end()) throw FormatError(path, fmt::format("no tensor '{}'", name));
  if (!entry->is_object() || entry->value("dtype", "") != "F32") throw fail("dtype must be F32");
  if (!entry->contains("shape") || (*entry)["shape"] != nlohmann::json(shape))
    throw fail(fmt::format("shape must be {}", nlohmann::json(shape).dump()));
  const nlohmann::json& offsets = entry->value("data_offsets", nlohmann::json());
  if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
      !offsets[1].is_number_unsigned())
    throw fail("data_offsets must be [begin, end]");
  const size_t begin = offsets[0], end = offsets[1];
  size_t count = 1;
  for (size_t extent : shape) count *= extent;
  if (begin > end || end > data.size() || end - begin != count * sizeof(float))
    throw fail(fmt::format("data_offsets [{}, {}] do not hold {} floats within the {}-byte data",
                           begin, end, count, data.size()));
  values.resize(count);
  std::memcpy(values.data(), data.data() + begin, count * sizeof(float));
  if (size_t bad = first_non_finite(values.data(), count); bad < count)
    throw fail(fmt::format("value {} is not finite", bad + 1));
}

void load_step_tensors(const nlohmann::json& header, size_t i, std::string_view data,
                       const std::string& path, FittedStep& step) {
  const std::string prefix = fmt::format("step{}.", i);
  step.map.in_dim = step.in_dim;
  step.map.out_dim = step.out_dim;
  if (header.contains(prefix + "shift"))
    read_tensor(header, prefix + "shift", {step.in_dim}, data, path, step.map.shift);
  const bool needs_weights = step.spec.kind == StepKind::Whiten ||
                             step.spec.kind == StepKind::Abtt || step.spec.kind == StepKind::Pca ||
                             step.spec.kind == StepKind::RandomProjection;
  if (needs_weights)
    read_tensor(header, prefix + "weights", {step.out_dim, step.in_dim}, data, path,
                step.map.weights);
  else if (step.in_dim != step.out_dim)
    throw FormatError(path, fmt::format("step '{}' cannot change the dimension", step.spec.text));
  if (step.spec.kind == StepKind::Center && step.map.shift.empty())
    throw FormatError(path, fmt::format("no tensor '{}shift'", prefix));
}

}  // namespace

void save_transform(const Transform& transform, const std::string& path) {
  if (transform.steps.empty()) throw UsageError("cannot save a transform without steps");
  nlohmann::ordered_json header;
  std::string data;
  std::string steps, dims = std::to_string(transform.in_dim());
  auto add_tensor = [&](const std::string& name, const std::vector<float>& values,
                        std::vector<size_t> shape) {
    const size_t begin = data.size();
    data.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
    header[name] = {{"dtype", "F32"}, {"shape", shape}, {"data_offsets", {begin, data.size()}}};
  };
  for (size_t i = 0; i < transform.steps.size(); ++i) {
    const FittedStep& step = transform.steps[i];
    steps += (i ? "," : "") + step.spec.text;
    dims += fmt::format(",{}", step.out_dim);
    if (step.normalize || step.quantize) continue;
    if (!step.map.shift.empty())
      add_tensor(fmt::format("step{}.shift", i), step.map.shift, {step.in_dim});
    if (!step.map.weights.empty())
      add_tensor(fmt::format("step{}.weights", i), step.map.weights, {step.out_dim, step.in_dim});
  }
  header["__metadata__"] = {{"format", kFormat},
                            {"version", kVersion},
                            {"steps", steps},
                            {"dims", dims},
                            {"checksum", checksum_text(crc_of(data))}};
  std::string json = header.dump();
  json.append((8 - json.size() % 8) % 8, ' ');
  const uint64_t length = json.size();
  AtomicFile file(path);
  file.write(&length, sizeof length);
  file.write(json);
  file.write(data);
  file.commit();
}

namespace {

Transform parse_transform(const std::string& bytes, const std::string& path) {
  if (bytes.size() < 8) throw FormatError(path, "not a transform file (too short)");
  uint64_t length = 0;
  std::memcpy(&length, bytes.data(), 8);
  if (length > bytes.size() - 8)
    throw FormatError(path, "header length exceeds the file size (truncated or not a transform)");
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes.substr(8, length));
  } catch (const nlohmann::json::exception&) {
    throw FormatError(path, "not a transform file (the header is not JSON)");
  }
  if (!header.is_object() || !header.contains("__metadata__") ||
      !header["__metadata__"].is_object())
    throw FormatError(path, "not an embkit transform file (no __metadata__)");
  const nlohmann::json& metadata = header["__metadata__"];
  if (metadata.value("format", "") != kFormat)
    throw FormatError(path,
                      "not an embkit transform file (__metadata__.format is not "
                      "\"embkit-transform\")");
  if (metadata.value("version", "") != kVersion)
    throw FormatError(path, fmt::format("transform file version '{}' is not supported",
                                        metadata.value("version", "")));
  const std::string_view data = std::string_view(bytes).substr(8 + length);
  if (metadata.value("checksum", "") != checksum_text(crc_of(data)))
    throw FormatError(path, "checksum mismatch (corrupt file)");
  std::vector<StepSpec> specs;
  try {
    specs = parse_steps(metadata.value("steps", ""));
  } catch (const UsageError& e) {
    throw FormatError(path, e.what());
  }
  const std::vector<size_t> dims = parse_dims(metadata.value("dims", ""), path);
  if (dims.size() != specs.size() + 1)
    throw FormatError(path, "__metadata__ dims do not match the steps");
  Transform transform;
  for (size_t i = 0; i < specs.size(); ++i) {
    FittedStep step;
    step.spec = specs[i];
    step.in_dim = dims[i];
    step.out_dim = dims[i + 1];
    step.normalize = specs[i].kind == StepKind::Normalize;
    step.quantize = specs[i].kind == StepKind::Quantize;  // no tensors: scales come from the data
    load_step_tensors(header, i, data, path, step);
    transform.steps.push_back(std::move(step));
  }
  return transform;
}

}  // namespace

Transform load_transform(const std::string& path) {
  const std::string bytes = read_whole_file(path);
  try {
    return parse_transform(bytes, path);
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(path, fmt::format("malformed transform header: {}", e.what()));
  }
}

}  // namespace embkit
