// embkit.classify: supervised text classification (embkit/classifier.h) with the options of the
// `classify train` and `classify quantize` tables as keyword arguments. Training and quantization
// run on a worker thread without the GIL while the calling thread forwards progress and watches
// for Ctrl-C (which stops training and raises KeyboardInterrupt).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bindings.h"
#include "embkit/classifier.h"
#include "embkit/classify_options.h"
#include "embkit/error.h"
#include "options.h"

namespace embkit::python {

namespace py = pybind11;

namespace {

// Runs `work` on a thread; this thread checks for signals and passes progress to `progress`.
void run_watched(const std::function<void(std::function<void(const ClassifierProgress&)>)>& work,
                 std::atomic<bool>& stop, py::object progress) {
  std::mutex mutex;
  std::condition_variable changed;
  bool done = false, fresh = false;
  ClassifierProgress latest;
  std::exception_ptr error;
  auto report = [&](const ClassifierProgress& p) {
    std::lock_guard lock(mutex);
    latest = p;
    fresh = true;
  };
  std::thread worker([&] {
    try {
      work(report);
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard lock(mutex);
    done = true;
    changed.notify_all();
  });
  std::optional<py::error_already_set> python_error;
  for (bool finished = false; !finished;) {
    std::optional<ClassifierProgress> seen;
    {
      py::gil_scoped_release release;
      std::unique_lock lock(mutex);
      changed.wait_for(lock, std::chrono::milliseconds(100), [&] { return done; });
      finished = done;
      if (fresh) {
        fresh = false;
        seen = latest;
      }
    }
    if (python_error) continue;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (seen && !progress.is_none()) {
        py::dict info(py::arg("epoch") = seen->epoch, py::arg("loss") = seen->loss,
                      py::arg("eta_seconds") = seen->eta_seconds,
                      py::arg("rate") = seen->tokens_per_second_per_thread,
                      py::arg("learning_rate") = seen->learning_rate, py::arg("fraction") = seen->fraction);
        progress(seen->fraction, info);
      }
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
  if (error) std::rethrow_exception(error);
}

std::string fspath(py::object path) { return py::str(py::module_::import("os").attr("fspath")(path)); }

Classifier train(py::object path, const std::string& loss, py::dict kwargs, py::object progress) {
  const OptionTable& table = classify_option_table();
  if (!parse_classifier_loss(loss))
    throw UsageError(fmt::format("train: loss must be {}, not '{}'", fmt::join(table.algorithms, ", "), loss));
  ClassifySettings settings;
  settings.loss = loss;
  apply_classify_options(option_values_from_kwargs(table, "train", loss, kwargs), settings);
  const std::string file = fspath(path);
  std::atomic<bool> stop{false};
  Classifier result;
  ClassifierTrainStats stats;
  run_watched(
      [&](auto report) {
        ClassifierOptions options = settings.options;
        options.on_progress = report;
        options.stop = &stop;
        result = train_classifier(file, options, &stats);
      },
      stop, progress);
  if (stats.interrupted) {
    PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  }
  return result;
}

Classifier quantize(const Classifier& classifier, py::dict kwargs, py::object progress) {
  QuantizeOptions options;
  apply_classify_quantize_options(
      option_values_from_kwargs(classify_quantize_option_table(), "quantize", "", kwargs), options);
  if (options.retrain && options.retrain_data.empty())
    throw UsageError("quantize(): retrain=True needs input_data (the training file)");
  std::atomic<bool> stop{false};
  Classifier result;
  run_watched(
      [&](auto report) {
        QuantizeOptions o = options;
        o.on_progress = report;
        result = quantize_classifier(classifier, o);
      },
      stop, progress);
  return result;
}

// Labels and probabilities of each text, as lists.
py::tuple predict(const Classifier& c, const std::vector<std::string>& texts, size_t k, float threshold) {
  std::vector<std::vector<LabelPrediction>> all(texts.size());
  {
    py::gil_scoped_release release;
    PredictionScratch scratch;
    for (size_t i = 0; i < texts.size(); ++i) {
      std::string_view text = texts[i];
      if (text.find('\n') != std::string_view::npos)
        throw UsageError(fmt::format("predict(): text {} holds a newline: pass one line per text", i));
      c.line_features(text, true, scratch.features, scratch.labels, scratch.hashes);
      c.predict_features(scratch.features, k, threshold, scratch, all[i]);
    }
  }
  py::list labels, probabilities;
  for (const auto& predictions : all) {
    py::list names, values;
    for (const LabelPrediction& p : predictions) {
      names.append(c.label_name(p.label));
      values.append(p.probability);
    }
    labels.append(py::tuple(names));
    probabilities.append(values);
  }
  return py::make_tuple(labels, probabilities);
}

py::dict test(const Classifier& c, py::object path, size_t k, float threshold, int threads) {
  if (k == 0) throw UsageError("test(): k must be at least 1");
  const std::string file = fspath(path);
  ClassifierTestResult r;
  {
    py::gil_scoped_release release;
    r = test_classifier(c, file, k, threshold, threads);
  }
  py::dict labels;
  for (const ClassifierLabelScore& l : r.labels)
    labels[py::str(c.label_name(l.label))] =
        py::dict(py::arg("precision") = l.precision(), py::arg("recall") = l.recall(), py::arg("f1") = l.f1(),
                 py::arg("gold") = l.gold, py::arg("predicted") = l.predicted, py::arg("correct") = l.correct);
  return py::dict(py::arg("examples") = r.examples, py::arg("precision") = r.precision(),
                  py::arg("recall") = r.recall(), py::arg("k") = k, py::arg("skipped_lines") = r.skipped_lines,
                  py::arg("labels") = labels);
}

}  // namespace

void bind_classify(py::module_& m) {
  py::class_<Classifier>(m, "Classifier")
      .def_property_readonly("labels",
                             [](const Classifier& c) {
                               std::vector<std::string> names;
                               for (uint32_t l = 0; l < c.label_count(); ++l) names.push_back(c.label_name(l));
                               return names;
                             })
      .def_property_readonly("words",
                             [](const Classifier& c) {
                               std::vector<std::string> words;
                               for (size_t w = 0; w < c.word_count(); ++w) words.push_back(c.model().entries[w].word);
                               return words;
                             })
      .def_property_readonly("loss", [](const Classifier& c) { return std::string(classifier_loss_name(c.loss())); })
      .def_property_readonly("dim", &Classifier::dim)
      .def_property_readonly("quantized", &Classifier::quantized)
      .def_property_readonly("label_prefix", &Classifier::label_prefix)
      .def("predict", &predict, py::arg("texts"), py::arg("k") = 1, py::arg("threshold") = 0.0f)
      .def("test", &test, py::arg("path"), py::arg("k") = 1, py::arg("threshold") = 0.0f, py::arg("threads") = 0)
      .def("save",
           [](const Classifier& c, py::object path) {
             const std::string file = fspath(path);
             py::gil_scoped_release release;
             c.save(file);
           },
           py::arg("path"))
      .def("quantize", &quantize, py::arg("options"), py::arg("progress") = py::none());
  m.def("classify_train", &train, py::arg("path"), py::arg("loss"), py::arg("options"),
        py::arg("progress") = py::none());
  m.def(
      "classify_load",
      [](py::object path, const std::string& label) {
        const std::string file = fspath(path);
        py::gil_scoped_release release;
        return Classifier::load(file, label);
      },
      py::arg("path"), py::arg("label") = "__label__");
}

}  // namespace embkit::python
