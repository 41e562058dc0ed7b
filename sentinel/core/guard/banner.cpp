#include "sentinel/core/guard/banner.hpp"

#include "sentinel/core/display/format.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

constexpr std::size_t kFieldWidth = 80;
constexpr std::size_t kStatementWidth = 300;

std::string show(const std::string& raw, std::size_t width = kFieldWidth) {
    return elide_middle(sanitize(raw), width);
}

std::string label_of(const Display& display, bool color) {
    std::string label = elide_middle(display.shown_label(), 20);
    if (!color) return "[" + label + "]";
    std::string bg = display.color.sgr(true);
    if (bg.empty()) bg = "7";  // reverse video when the colour is unknown
    return "\033[1;" + bg + "m " + label + " \033[0m";
}

}  // namespace

std::string shell_quote(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

std::string format_question(const Snapshot& snapshot, const Display& display, const Decision& decision,
                            const Action& action, bool color, const std::vector<QuestionNote>& notes) {
    std::string out = label_of(display, color) + " sentinel: " + show(decision.tier.name(), 30) +
                      " target, confirm before acting\n";
    if (decision.target >= 0) {
        const Target& t = snapshot.targets[static_cast<std::size_t>(decision.target)];
        out += "  target  " + std::string(kind_name(t.kind));
        for (const Field& f : t.fields)
            if (!f.value.empty()) out += "  " + f.name + "=" + show(f.value);
        out += "\n";
        if (static_cast<std::size_t>(decision.target) < display.targets.size()) {
            const TargetView& v = display.targets[static_cast<std::size_t>(decision.target)];
            if (!v.via.empty()) out += "  reaches " + elide_middle(chain_text(v), 200) + "\n";
            for (const std::string& line : v.lines) out += "          " + elide_middle(line, 200) + "\n";
        }
        if (!t.problems.empty()) {
            for (const std::string& p : t.problems) out += "  why     unknown: " + show(p, 200) + "\n";
        } else if (!t.rule.empty()) {
            out += "  why     " + show(t.tier.name(), 30) + " by " + elide_middle(sanitize_rule(t.rule), 200) + "\n";
        }
    }
    for (const std::string& e : snapshot.config.errors) out += "  config  " + show(e, 200) + "\n";
    out += "  action  " + show(action.tool, 40);
    if (!action.verb.empty()) out += " " + show(action.verb, 120);
    out += " (" + std::string(risk_name(action.risk)) + ")\n";
    if (!action.detail.empty())
        out += "          " + show(action.detail, kStatementWidth) + "\n";
    for (const QuestionNote& n : notes) {
        std::string label = show(n.label, 7);
        label.append(label.size() < 8 ? 8 - label.size() : 1, ' ');
        out += "  " + label + show(n.text, kStatementWidth) + "\n";
    }
    return out;
}

std::string format_answer_prompt(const Decision& decision) {
    if (decision.policy == Policy::yes) return "Type \"yes\" to go ahead (anything else refuses): ";
    return "Type the target name \"" + show(decision.expected) + "\" to go ahead (anything else refuses): ";
}

std::string format_refusal(const Decision& decision, const Action& action) {
    std::string what = show(action.tool, 40) + (action.verb.empty() ? "" : " " + show(action.verb, 120));
    std::string out = "sentinel: refused: " + what + " on " + show(decision.tier.name(), 30);
    if (!decision.expected.empty() && decision.policy == Policy::type_name)
        out += " target \"" + show(decision.expected) + "\"";
    out += ": " + show(decision.reason, 200);
    if (decision.reason == "no terminal to ask on" && !decision.expected.empty())
        out += "; to confirm without a terminal, run again with " + std::string(kOverrideVariable) + "=" +
               shell_quote(sanitize(decision.expected)) + " for this one call";
    return out + "\n";
}

}  // namespace sentinel
