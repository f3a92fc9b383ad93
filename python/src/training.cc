// embkit.train(): a corpus file or an iterable of token lists -> the library's encoded corpus -> one
// of the trainers of `embkit train` (sgns, cbow, glove, ppmi-svd), with the CLI's option names.
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
#include <set>
#include <string>
#include <thread>
#include <unordered_set>

#include "bindings.h"
#include "embkit/prepare_corpus.h"
#include "embkit/error.h"
#include "embkit/glove.h"
#include "embkit/ppmi_svd.h"
#include "embkit/word2vec.h"

namespace embkit::python {

namespace py = pybind11;

namespace {

// Options by their CLI names (dashes as underscores); every key must be consumed.
class OptionReader {
 public:
  explicit OptionReader(py::dict options) : options_(std::move(options)) {}
  template <typename T>
  T get(const char* name, T fallback) {
    used_.insert(name);
    if (!options_.contains(name) || options_[name].is_none()) return fallback;
    return options_[name].cast<T>();
  }
  void check_all_used(const std::string& algo) const {
    for (auto item : options_) {
      const std::string key = py::str(item.first);
      if (!used_.count(key))
        throw py::type_error("train(): unknown option '" + key + "' for algo '" + algo + "'");
    }
  }

 private:
  py::dict options_;
  std::set<std::string> used_;
};

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

Word2VecOptions word2vec_options(OptionReader& o, const std::string& algo) {
  Word2VecOptions options;
  options.architecture = algo == "cbow" ? Word2VecArchitecture::Cbow : Word2VecArchitecture::SkipGram;
  options.dim = o.get<size_t>("dim", 100);
  options.window = o.get<size_t>("window", options.window);
  options.negative = o.get<size_t>("negative", options.negative);
  options.sample = o.get<double>("sample", options.sample);
  options.epochs = o.get<size_t>("epochs", options.epochs);
  options.learning_rate = o.get<double>("lr", 0.0);
  options.threads = o.get<int>("threads", 0);
  options.seed = o.get<uint64_t>("seed", 1);
  const std::string update = o.get<std::string>("update", "minibatch");
  if (update != "minibatch" && update != "classic")
    throw UsageError("train: update must be 'minibatch' or 'classic', not '" + update + "'");
  options.minibatch = update == "minibatch";
  options.loss_log_path = o.get<std::string>("loss_log", "");
  return options;
}

void counting_options(OptionReader& o, CooccurrenceOptions& counting) {
  counting.window = o.get<size_t>("window", counting.window);
  counting.symmetric = !o.get<bool>("one_sided", false);
  const std::string weighting = o.get<std::string>("weighting", "");
  if (!weighting.empty() && weighting != "harmonic" && weighting != "uniform")
    throw UsageError("train: weighting must be 'harmonic' or 'uniform', not '" + weighting + "'");
  if (!weighting.empty())
    counting.weighting = weighting == "harmonic" ? CooccurrenceWeighting::Harmonic : CooccurrenceWeighting::Uniform;
  counting.memory_gb = o.get<double>("memory", counting.memory_gb);
  counting.temp_dir = o.get<std::string>("temp_dir", "");
  counting.threads = o.get<int>("threads", 0);
}

std::unique_ptr<KeyedVectors> train_glove_model(OptionReader& o, const PreparedCorpus& source,
                                                ProgressMailbox& mailbox, std::atomic<bool>& stop,
                                                py::object progress) {
  GloveOptions options = default_glove_options();
  counting_options(o, options.counting);
  options.dim = o.get<size_t>("dim", options.dim);
  options.epochs = o.get<size_t>("epochs", options.epochs);
  const double lr = o.get<double>("lr", 0.0);
  if (lr > 0) options.learning_rate = lr;
  options.x_max = o.get<double>("x_max", options.x_max);
  options.alpha = o.get<double>("alpha", options.alpha);
  options.output = o.get<std::string>("glove_output", "sum") == "word" ? GloveOutput::Word : GloveOutput::Sum;
  options.threads = o.get<int>("threads", 0);
  options.seed = o.get<uint64_t>("seed", 1);
  options.loss_log_path = o.get<std::string>("loss_log", "");
  options.stop = &stop;
  o.check_all_used("glove");
  options.on_counting_progress = [&](double f) { mailbox.post("counting", f, 0, 0, 0, 0, 0); };
  options.on_progress = [&](const GloveProgress& p) {
    mailbox.post("training", p.fraction, p.epoch, p.loss, p.eta_seconds, p.updates_per_second, 0);
  };
  GloveResult result;
  run_monitored([&] { result = train_glove(source.vocab, source.corpus, options); }, mailbox, stop, progress);
  return std::make_unique<KeyedVectors>(std::move(result.vectors));
}

std::unique_ptr<KeyedVectors> train_ppmi_svd_model(OptionReader& o, const PreparedCorpus& source,
                                                   ProgressMailbox& mailbox, std::atomic<bool>& stop,
                                                   py::object progress) {
  PpmiSvdOptions options = default_ppmi_svd_options();
  counting_options(o, options.counting);
  const int threads = o.get<int>("threads", 0);
  options.ppmi.smoothing = o.get<double>("cds", options.ppmi.smoothing);
  options.ppmi.shift = o.get<double>("shift", options.ppmi.shift);
  options.ppmi.threads = threads;
  options.svd.rank = o.get<size_t>("dim", 100);
  const std::string svd = o.get<std::string>("svd", "randomized");
  if (svd != "randomized" && svd != "lanczos")
    throw UsageError("train: svd must be 'randomized' or 'lanczos', not '" + svd + "'");
  options.svd.method = svd == "lanczos" ? SvdMethod::Lanczos : SvdMethod::Randomized;
  options.svd.power_iterations = o.get<size_t>("power_iterations", options.svd.power_iterations);
  options.svd.oversample = o.get<size_t>("oversample", options.svd.oversample);
  options.svd.half_precision_range = o.get<std::string>("range_precision", "half") == "half";
  options.svd.seed = o.get<uint64_t>("seed", 1);
  options.svd.threads = threads;
  options.eig_power = o.get<double>("eig_power", options.eig_power);
  o.check_all_used("ppmi-svd");
  // PPMI + SVD has no stop flag: Ctrl-C is raised when the current run ends.
  options.on_progress = [&](const std::string& stage, double f) { mailbox.post(stage, f, 0, 0, 0, 0, 0); };
  PpmiSvdResult result;
  run_monitored([&] { result = train_ppmi_svd(source.vocab, source.corpus, options); }, mailbox, stop,
                progress);
  return std::make_unique<KeyedVectors>(std::move(result.vectors));
}

std::unique_ptr<KeyedVectors> train_model(py::object corpus, const std::string& algo, py::dict kwargs,
                                          py::object progress) {
  static const std::unordered_set<std::string> algos{"sgns", "cbow", "glove", "ppmi-svd"};
  if (!algos.count(algo))
    throw UsageError("train: algo must be sgns, cbow, glove or ppmi-svd, not '" + algo + "'");
  OptionReader o(kwargs);
  VocabOptions vocab_options;
  vocab_options.min_count = o.get<uint64_t>("min_count", 5);
  vocab_options.max_vocab = o.get<size_t>("max_vocab", 0);
  const bool lowercase = o.get<bool>("lowercase", false);

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
    return train_glove_model(o, source, mailbox, stop, progress);
  }
  if (algo == "ppmi-svd") {
    return train_ppmi_svd_model(o, source, mailbox, stop, progress);
  }
  Word2VecOptions options = word2vec_options(o, algo);
  o.check_all_used(algo);
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
