#include "sentinel/core/display/prompt.hpp"

#include <optional>

#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

// The targets of a SESSION frame: kind and chain_text, one line each.
std::string target_fields(const Display& display) {
    std::string out;
    for (const TargetView& t : display.targets)
        out += std::string(kind_name(t.kind)) + "\t" + chain_text(t) + "\n";
    return out;
}

}  // namespace

std::string escape_for_prompt(std::string_view text, Shell shell) {
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\x1b') {
            // Only ESC [ digits/semicolons m is ours; anything else is dropped.
            std::size_t end = i + 1;
            if (end < text.size() && text[end] == '[') {
                ++end;
                while (end < text.size() && ((text[end] >= '0' && text[end] <= '9') || text[end] == ';')) ++end;
                if (end < text.size() && text[end] == 'm') {
                    std::string_view sgr = text.substr(i, end - i + 1);
                    if (shell == Shell::bash) out.append("\001").append(sgr).append("\002");
                    else if (shell == Shell::zsh) out.append("%{").append(sgr).append("%}");
                    else if (shell == Shell::fish) out.append(sgr);
                    i = end;
                    continue;
                }
            }
            continue;
        }
        if (c == '%' && shell == Shell::zsh) out += '%';
        out += c;
    }
    return out;
}

std::string prompt_segment(const Session& session) {
    if (session.current.text.empty() && session.changed_from.empty()) return {};
    std::string text = session.current.text.empty() ? std::string("no target") : session.current.colored;
    if (!session.changed_from.empty())
        text += " \x1b[1m(changed from " + session.changed_from + ")\x1b[0m";
    return escape_for_prompt(text, session.shell);
}

std::span<const StateField> state_fields() {
    static constexpr StateField kStateFields[] = {
        {"token", "_sentinel_gen", [](const StateSource& s) { return std::string(s.token); }},
        {"tier", "SENTINEL_TIER", [](const StateSource& s) { return s.session.current.tier; }},
        {"label", "SENTINEL_LABEL", [](const StateSource& s) { return s.session.current.label; }},
        {"segment", "_sentinel_segment", [](const StateSource& s) { return prompt_segment(s.session); }},
        {"changed-from", "SENTINEL_CHANGED", [](const StateSource& s) { return s.session.changed_from; }},
        {"kube-context", "SENTINEL_KUBE_CONTEXT", [](const StateSource& s) { return s.session.current.kube_context; }},
        {"kube-namespace", "SENTINEL_KUBE_NAMESPACE", [](const StateSource& s) { return s.session.current.kube_namespace; }},
        {"pg", "SENTINEL_PG", [](const StateSource& s) { return s.session.current.pg; }},
        {"env", "SENTINEL_ENV", [](const StateSource& s) { return s.session.current.env; }},
        {"names", "_sentinel_names_text",
         [](const StateSource& s) {
             std::string list;
             for (const std::string& n : s.names) list += (list.empty() ? "" : " ") + n;
             return list;
         }},
    };
    return kStateFields;
}

std::span<const StateField> stale_fields() {
    static constexpr StateField kStaleFields[] = {
        {"stale-tier", "_sentinel_stale_tier", [](const StateSource& s) { return s.session.current.stale_tier; }},
        {"stale-label", "_sentinel_stale_label", [](const StateSource& s) { return s.session.current.stale_label; }},
        {"stale-segment", "_sentinel_stale_segment",
         [](const StateSource& s) { return escape_for_prompt(s.session.current.stale_colored, s.session.shell); }},
        {"stale-label-segment", "_sentinel_stale_label_segment",
         [](const StateSource& s) { return escape_for_prompt(s.session.current.stale_label_colored, s.session.shell); }},
    };
    return kStaleFields;
}

