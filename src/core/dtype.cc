// Dtype names (embkit/dtype.h).
#include "embkit/dtype.h"

#include <fmt/format.h>

#include "embkit/error.h"

namespace embkit {

std::string_view dtype_name(Dtype dtype) {
  switch (dtype) {
    case Dtype::F16:
      return "f16";
    case Dtype::I8:
      return "i8";
    case Dtype::F32:
      break;
  }
  return "f32";
}

Dtype parse_dtype(std::string_view name) {
  if (name == "f32" || name == "F32" || name == "float32") return Dtype::F32;
  if (name == "f16" || name == "F16" || name == "float16") return Dtype::F16;
  if (name == "i8" || name == "I8" || name == "int8") return Dtype::I8;
  throw UsageError(fmt::format("unknown dtype '{}' (use f32, f16 or i8)", name));
}

}  // namespace embkit
