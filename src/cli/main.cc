// embkit: the command-line face of the library. This file only builds the command tree and turns
// exceptions into the exit codes of CLI.md (1 runtime error, 2 usage error); each subcommand lives in
// its own file and calls the library.
#include <algorithm>
#include <cstdio>
#include <string>
#include <new>

#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "cli/options_cli.h"
#include "embkit/data_error.h"
#include "embkit/error.h"

int main(int argc, char** argv) {
  using namespace embkit;
  CLI::App app{"embkit: train, transform, search, evaluate and convert embeddings"};
  app.name("embkit");
  app.set_version_flag("--version", "embkit 0.1.0");
  app.require_subcommand(1);
  cli::add_train_command(app);
  cli::add_info_command(app);
  cli::add_neighbors_command(app);
  cli::add_similarity_command(app);
  cli::add_analogy_command(app);
  cli::add_convert_command(app);
  cli::add_eval_command(app);
  cli::add_cooccur_command(app);
  cli::add_docs_command(app);
  cli::add_cluster_command(app);
  cli::add_probe_command(app);
  cli::add_transform_command(app);
  cli::add_jl_command(app);
  cli::add_index_command(app);
  cli::add_plot_command(app);
  cli::add_demo_command(app);
  cli::add_classify_command(app);
  cli::check_unsigned_options(&app);
  try {
    app.parse(argc, argv);
    cli::check_standard_output();
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, as for every other error: scripts read the first line of stderr.
    std::string message = e.what();
    std::replace(message.begin(), message.end(), '\n', ' ');
    std::fprintf(stderr, "embkit: error: %s (see embkit --help)\n", message.c_str());
    return 2;
  } catch (const DataError& e) {  // a UsageError about the data, not the arguments
    std::fprintf(stderr, "embkit: error: %s\n", e.what());
    return 1;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "embkit: error: %s\n", e.what());
    return 2;
  } catch (const Error& e) {
    std::fprintf(stderr, "embkit: error: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "embkit: error: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "embkit: error: %s\n", e.what());
    return 1;
  }
  return cli::exit_status();
}
