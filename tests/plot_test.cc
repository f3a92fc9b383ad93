// Charts: the label de-overlap (no two placed boxes overlap, ever), the SVG structure cairo writes
// (point marks, label glyph groups, gradient colour bar, heatmap cells in the colormap's colours),
// PNG size read back through cairo, the colormap table, ticks, and the loss-log reader.
#include "embkit/heatmap_plot.h"
#include "embkit/loss_plot.h"
#include "embkit/scatter_plot.h"

#include <cairo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

#include "embkit/error.h"
#include "viz/axes.h"
#include "viz/colormap.h"
#include "viz/label_layout.h"

namespace embkit {
namespace {

namespace fs = std::filesystem;

class PlotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("embkit-plot-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The pieces of cairo's SVG the tests look at: filled paths (style + d), glyph groups (their fill
// and the number of <use> glyphs inside), gradients and their stops.
struct SvgParts {
  struct Path {
    std::string style, d;
  };
  struct GlyphGroup {
    std::string fill;
    size_t glyphs = 0;
  };
  std::vector<Path> paths;
  std::vector<GlyphGroup> glyph_groups;
  size_t gradients = 0, stops = 0;
  std::string desc;
};

SvgParts parse_svg(const std::string& svg) {
  SvgParts parts;
  const size_t body = svg.find("<g id=\"surface");
  EXPECT_NE(body, std::string::npos);
  static const std::regex path_re(R"re(<path style="([^"]*)" d="([^"]*)"/>)re");
  for (auto it = std::sregex_iterator(svg.begin() + body, svg.end(), path_re);
       it != std::sregex_iterator(); ++it)
    parts.paths.push_back({(*it)[1], (*it)[2]});
  static const std::regex group_re(
      R"re(<g style="fill:(rgb\([^)]*\));fill-opacity:1;">([\s\S]*?)</g>)re");
  for (auto it = std::sregex_iterator(svg.begin() + body, svg.end(), group_re);
       it != std::sregex_iterator(); ++it) {
    const std::string inner = (*it)[2];
    size_t uses = 0;
    for (size_t at = inner.find("<use "); at != std::string::npos; at = inner.find("<use ", at + 1))
      ++uses;
    parts.glyph_groups.push_back({(*it)[1], uses});
  }
  for (size_t at = svg.find("<linearGradient"); at != std::string::npos;
       at = svg.find("<linearGradient", at + 1))
    ++parts.gradients;
  for (size_t at = svg.find("<stop "); at != std::string::npos; at = svg.find("<stop ", at + 1))
    ++parts.stops;
  const size_t d0 = svg.find("<desc>"), d1 = svg.find("</desc>");
  if (d0 != std::string::npos && d1 != std::string::npos)
    parts.desc = svg.substr(d0 + 6, d1 - d0 - 6);
  return parts;
}

// "rgb(12.5%,47%,71%)" -> {0.125, 0.47, 0.71}
viz::Rgb parse_rgb(const std::string& text) {
  viz::Rgb c;
  std::sscanf(text.c_str(), "rgb(%lf%%,%lf%%,%lf%%)", &c.r, &c.g, &c.b);
  return {c.r / 100, c.g / 100, c.b / 100};
}

std::string fill_of(const std::string& style) {
  const size_t at = style.find("fill:rgb(");
  return at == std::string::npos ? "" : style.substr(at + 5, style.find(')', at) - at - 4);
}

size_t utf8_characters(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

TEST(LabelLayoutTest, CrowdedLabelsNeverOverlap) {
  std::mt19937 rng(4);
  std::normal_distribution<double> g(0, 1);
  for (double spread : {15.0, 60.0, 250.0}) {
    std::vector<viz::LabelRequest> labels;
    for (int i = 0; i < 400; ++i)
      labels.push_back({400 + spread * g(rng), 300 + spread * g(rng), 20.0 + (i % 7) * 9, 12});
    viz::LabelLayoutOptions options;
    options.area = {0, 0, 800, 600};
    const auto placed = viz::place_labels(labels, options);
    ASSERT_EQ(placed.size(), labels.size());
    size_t drawn = 0, shrunk = 0;
    for (size_t i = 0; i < placed.size(); ++i) {
      if (!placed[i].placed) continue;
      ++drawn;
      shrunk += placed[i].scale < 1;
      EXPECT_TRUE(viz::contains(options.area, placed[i].box));
      EXPECT_NEAR(placed[i].box.width(), labels[i].width * placed[i].scale, 1e-9);
      for (size_t j = 0; j < i; ++j) {
        if (placed[j].placed) {
          ASSERT_FALSE(viz::overlaps(placed[i].box, placed[j].box)) << i << " vs " << j;
        }
      }
    }
    if (spread == 15.0) {  // 400 labels in a 30-unit blob cannot all fit
      EXPECT_LT(drawn, 400u);
      EXPECT_GT(shrunk, 0u);
    }
    EXPECT_GT(drawn, 40u) << spread;
  }
}

TEST(LabelLayoutTest, SparseLabelsSitBesideTheirPoints) {
  std::vector<viz::LabelRequest> labels;
  for (int i = 0; i < 20; ++i) labels.push_back({50.0 + 35 * (i % 5), 50.0 + 40 * (i / 5), 25, 12});
  viz::LabelLayoutOptions options;
  options.area = {0, 0, 400, 300};
  const auto placed = viz::place_labels(labels, options);
  for (size_t i = 0; i < placed.size(); ++i) {
    ASSERT_TRUE(placed[i].placed);
    EXPECT_EQ(placed[i].scale, 1.0);
    EXPECT_FALSE(placed[i].leader);
    // Right of the point, vertically centred: the first candidate.
    EXPECT_NEAR(placed[i].box.x0, labels[i].x + options.point_radius + options.gap, 1e-9);
    EXPECT_NEAR((placed[i].box.y0 + placed[i].box.y1) / 2, labels[i].y, 1e-9);
  }
}

TEST(ColormapTest, TableEndsAndInterpolation) {
  const auto stops = viz::diverging_stops();
  ASSERT_GE(stops.size(), 3u);
  EXPECT_EQ(stops.front().value, -1.0);
  EXPECT_EQ(stops.back().value, 1.0);
  const viz::Rgb low = viz::diverging_color(-1), high = viz::diverging_color(1),
                 mid = viz::diverging_color(0);
  EXPECT_GT(low.b, low.r);                // cold end is blue
  EXPECT_GT(high.r, high.b);              // warm end is red
  EXPECT_GT(mid.r + mid.g + mid.b, 2.7);  // near white
  const viz::Rgb clamped = viz::diverging_color(7);
  EXPECT_EQ(clamped.r, high.r);
  const viz::Rgb a = viz::diverging_color(0.25), b = viz::diverging_color(0.5),
                 ab = viz::diverging_color(0.375);
  EXPECT_NEAR(ab.g, (a.g + b.g) / 2, 1e-12);
}

TEST(AxesTest, NiceTicks) {
  EXPECT_EQ(viz::nice_ticks(0, 10, 5), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(viz::nice_ticks(-0.93, 0.41, 6),
            (std::vector<double>{-0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4}));
  double low = -13.2, high = 47.9;
  viz::widen_to_ticks(low, high);
  EXPECT_EQ(low, -20);
  EXPECT_EQ(high, 50);
  low = high = 3;  // a single value still gets a range
  viz::widen_to_ticks(low, high);
  EXPECT_LT(low, 3);
  EXPECT_GT(high, 3);
}

TEST_F(PlotTest, ScatterSvgHasMarksLabelsAndLegend) {
  std::vector<Point2> points;
  std::vector<std::string> labels;
  std::vector<int> groups;
  for (int i = 0; i < 30; ++i) {
    points.push_back({std::cos(i * 0.7) * (1 + i % 3), std::sin(i * 0.7) * (1 + i % 3)});
    labels.push_back(i % 4 == 0 ? "naïve" + std::to_string(i) : "w" + std::to_string(i));
    groups.push_back(i % 3);
  }
  ScatterOptions options;
  options.title = "t";
  options.group_names = {"alpha", "beta", "gamma"};
  const ScatterReport report = plot_scatter(path("s.svg"), points, labels, groups, options);
  EXPECT_EQ(report.labels_placed + report.labels_dropped, 30u);
  EXPECT_GE(report.labels_placed, 25u);
  const SvgParts svg = parse_svg(slurp(path("s.svg")));
  size_t marks = 0, legend_marks = 0;
  for (const auto& p : svg.paths) {
    const bool circle = p.d.find(" C ") != std::string::npos;
    marks += circle && p.style.find("fill-opacity:0.85") != std::string::npos;
    legend_marks += circle && p.style.find("fill-opacity:1;") != std::string::npos;
  }
  EXPECT_EQ(marks, 30u);
  EXPECT_EQ(legend_marks, 3u);
  // Labels are the glyph groups in the label ink; each has one <use> per character.
  size_t label_groups = 0, glyphs = 0, placed_chars = 0;
  for (const auto& g : svg.glyph_groups)
    if (g.fill == "rgb(10%,10%,10%)") ++label_groups, glyphs += g.glyphs;
  for (const auto& label : labels)
    if (svg.desc.find("\n" + label) != std::string::npos) placed_chars += utf8_characters(label);
  EXPECT_EQ(label_groups, report.labels_placed);
  EXPECT_EQ(glyphs, placed_chars);
  // Tick labels and axis titles (ink 20%), legend entries (15%).
  size_t axis_text = 0, legend_text = 0;
  for (const auto& g : svg.glyph_groups) {
    axis_text += g.fill == "rgb(20%,20%,20%)";
    legend_text += g.fill == "rgb(15%,15%,15%)";
  }
  EXPECT_GE(axis_text, 8u);
  EXPECT_EQ(legend_text, 3u);
  EXPECT_NE(svg.desc.find("scatter of 30 points"), std::string::npos);
}

TEST_F(PlotTest, PngHasTheRequestedSize) {
  std::vector<Point2> points = {{0, 0}, {1, 1}, {2, 0.5}};
  std::vector<std::string> labels = {"a", "b", "c"};
  ScatterOptions options;
  options.width = 400;
  options.height = 300;
  options.png_scale = 2;
  plot_scatter(path("s.png"), points, labels, {}, options);
  cairo_surface_t* image = cairo_image_surface_create_from_png(path("s.png").c_str());
  ASSERT_EQ(cairo_surface_status(image), CAIRO_STATUS_SUCCESS);
  EXPECT_EQ(cairo_image_surface_get_width(image), 800);
  EXPECT_EQ(cairo_image_surface_get_height(image), 600);
  // Not blank: some pixels are dark (axes, labels).
  const unsigned char* data = cairo_image_surface_get_data(image);
  size_t dark = 0;
  for (int y = 0; y < 600; ++y)
    for (int x = 0; x < 800; ++x) {
      const unsigned char* px = data + y * cairo_image_surface_get_stride(image) + 4 * x;
      dark += px[0] < 100 && px[1] < 100 && px[2] < 100;
    }
  EXPECT_GT(dark, 500u);
  cairo_surface_destroy(image);
}

TEST_F(PlotTest, HeatmapCellsUseTheColormap) {
  const std::vector<std::string> labels = {"king", "queen", "man", "woman", "apple"};
  const size_t n = labels.size();
  std::vector<double> values(n * n);
  for (size_t r = 0; r < n; ++r)
    for (size_t c = 0; c < n; ++c) values[r * n + c] = r == c ? 1.0 : std::cos(double(r + 2 * c));
  plot_heatmap(path("h.svg"), labels, values);
  const SvgParts svg = parse_svg(slurp(path("h.svg")));
  EXPECT_EQ(svg.gradients, 1u);
  EXPECT_EQ(svg.stops, viz::diverging_stops().size());
  // The first n*n filled rectangles are the cells, row by row, in the colormap's colours.
  std::vector<viz::Rgb> cells;
  for (const auto& p : svg.paths)
    if (p.d.find(" Z ") != std::string::npos && p.style.find("fill:rgb") != std::string::npos &&
        p.style.find("stroke:none") != std::string::npos)
      cells.push_back(parse_rgb(fill_of(p.style)));
  ASSERT_GE(cells.size(), n * n);
  for (size_t k = 0; k < n * n; ++k) {
    const viz::Rgb want = viz::diverging_color(values[k]);
    EXPECT_NEAR(cells[k].r, want.r, 0.006) << k;
    EXPECT_NEAR(cells[k].g, want.g, 0.006) << k;
    EXPECT_NEAR(cells[k].b, want.b, 0.006) << k;
  }
  // Cell values are printed (n <= 15): n*n annotations plus row and column labels, 2n.
  size_t text_groups = 0;
  for (const auto& g : svg.glyph_groups) text_groups += g.glyphs > 0;
  EXPECT_GE(text_groups, n * n + 2 * n);
  for (const auto& label : labels) EXPECT_NE(svg.desc.find(label), std::string::npos);
}

TEST_F(PlotTest, BigHeatmapHasNoAnnotations) {
  std::vector<std::string> labels;
  for (int i = 0; i < 20; ++i) labels.push_back("w" + std::to_string(i));
  std::vector<double> values(400, 0.5);
  plot_heatmap(path("h.svg"), labels, values);
  const SvgParts svg = parse_svg(slurp(path("h.svg")));
  size_t text_groups = 0;
  for (const auto& g : svg.glyph_groups) text_groups += g.glyphs > 0;
  EXPECT_LT(text_groups, 60u);  // labels, colour-bar ticks and the title only
}

TEST_F(PlotTest, BadChartInput) {
  EXPECT_THROW(plot_scatter(path("x.svg"), {}, {}, {}), UsageError);
  std::vector<Point2> points = {{0, 0}, {NAN, 1}};
  std::vector<std::string> labels = {"a", "b"};
  EXPECT_THROW(plot_scatter(path("x.svg"), points, labels, {}), UsageError);
  points[1] = {1, 1};
  EXPECT_THROW(plot_scatter(path("x.jpg"), points, labels, {}), UsageError);
  EXPECT_THROW(plot_heatmap(path("x.svg"), labels, std::vector<double>(3)), UsageError);
  EXPECT_THROW(plot_scatter(path("no/such/dir/x.svg"), points, labels, {}), IoError);
  EXPECT_FALSE(fs::exists(path("x.svg")));
}

TEST_F(PlotTest, LossLogsOfBothTrainers) {
  std::ofstream(path("w.csv"))
      << "words,epoch,fraction,lr,loss\n100,0,0.5,0.02,3.5\n200,1,1.0,0.01,2.25\n";
  LossCurve w = read_loss_log(path("w.csv"));
  EXPECT_EQ(w.x_name, "words");
  EXPECT_EQ(w.x, (std::vector<double>{100, 200}));
  EXPECT_EQ(w.loss, (std::vector<double>{3.5, 2.25}));
  EXPECT_EQ(w.epoch, (std::vector<long>{0, 1}));
  std::ofstream(path("g.csv")) << "updates,epoch,fraction,loss\r\n5000,0,1.000000,0.125\r\n";
  LossCurve g = read_loss_log(path("g.csv"));
  EXPECT_EQ(g.x_name, "updates");
  EXPECT_EQ(g.loss, (std::vector<double>{0.125}));
  plot_loss(path("g.svg"), g);
  plot_loss(path("w.png"), w);
  EXPECT_TRUE(fs::exists(path("g.svg")));
  EXPECT_TRUE(fs::exists(path("w.png")));
}

TEST_F(PlotTest, BadLossLogsNameFileAndLine) {
  auto message = [&](const std::string& text) -> std::string {
    std::ofstream(path("l.csv"), std::ios::trunc) << text;
    try {
      read_loss_log(path("l.csv"));
    } catch (const FormatError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(message("words,epoch,fraction,lr,loss\n1,0,0.1,0.1,2\n2,0,0.2,0.1\n").find("l.csv:3:"),
            std::string::npos);
  EXPECT_NE(message("words,epoch,fraction,lr,loss\n1,0,0.1,0.1,nan\n").find("l.csv:2:"),
            std::string::npos);
  EXPECT_NE(message("").find("empty"), std::string::npos);
  EXPECT_NE(message("a,b,c\n1,2,3\n").find("l.csv:1:"), std::string::npos);
  EXPECT_NE(message("updates,epoch,fraction,loss\n").find("no loss rows"), std::string::npos);
  EXPECT_THROW(read_loss_log(path("missing.csv")), IoError);
}

}  // namespace
}  // namespace embkit
