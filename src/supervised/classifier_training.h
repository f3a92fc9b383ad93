// The training loop of the classifier on examples already turned into features, shared by
// train_classifier and the retraining step of quantize_classifier.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "embkit/classifier.h"
#include "supervised/classifier_state.h"
#include "supervised/labelled_data.h"

namespace embkit::supervised {

// The generator streams that initialise the input rows, one per block of kInitBlockRows rows
// counting down from kInitStreamId (threads use streams 0..threads-1), so the values do not depend
// on the number of threads that write them.
constexpr uint64_t kInitStreamId = ~uint64_t{0};
constexpr size_t kInitBlockRows = 4096;

// Every row uniform in [-1/cols, 1/cols) (fastText's initialisation), on `threads` threads.
void initialise_rows(Matrix& rows, uint64_t seed, int threads);

struct TrainSchedule {
  uint32_t epochs = 5;
  double lr = 0.1;
  uint32_t negative = 5;
  int threads = 0;
  uint64_t seed = 1;
  std::string loss_log_path;
  double progress_interval_seconds = 0.2;
  std::function<void(const ClassifierProgress&)> on_progress;
  const std::atomic<bool>* stop = nullptr;
};

// Trains the dense input and output rows of `state` in place (Hogwild threads). Fills the
// train_seconds, tokens_per_second, final_loss and interrupted fields.
ClassifierTrainStats train_rows(Classifier::State& state, const LabelledExamples& examples,
                                const TrainSchedule& schedule);

}  // namespace embkit::supervised
