// Reads the loss CSV of `embkit train --loss-log`: a header naming the columns, then one row of
// numbers per log point. word2vec writes words,epoch,fraction,lr,loss and GloVe
// updates,epoch,fraction,loss; columns are found by name, so either works.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <fstream>

#include "embkit/error.h"
#include "embkit/loss_log.h"

namespace embkit {
namespace {

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
    fields.push_back(line.substr(start, comma - start));
  fields.push_back(line.substr(start));
  return fields;
}

double parse_number(const std::string& field, const std::string& path, size_t line,
                    const std::string& column) {
  double value = 0;
  const char* end = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(field.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value))
    throw FormatError(path, line,
                      fmt::format("column {}: '{}' is not a finite number", column, field));
  return value;
}

}  // namespace

LossCurve read_loss_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("open", path, errno);
  std::string line;
  if (!std::getline(in, line))
    throw FormatError(path, "empty file: expected a loss-log CSV header");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const std::vector<std::string> header = split_commas(line);
  auto column = [&](const std::string& name) -> size_t {
    for (size_t k = 0; k < header.size(); ++k)
      if (header[k] == name) return k;
    return header.size();
  };
  LossCurve curve;
  curve.x_name = header[0];
  const size_t loss = column("loss"), epoch = column("epoch");
  if ((curve.x_name != "words" && curve.x_name != "updates") || loss == header.size() ||
      epoch == header.size())
    throw FormatError(
        path, 1,
        "not a loss log: expected a header 'words,epoch,...,loss' or 'updates,epoch,...,loss'");
  for (size_t number = 2; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::vector<std::string> fields = split_commas(line);
    if (fields.size() != header.size())
      throw FormatError(path, number,
                        fmt::format("expected {} comma-separated fields, found {}", header.size(),
                                    fields.size()));
    curve.x.push_back(parse_number(fields[0], path, number, header[0]));
    curve.epoch.push_back(static_cast<long>(parse_number(fields[epoch], path, number, "epoch")));
    curve.loss.push_back(parse_number(fields[loss], path, number, "loss"));
  }
  if (curve.x.empty()) throw FormatError(path, "no loss rows after the header");
  return curve;
}

}  // namespace embkit
