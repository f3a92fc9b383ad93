// `embkit plot` run as a user would: scatter, heatmap and loss curve files, exit codes and the one
// error line for bad input (unknown words, empty lists, bad loss logs, a one-word model).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.h"

namespace {

namespace fs = std::filesystem;

using embkit::cli_test::CliFixture;
using embkit::cli_test::slurp;
using embkit::cli_test::RunResult;

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class CliPlotTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    // 40 words in 4 directions of 6-d space, so t-SNE has structure to find.
    std::ofstream model(dir_ / "model.vec");
    model << "40 6\n";
    for (int i = 0; i < 40; ++i) {
      model << "w" << i;
      for (int d = 0; d < 6; ++d)
        model << ' ' << ((d == i % 4) ? 1.0 : 0.0) + 0.05 * ((i * 7 + d * 3) % 11);
      model << '\n';
    }
  }
  std::string model() const { return (dir_ / "model.vec").string(); }
};

TEST_F(CliPlotTest, ScatterOfTopWordsWritesSvgAndPng) {
  RunResult r = run("plot " + model() + " --top 30 --out " + path("map.svg") + " --threads 1");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string svg = slurp(path("map.svg"));
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("<desc>scatter of 30 points"), std::string::npos);
  EXPECT_NE(r.err.find("30 words by t-SNE"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("perplexity lowered"), std::string::npos) << r.err;  // 30 words < 3 x 30
  r = run("plot " + model() + " --top 30 --out " + path("map.png"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(slurp(path("map.png")).substr(1, 3), "PNG");
  // No temporary files are left behind.
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << entry.path();
}

TEST_F(CliPlotTest, SameSeedSameCoordinates) {
  ASSERT_EQ(run("plot " + model() + " --out " + path("a.svg") + " --coords " + path("a.tsv") +
                " --threads 1 --seed 3 --iterations 300")
                .status,
            0);
  ASSERT_EQ(run("plot " + model() + " --out " + path("b.svg") + " --coords " + path("b.tsv") +
                " --threads 2 --seed 3 --iterations 300")
                .status,
            0);
  const std::string a = slurp(path("a.tsv"));
  EXPECT_EQ(count(a, "\n"), 40u);
  EXPECT_EQ(a.rfind("w0\t", 0), 0u);
  EXPECT_EQ(a, slurp(path("b.tsv")));
}

TEST_F(CliPlotTest, ColorsFileAddsLegend) {
  std::ofstream(path("groups.tsv")) << "w0\t0\nw1\t1\nw2\t2\nw3\t3\nw4\t0\n";
  RunResult r = run("plot " + model() + " --words w0,w1,w2,w3,w4,w5 --colors " + path("groups.tsv") +
              " --out " + path("c.svg"));
  ASSERT_EQ(r.status, 0) << r.err;
  std::ofstream(path("bad.tsv")) << "w0\t0\nw1 1\n";
  r = run("plot " + model() + " --top 10 --colors " + path("bad.tsv") + " --out " + path("d.svg"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("bad.tsv:2:"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("d.svg")));
}

TEST_F(CliPlotTest, HeatmapOfWords) {
  RunResult r = run("plot " + model() + " --heatmap --words w0,w1,w2,w4 --out " + path("h.svg"));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string svg = slurp(path("h.svg"));
  EXPECT_EQ(count(svg, "<linearGradient"), 1u);
  EXPECT_NE(svg.find("<desc>heatmap of 4 words"), std::string::npos);
}

TEST_F(CliPlotTest, UnknownWordsAreSkippedWithExitOne) {
  RunResult r = run("plot " + model() + " --heatmap --words w0,nosuch,w1,w2 --out " + path("h.svg"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("nosuch"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(path("h.svg")));  // drawn with the three known words
  EXPECT_NE(slurp(path("h.svg")).find("<desc>heatmap of 3 words"), std::string::npos);
  r = run("plot " + model() + " --words w0,nosuch,other --out " + path("x.svg"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("need at least 2"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("x.svg")));
}

TEST_F(CliPlotTest, UsageErrors) {
  EXPECT_EQ(run("plot " + model() + " --words , --out " + path("x.svg")).status, 2);
  EXPECT_EQ(run("plot " + model() + " --heatmap --out " + path("x.svg")).status, 2);
  RunResult r = run("plot " + model() + " --clusters 41 --out " + path("x.svg"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("more than the 40 words"), std::string::npos) << r.err;
  r = run("plot " + model() + " --clusters 4 --colors x.tsv --out " + path("x.svg"));
  EXPECT_EQ(r.status, 2);
  r = run("plot " + model() + " --out " + path("x.pdf"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(".svg or .png"), std::string::npos) << r.err;
  EXPECT_EQ(run("plot --out " + path("x.svg")).status, 2);
  EXPECT_EQ(run("plot " + model() + " --loss x.csv --out " + path("x.svg")).status, 2);
  EXPECT_EQ(run("plot " + model() + " --out " + path("missing/x.svg")).status, 1);
  EXPECT_FALSE(fs::exists(path("x.svg")));
}

TEST_F(CliPlotTest, OneWordModelFails) {
  std::ofstream(path("one.vec")) << "1 3\nsolo 1 2 3\n";
  RunResult r = run("plot " + path("one.vec") + " --out " + path("x.svg"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("1 known word in"), std::string::npos) << r.err;
  EXPECT_EQ(count(r.err, "\n"), 1u) << r.err;
}

TEST_F(CliPlotTest, LossCurvesOfBothTrainers) {
  std::ofstream(path("w2v.csv"))
      << "words,epoch,fraction,lr,loss\n1000,0,0.25,0.02,3.1\n2000,0,0.5,0.015,2.7\n"
         "3000,1,0.75,0.01,2.5\n4000,1,1.0,0.005,2.4\n";
  std::ofstream(path("glove.csv"))
      << "updates,epoch,fraction,loss\n500,0,0.5,0.9\n1000,1,1.0,0.4\n";
  for (const char* name : {"w2v", "glove"}) {
    RunResult r = run(std::string("plot --loss ") + path(std::string(name) + ".csv") + " --out " +
                path(std::string(name) + ".png"));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(fs::exists(path(std::string(name) + ".png")));
  }
  std::ofstream(path("bad.csv"))
      << "words,epoch,fraction,lr,loss\n1000,0,0.25,0.02,3.1\n2000,0,oops,0.015\n";
  RunResult r = run("plot --loss " + path("bad.csv") + " --out " + path("bad.svg"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("bad.csv:3:"), std::string::npos) << r.err;
  std::ofstream(path("empty.csv")) << "";
  r = run("plot --loss " + path("empty.csv") + " --out " + path("bad.svg"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("empty.csv"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("bad.svg")));
}

}  // namespace

namespace {
std::set<std::string> fill_colours(const std::string& svg) {
  std::set<std::string> colours;
  for (size_t at = svg.find("fill:rgb("); at != std::string::npos; at = svg.find("fill:rgb(", at + 1))
    colours.insert(svg.substr(at, svg.find(')', at) - at));
  return colours;
}
}  // namespace

// PCA maps the four planted directions to four separate groups of points, and --clusters K colours
// the points by k-means over the plotted words.
TEST_F(CliPlotTest, PcaMapAndClusterColours) {
  RunResult r = run("plot " + model() + " --method pca --top 40 --out " + path("pca.svg") + " --coords " +
              path("pca.tsv"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("by PCA ("), std::string::npos) << r.err;
  std::map<int, std::vector<std::pair<double, double>>> by_direction;
  std::istringstream coords(slurp(path("pca.tsv")));
  std::string word;
  double x, y;
  while (coords >> word >> x >> y) by_direction[std::stoi(word.substr(1)) % 4].push_back({x, y});
  ASSERT_EQ(by_direction.size(), 4u);
  auto centre = [](const std::vector<std::pair<double, double>>& p) {
    double cx = 0, cy = 0;
    for (auto [px, py] : p) cx += px / p.size(), cy += py / p.size();
    return std::pair{cx, cy};
  };
  double largest_spread = 0, closest_centres = 1e9;
  for (const auto& [d, points] : by_direction) {
    const auto [cx, cy] = centre(points);
    for (auto [px, py] : points) largest_spread = std::max(largest_spread, std::hypot(px - cx, py - cy));
    for (const auto& [e, others] : by_direction)
      if (e != d) {
        const auto [ox, oy] = centre(others);
        closest_centres = std::min(closest_centres, std::hypot(ox - cx, oy - cy));
      }
  }
  EXPECT_LT(2 * largest_spread, closest_centres);

  r = run("plot " + model() + " --method pca --top 40 --clusters 4 --out " + path("k.svg"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_GE(fill_colours(slurp(path("k.svg"))).size(), fill_colours(slurp(path("pca.svg"))).size() + 3);
}
