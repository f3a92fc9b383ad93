#include "embkit/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include <fmt/format.h>

namespace embkit {

bool ProgressLine::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::show(std::string_view text, bool force) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && !force && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  // \r back to the start, \x1b[K clears what a longer previous line left behind.
  std::fprintf(stderr, "\r%.*s\x1b[K", static_cast<int>(text.size()), text.data());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::finish() {
  if (enabled_ && drawn_) {
    std::fputc('\n', stderr);
    std::fflush(stderr);
  }
  drawn_ = false;
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  auto total = static_cast<long long>(std::llround(seconds));
  long long hours = total / 3600, minutes = total / 60 % 60, secs = total % 60;
  if (hours > 0) return fmt::format("{}:{:02}:{:02}", hours, minutes, secs);
  return fmt::format("{}:{:02}", minutes, secs);
}

std::string format_count(double value) {
  const char* suffixes[] = {"", "k", "M", "G", "T"};
  int index = 0;
  while (std::fabs(value) >= 1000 && index < 4) {
    value /= 1000;
    ++index;
  }
  if (index == 0) return fmt::format("{:.0f}", value);
  int decimals = value < 10 ? 2 : value < 100 ? 1 : 0;
  return fmt::format("{:.{}f}{}", value, decimals, suffixes[index]);
}

}  // namespace embkit
