// Storage types of vector values: float32, IEEE half (F16) and per-dimension int8 (I8).
#pragma once

#include <string_view>

namespace embkit {

enum class Dtype { F32, F16, I8 };

// "f32", "f16", "i8"; parse_dtype also accepts the safetensors names "F32", "F16", "I8".
std::string_view dtype_name(Dtype dtype);
Dtype parse_dtype(std::string_view name);  // UsageError for unknown names

}  // namespace embkit
