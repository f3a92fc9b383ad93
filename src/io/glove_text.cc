#include "io/glove_text.h"

#include <fmt/format.h>

#include "core/atomic_file.h"
#include "embkit/error.h"
#include "io/text_vectors.h"
#include "io/utf8.h"

namespace embkit {

KeyedVectors load_glove(std::string_view bytes, const std::string& path,
                        const LoadOptions& options) {
  if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw FormatError(path, "file is empty");
  std::string_view line = first_line_of(bytes);
  size_t dim = count_values(line);
  if (dim == 0)
    throw FormatError(path, 1,
                      fmt::format("expected 'word v1 ... vD', found '{}'", quote_word(line)));
  return parse_text_vectors({bytes, 1}, dim, options.limit, std::nullopt, path, options.threads);
}

void save_glove(const KeyedVectors& vectors, const std::string& path, int threads) {
  AtomicFile file(path);
  write_text_vectors(vectors, file, threads);
  file.commit();
}

}  // namespace embkit
