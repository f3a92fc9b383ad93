// A progress line for long work: redrawn in place on a terminal at most a few times a second,
// silent when standard error is not a terminal (pipes, CI), so logs stay clean.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace embkit {

class ProgressLine {
 public:
  // enabled: draw at all (default: only when stderr is a terminal).
  explicit ProgressLine(bool enabled = stderr_is_terminal());
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Replaces the line with `text` unless the last redraw was less than 0.2 s ago (force: draw anyway).
  void show(std::string_view text, bool force = false);
  // Ends the line (a newline when something was drawn); further show() calls start a new one.
  void finish();
  bool enabled() const { return enabled_; }

  static bool stderr_is_terminal();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

// "0:07", "4:05", "1:02:03".
std::string format_duration(double seconds);
// "950", "12.3k", "4.56M", "1.23G".
std::string format_count(double value);

}  // namespace embkit