Frame encode_ahead(const Ahead& a) {
    std::string flags = std::string(a.once ? "o" : "") + (a.ask ? "a" : "");
    Frame f = {"AHEAD", a.token, flags.empty() ? "-" : flags, std::to_string(a.reports), std::to_string(a.rows),
               std::to_string(a.cols), a.bytes, std::to_string(a.files.size())};
    for (const auto& [path, identity] : a.files) {
        f.push_back(path);
        f.push_back(identity);
    }
    f.insert(f.end(), a.fields.begin(), a.fields.end());
    return f;
}

Result<Ahead> decode_ahead(const Frame& f) {
    auto number = [](const std::string& text, std::size_t limit) -> std::optional<std::size_t> {
        if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
        std::size_t n = std::stoul(text);
        if (n > limit) return std::nullopt;
        return n;
    };
    if (f.size() < 8 || f[0] != "AHEAD") return Error{"", 0, 0, "AHEAD: too few fields"};
    Ahead a;
    a.token = f[1];
    a.once = f[2].find('o') != std::string::npos;
    a.ask = f[2].find('a') != std::string::npos;
    auto reports = number(f[3], 999'999'999), rows = number(f[4], 100000), cols = number(f[5], 100000),
         files = number(f[7], f.size());
    if (!reports || !rows || !cols || !files) return Error{"", 0, 0, "AHEAD: bad number"};
    a.reports = *reports;
    a.rows = static_cast<int>(*rows);
    a.cols = static_cast<int>(*cols);
    a.bytes = f[6];
    std::size_t at = 8;
    if (f.size() < at + 2 * *files) return Error{"", 0, 0, "AHEAD: file count beyond the frame"};
    for (std::size_t i = 0; i < *files; ++i, at += 2) a.files.emplace_back(f[at], f[at + 1]);
    a.fields.assign(f.begin() + static_cast<long>(at), f.end());
    if (a.fields.size() != state_fields().size() + stale_fields().size())
        return Error{"", 0, 0, "AHEAD: " + std::to_string(a.fields.size()) + " fields"};
    return a;
}

Frame state_frame(std::string_view seq, std::string_view known, std::string_view instance, const Session& session,
                  const std::vector<std::string>& names) {
    std::string token = gen_token(instance, session);
    if (known == token) return {"STATE", std::string(seq), token};
    Frame f = {"STATE", std::string(seq)};
    StateSource source{session, token, names};
    for (const StateField& field : state_fields()) f.push_back(field.value(source));
    return f;
}

std::string restart_mark(Shell shell) {
    return escape_for_prompt("\x1b[1;7;35m[sentinel: restart your shell]\x1b[0m", shell);
}

std::vector<std::string> unknown_state(Shell shell, std::string_view why, const std::string& names) {
    Snapshot s;
    s.config = build_config(std::nullopt, std::nullopt);
    s.tier = Tier::unknown();
    Session session;
    session.shell = shell;
    session.current = make_view(s, make_display(s));
    session.current.colored += " (" + sanitize(why) + ")";
    session.current.text += " (" + sanitize(why) + ")";
    std::vector<std::string> list;
    for (std::size_t start = 0; start < names.size();) {
        std::size_t space = names.find(' ', start);
        if (space == std::string::npos) space = names.size();
        if (space > start) list.push_back(names.substr(start, space - start));
        start = space + 1;
    }
    StateSource source{session, "", list};
    std::vector<std::string> out;
    for (const StateField& field : state_fields()) out.push_back(field.value(source));
    return out;
}

Frame session_frame(std::string_view instance, const Session& session) {
    return {"SESSION",
            std::to_string(session.id),
            std::to_string(session.pid),
            std::string(shell_name(session.shell)),
            session.tty,
            session.tmux,
            session.tmux_pane,
            session.idle ? "1" : "0",
            gen_token(instance, session),
            session.current.tier,
            session.current.label,
            session.current.text,
            session.changed_from,
            session.current.display.color.text(),
            session.current.display.dangerous ? "1" : "0",
            target_fields(session.current.display)};
}

}  // namespace sentinel
