#include "sentinel/core/display/statusline.hpp"

#include <doctest/doctest.h>

#include "sentinel/core/classify.hpp"
#include "sentinel/core/sanitize.hpp"

using namespace sentinel;

namespace {

// A fluent snapshot: Snap().kube("prod-eu", "payments").env("APP_ENV", "production").done()
struct Snap {
    Snapshot s;
    Snap() { s.config = build_config(std::nullopt, std::nullopt); }
    Snap& kube(const std::string& context, const std::string& ns) {
        Target t;
        t.kind = Kind::kube;
        t.set("context", context, "test");
        t.set("namespace", ns, "test");
        s.targets.push_back(t);
        return *this;
    }
    Snap& pg(const std::string& dbname, const std::string& host, const std::string& port = "5432") {
        Target t;
        t.kind = Kind::pg;
        t.set("host", host, "test");
        t.set("port", port, "test");
        t.set("dbname", dbname, "test");
        s.targets.push_back(t);
        return *this;
    }
    Snap& env(const std::string& name, const std::string& value) {
        Target t;
        t.kind = Kind::env;
        t.set("name", name, "test");
        t.set("value", value, "test");
        s.targets.push_back(t);
        return *this;
    }
    Snapshot done() {
        for (Target& t : s.targets) classify(t, s.config);
        s.tier = overall_tier(s.targets, s.config);
        return s;
    }
};

}  // namespace

TEST_CASE("line_content: label, colour and items in target order") {
    LineContent c = line_content(Snap().kube("prod-eu", "payments").pg("orders", "db1", "5433").env("APP_ENV", "production").done());
    CHECK(c.tier == "production");
    CHECK(c.label == "PROD");
    CHECK(c.color == Color::ansi(1));
    CHECK(c.items == std::vector<std::string>{"kube prod-eu/payments", "pg orders@db1:5433", "APP_ENV=production"});
}

TEST_CASE("line_content: no target") {
    LineContent c = line_content(Snap().done());
    CHECK(c.tier == "none");
    CHECK(c.label.empty());
    CHECK(c.items.empty());
    CHECK(layout_status_line(c, 40, false).text() == "sentinel: no target");
}

TEST_CASE("layout: label block in the tier colour, details in its foreground") {
    LineContent c = line_content(Snap().kube("prod-eu", "payments").done());
    StatusLine line = layout_status_line(c, 80, false);
    REQUIRE(line.segments.size() == 2);
    CHECK(line.segments[0].text == " PROD ");
    CHECK(line.segments[0].style == Style{.fg = 1, .bold = true, .reverse = true});
    CHECK(line.segments[1].text == " kube prod-eu/payments");
    CHECK(line.segments[1].style == Style{.fg = 1});
    CHECK(line.width == 28);
}

TEST_CASE("layout: NO_COLOR is reverse video without colours") {
    StatusLine line = layout_status_line(line_content(Snap().kube("prod-eu", "payments").done()), 80, true);
    REQUIRE(line.segments.size() == 2);
    CHECK(line.segments[0].style == Style{.bold = true, .reverse = true});
    CHECK(line.segments[1].style == Style{});
}

TEST_CASE("layout: elided in the middle to the width, to the byte") {
    LineContent c;
    c.tier = "production";
    c.label = "PROD";
    c.color = Color::ansi(1);
    c.items = {"kube gke_project-1234_europe-west1_prod-cluster/payments"};
    StatusLine line = layout_status_line(c, 30, false);
    CHECK(line.width == 30);
    CHECK(line.text() == " PROD  kube gke_pr\u2026er/payments");
    CHECK(layout_status_line(c, 7, false).text() == " PROD ");
    CHECK(layout_status_line(c, 4, false).text() == " P\u2026 ");
    CHECK(layout_status_line(c, 0, false).segments.empty());
    for (std::size_t w = 0; w < 80; ++w) CHECK(layout_status_line(c, w, false).width <= w);
}

TEST_CASE("layout: hostile names stay text (BAD_INPUTS rows 3 and 6)") {
    LineContent c = line_content(
        Snap().kube("#(touch /tmp/canary)\x1b]0;title\x07\x1b[2J", "#{pane_title}\xc2\x9b" "31m").env("APP_ENV", "#[fg=red]##").done());
    std::string text = layout_status_line(c, 200, false).text();
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.find("\xc2\x9b") == std::string::npos);
    CHECK(text.find("kube #(touch /tmp/canary)\\e]0;title\\a\\e[2J/#{pane_title}\\u{009b}31m") != std::string::npos);
    CHECK(text.find("APP_ENV=#[fg=red]##") != std::string::npos);
    for (char ch : text) CHECK(static_cast<unsigned char>(ch) >= 0x20);
}
