#include "sentinel/core/display/model.hpp"

#include <algorithm>

#include "sentinel/core/display/chain.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

// env, terraform, aws and gcloud short names say what they are
// ("APP_ENV=prod", "tf:prod"): no kind in front of them.
bool names_its_kind(Kind kind) { return kind != Kind::kube && kind != Kind::pg; }

// A problem in a few words: without its parenthesis ("(from
// /home/u/.kube/config:9:18)") nor a "libpq: " in front, at most 60 columns.
std::string brief(const std::string& problem) {
    std::string text = problem.substr(0, problem.find(" ("));
    if (text.rfind("libpq: ", 0) == 0) text.erase(0, 7);
    return elide_middle(text, 60);
}

void add_once(std::vector<std::string>& list, std::string item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
}

}  // namespace

std::string Display::shown_label() const { return label.empty() ? sanitize(tier.name()) : label; }

std::string short_name(const Target& t) {
    switch (t.kind) {
        case Kind::kube: {
            std::string context = t.get("context").empty() ? "(no context)" : sanitize(t.get("context"));
            const std::string& ns = t.get("namespace");
            return ns.empty() ? context : context + "/" + sanitize(ns);
        }
        case Kind::pg: {
            if (!t.get("service").empty()) return sanitize(t.get("service"));
            const std::string& host = t.get("host").empty() ? t.get("hostaddr") : t.get("host");
            std::string out = sanitize(t.get("dbname")) + "@" + sanitize(host);
            const std::string& port = t.get("port");
            if (!port.empty() && port != "5432") out += ":" + sanitize(port);
            return out;
        }
        case Kind::env:
            return sanitize(t.get("name")) + "=" + sanitize(t.get("value"));
        case Kind::terraform:
            return "tf:" + sanitize(t.display_name());
        case Kind::aws:
            return "aws:" + sanitize(t.display_name());
        case Kind::gcloud:
            return "gcloud:" + sanitize(t.display_name());
    }
    return {};
}

Display make_display(const Snapshot& s) {
    Display d;
    d.tier = s.tier;
    if (const TierSpec* spec = s.config.spec(s.tier)) {
        d.label = sanitize(spec->label);
        d.color = spec->color;
    }
    d.dangerous = s.config.production_ranked(s.tier);
    for (const Target& t : s.targets) {
        TargetView v;
        v.kind = t.kind;
        v.tier = t.tier;
        if (const TierSpec* spec = s.config.spec(t.tier)) {
            v.label = sanitize(spec->label);
            v.color = spec->color;
        }
        v.name = short_name(t) + server_marks(t, s.config);
        for (const Hop& h : t.via) v.via.push_back(describe_hop(h));
        v.lines = target_lines(t);
        if (!t.problems.empty()) v.problem = sanitize(t.problems.front());
        d.targets.push_back(std::move(v));
    }
    return d;
}

std::string chain_text(const TargetView& t) {
    if (t.via.empty()) return t.name;
    std::string out = t.name;
    for (const std::string& hop : t.via) out += " \u2192 " + hop;
    return out + " \u2192 " + (t.label.empty() ? sanitize(t.tier.name()) : t.label);
}

std::vector<std::string> distinct_names(const Display& d) {
    std::vector<std::string> out;
    for (const TargetView& t : d.targets)
        add_once(out, t.problem.empty() ? chain_text(t) : std::string(kind_name(t.kind)) + ": " + brief(t.problem));
    return out;
}

std::vector<std::string> line_items(const Display& d) {
    std::vector<std::string> out;
    for (const TargetView& t : d.targets) {
        std::string item =
            names_its_kind(t.kind) ? chain_text(t) : std::string(kind_name(t.kind)) + " " + chain_text(t);
        add_once(out, t.problem.empty() ? item : item + ": " + t.problem);
    }
    return out;
}

}  // namespace sentinel
