#include <algorithm>

#include "sentinel/core/display/format.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

std::string paint(bool color, const std::string& text, const std::string& sgr) {
    if (!color || sgr.empty()) return text;
    return "\x1b[" + sgr + "m" + text + "\x1b[0m";
}

std::string sgr_of(const Color& c, bool bold) {
    std::string sgr = c.sgr(false);
    if (bold) sgr = sgr.empty() ? "1" : "1;" + sgr;
    return sgr;
}

std::string target_label(const TargetView& v) { return v.label.empty() ? sanitize(v.tier.name()) : v.label; }

}  // namespace

std::string format_plain(const Snapshot& s, const Display& d, bool color) {
    std::string out;
    out += "tier: " + paint(color, d.shown_label(), sgr_of(d.color, true)) + " (" + sanitize(s.tier.name()) + ")\n";
    if (s.targets.empty()) out += "no targets: no kube context, PostgreSQL variables or configured env variables\n";
    for (std::size_t i = 0; i < s.targets.size(); ++i) {
        const Target& t = s.targets[i];
        const TargetView& v = d.targets[i];
        out += std::string(kind_name(t.kind)) + "  ";
        std::string details;
        for (const Field& f : t.fields) {
            if (f.value.empty()) continue;
            if (!details.empty()) details += "  ";
            details += f.name + "=" + sanitize(f.value);
        }
        out += details.empty() ? "(unresolved)" : details;
        out += "  " + paint(color, target_label(v), sgr_of(v.color, true)) + "  by " + sanitize_rule(t.rule) + "\n";
        if (!v.via.empty()) out += "  reaches " + chain_text(v) + "\n";
        for (const std::string& line : v.lines) out += "  " + line + "\n";
    }
    // Config errors are among the warnings (the JSON keeps them there); the
    // command prints them once, as errors, on stderr.
    for (const std::string& w : s.warnings)
        if (std::find(s.config.errors.begin(), s.config.errors.end(), w) == s.config.errors.end())
            out += "warning: " + sanitize(w) + "\n";
    return out;
}

std::string format_label(const Display& d, bool color) {
    return paint(color, d.shown_label(), sgr_of(d.color, true));
}

std::string format_prompt(const Display& d, bool color, std::size_t width) {
    if (d.targets.empty() && d.tier != Tier::unknown()) return {};
    std::string label = d.shown_label();
    std::string names;
    for (const std::string& name : distinct_names(d)) names += (names.empty() ? "" : " ") + name;
    if (width) {
        if (display_width(label) >= width) return paint(color, elide_middle(label, width), sgr_of(d.color, true));
        names = elide_middle(names, width - display_width(label) - 1);
    }
    std::string out = paint(color, label, sgr_of(d.color, true));
    if (!names.empty()) out += " " + paint(color, names, sgr_of(d.color, false));
    return out;
}

}  // namespace sentinel
