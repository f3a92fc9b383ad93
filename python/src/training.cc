// embkit.train(): a corpus file or an iterable of token lists -> the library's encoded corpus -> one
// of the trainers of `embkit train` (sgns, cbow, glove, ppmi-svd), with the options of its table
// (embkit/options.h) as keyword arguments.
//
// Training runs on a worker thread without the GIL. The calling (main) thread is the monitor: about
// ten times a second it takes the GIL, runs PyErr_CheckSignals() (Python runs signal handlers only
// on the main thread, so Ctrl-C is seen there), passes the latest progress to the Python callback,
// and on an exception (KeyboardInterrupt, or one raised by the callback) sets the trainer's stop flag
// and re-raises it once the worker has returned.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bindings.h"
#include "options.h"
#include "embkit/prepare_corpus.h"
#include "embkit/error.h"
#include "embkit/glove.h"
#include "embkit/options.h"
#include "embkit/ppmi_svd.h"
#include "embkit/word2vec.h"

namespace embkit::python {

namespace py = pybind11;

namespace {

// The sentences of a Python iterable (each an iterable of str) encoded by the library's
// CorpusEncoder: the vocabulary rule and sentence cutting of `embkit train` on a file.
PreparedCorpus encode_iterable(py::handle sentences, const VocabOptions& vocab_options) {
  CorpusEncoder encoder("<iterable>");
  for (py::handle sentence : sentences) {
    if (py::isinstance<py::str>(sentence) || py::isinstance<py::bytes>(sentence))
      throw py::type_error("train(): the corpus must yield lists of tokens (str), got a string; "
                           "split it first, or pass a file path instead of an iterable");
    for (py::handle token : sentence) {
      if (!py::isinstance<py::str>(token))
        throw py::type_error("train(): tokens must be str, got " +
                             py::str(py::type::of(token).attr("__name__")).cast<std::string>());
      Py_ssize_t size = 0;
      const char* bytes = PyUnicode_AsUTF8AndSize(token.ptr(), &size);
      if (!bytes) throw py::error_already_set();
      encoder.add_token(std::string_view(bytes, static_cast<size_t>(size)));
    }
    encoder.end_sentence();
  }
  return encoder.finish(vocab_options);
}

// The latest progress report of the worker, for the monitor.
struct ProgressMailbox {
  std::mutex mutex;
  std::condition_variable changed;
  bool done = false;
  bool fresh = false;
  double fraction = 0;
  std::string stage;
  size_t epoch = 0;
  double loss = 0, eta = 0, rate = 0, lr = 0;

