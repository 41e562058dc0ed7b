#include "sentinel/core/display/format.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

std::string join(const std::vector<std::string>& list) {
    std::string out;
    for (const std::string& s : list) out += (out.empty() ? "" : ", ") + sanitize(s);
    return out;
}

std::string pad(std::string s, std::size_t width) {
    std::size_t w = display_width(s);
    if (w < width) s.append(width - w, ' ');
    return s;
}

}  // namespace

std::string format_explain(const Snapshot& s, const Display& d, bool color, bool command) {
    auto paint = [&](const std::string& text, const Color& c) {
        std::string sgr = c.sgr(false);
        if (!color || sgr.empty()) return text;
        return "\x1b[1;" + sgr + "m" + text + "\x1b[0m";
    };
    auto label = [&](const std::string& shown, const Tier& tier) { return shown + " (" + sanitize(tier.name()) + ")"; };

    std::string out = std::string(command ? "This command acts on " : "This terminal is ") +
                      paint(label(d.shown_label(), s.tier), d.color);
    if (!s.config.errors.empty()) out += " because the configuration has errors (see below)";
    else if (s.targets.empty()) out += ": nothing here names a kube context, a PostgreSQL server or a configured variable";
    else if (s.tier == Tier::unknown() || s.tier == Tier::production())
        out += ", the most dangerous of its targets";
    out += ".\n";

    for (std::size_t i = 0; i < s.targets.size(); ++i) {
        const Target& t = s.targets[i];
        const TargetView& v = d.targets[i];
        std::string shown = v.label.empty() ? sanitize(v.tier.name()) : v.label;
        out += "\n" + std::string(kind_name(t.kind)) + " target: " + paint(label(shown, t.tier), v.color) + "\n";
        if (!v.via.empty()) out += "  reaches   " + chain_text(v) + "\n";
        out += "  decided by " + sanitize_rule(t.rule) + "\n";
        for (const Field& f : t.fields) {
            out += "  " + pad(f.name, 10) + " " + pad(f.value.empty() ? "-" : sanitize(elide_middle(f.value, 200)), 28);
            if (!f.origin.empty()) out += "  from " + sanitize(f.origin);
            out += "\n";
        }
        if (!t.files.empty()) out += "  files: " + join(t.files) + "\n";
        if (!t.sources.empty()) out += "  variables and flags: " + join(t.sources) + "\n";
        for (const std::string& p : t.problems) out += "  problem: " + sanitize(p) + "\n";
        for (const std::string& line : v.lines) out += "  " + line + "\n";
    }

    out += "\nconfiguration: ";
    out += s.config.files.empty() ? std::string("built-in only") : join(s.config.files);
    out += "; " + std::to_string(s.config.rules.size()) + " rules, first match wins; a target no rule matches is unknown\n";
    for (const std::string& e : s.config.errors) out += "config error: " + sanitize(e) + "\n";
    for (const std::string& w : s.warnings) {
        bool is_error = false;
        for (const std::string& e : s.config.errors) is_error = is_error || e == w;
        if (!is_error) out += "warning: " + sanitize(w) + "\n";
    }
    return out;
}

}  // namespace sentinel