  void post(const std::string& s, double f, size_t e, double l, double eta_seconds, double r, double learning_rate) {
    std::lock_guard lock(mutex);
    stage = s;
    fraction = f;
    epoch = e;
    loss = l;
    eta = eta_seconds;
    rate = r;
    lr = learning_rate;
    fresh = true;
  }
};

// Runs `work` on a worker thread while this thread watches for Ctrl-C and forwards progress.
void run_monitored(const std::function<void()>& work, ProgressMailbox& mailbox, std::atomic<bool>& stop,
                   py::object progress) {
  std::exception_ptr worker_error;
  std::thread worker([&] {
    try {
      work();
    } catch (...) {
      worker_error = std::current_exception();
    }
    std::lock_guard lock(mailbox.mutex);
    mailbox.done = true;
    mailbox.changed.notify_all();
  });
  std::optional<py::error_already_set> python_error;
  for (bool done = false; !done;) {
    std::optional<py::dict> report;
    {
      py::gil_scoped_release release;
      std::unique_lock lock(mailbox.mutex);
      mailbox.changed.wait_for(lock, std::chrono::milliseconds(100), [&] { return mailbox.done; });
      done = mailbox.done;
      if (mailbox.fresh && !progress.is_none()) {
        mailbox.fresh = false;
        py::gil_scoped_acquire acquire;
        report = py::dict(py::arg("stage") = mailbox.stage, py::arg("epoch") = mailbox.epoch,
                          py::arg("loss") = mailbox.loss, py::arg("eta_seconds") = mailbox.eta,
                          py::arg("rate") = mailbox.rate, py::arg("learning_rate") = mailbox.lr,
                          py::arg("fraction") = mailbox.fraction);
      }
    }
    if (python_error) continue;  // already stopping: wait for the worker
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (report) progress((*report)["fraction"], *report);
    } catch (py::error_already_set& e) {
      python_error.emplace(std::move(e));
      stop.store(true);
    }
  }
  {
    py::gil_scoped_release release;
    worker.join();
  }
  if (python_error) throw std::move(*python_error);
  if (worker_error) std::rethrow_exception(worker_error);
}

std::unique_ptr<KeyedVectors> train_glove_model(const TrainSettings& settings, const PreparedCorpus& source,
                                                ProgressMailbox& mailbox, std::atomic<bool>& stop,
                                                py::object progress) {
  GloveOptions options = settings.glove;
  options.stop = &stop;
  options.on_counting_progress = [&](double f) { mailbox.post("counting", f, 0, 0, 0, 0, 0); };
  options.on_progress = [&](const GloveProgress& p) {
    mailbox.post("training", p.fraction, p.epoch, p.loss, p.eta_seconds, p.updates_per_second, 0);
  };
  GloveResult result;
  run_monitored([&] { result = train_glove(source.vocab, source.corpus, options); }, mailbox, stop, progress);
  return std::make_unique<KeyedVectors>(std::move(result.vectors));
}

std::unique_ptr<KeyedVectors> train_ppmi_svd_model(const TrainSettings& settings, const PreparedCorpus& source,
                                                   ProgressMailbox& mailbox, std::atomic<bool>& stop,
                                                   py::object progress) {
  PpmiSvdOptions options = settings.ppmi_svd;
  // PPMI + SVD has no stop flag: Ctrl-C is raised when the current run ends.
  options.on_progress = [&](const std::string& stage, double f) { mailbox.post(stage, f, 0, 0, 0, 0, 0); };
  PpmiSvdResult result;
  run_monitored([&] { result = train_ppmi_svd(source.vocab, source.corpus, options); }, mailbox, stop,
                progress);
  return std::make_unique<KeyedVectors>(std::move(result.vectors));
}

std::unique_ptr<KeyedVectors> train_model(py::object corpus, const std::string& algo, py::dict kwargs,
                                          py::object progress) {
  const OptionTable& table = train_option_table();
  if (std::find(table.algorithms.begin(), table.algorithms.end(), algo) == table.algorithms.end())
    throw UsageError(fmt::format("train: algo must be {}, not '{}'", fmt::join(table.algorithms, ", "), algo));
  TrainSettings settings;
  settings.algo = algo;
  apply_train_options(option_values_from_kwargs(table, "train", algo, kwargs), settings);
  const VocabOptions& vocab_options = settings.vocab;
  const bool lowercase = settings.lowercase;

  ProgressMailbox mailbox;
  std::atomic<bool> stop{false};
  PreparedCorpus source;
  if (py::isinstance<py::str>(corpus) || py::hasattr(corpus, "__fspath__")) {
    const std::string path = py::str(py::module_::import("os").attr("fspath")(corpus));
    CorpusOptions corpus_options;
    corpus_options.lowercase_and_split_punctuation = lowercase;
    run_monitored([&] {
      source = prepare_corpus(path, vocab_options, corpus_options,
                              [&](double f) { mailbox.post("reading", f, 0, 0, 0, 0, 0); });
    }, mailbox, stop, progress);
  } else {
    if (lowercase) throw UsageError("train: lowercase applies to corpus files only");
    source = encode_iterable(corpus, vocab_options);
  }
  mailbox.done = false;

  if (algo == "glove") {
    return train_glove_model(settings, source, mailbox, stop, progress);
  }
  if (algo == "ppmi-svd") {
    return train_ppmi_svd_model(settings, source, mailbox, stop, progress);
  }
  Word2VecOptions options = settings.word2vec;
  options.stop = &stop;
  options.on_progress = [&](const TrainProgress& p) {
    mailbox.post("training", p.fraction, p.epoch, p.loss, p.eta_seconds, p.words_per_second_per_thread,
                 p.learning_rate);
  };
  TrainResult result;
  run_monitored([&] { result = train_word2vec(source.vocab, source.corpus, options); }, mailbox, stop,
                progress);
  return std::make_unique<KeyedVectors>(std::move(result.vectors));
}

}  // namespace

void bind_training(py::module_& m) {
  m.def("train", &train_model, py::arg("corpus"), py::arg("algo"), py::arg("options"),
        py::arg("progress") = py::none());
}

}  // namespace embkit::python
