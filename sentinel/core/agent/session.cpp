#include "sentinel/core/agent/session.hpp"

#include <algorithm>

#include "sentinel/core/display/format.hpp"
#include "sentinel/core/display/stale.hpp"
#include "sentinel/core/pg/resolve.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

void append_word(std::string& list, const std::string& word) {
    if (word.empty()) return;
    if (!list.empty()) list += ' ';
    list += word;
}

}  // namespace

Shell shell_from_name(std::string_view name) {
    if (name == "bash") return Shell::bash;
    if (name == "zsh") return Shell::zsh;
    if (name == "fish") return Shell::fish;
    return Shell::other;
}

std::string_view shell_name(Shell shell) {
    switch (shell) {
        case Shell::bash: return "bash";
        case Shell::zsh: return "zsh";
        case Shell::fish: return "fish";
        case Shell::other: break;
    }
    return "other";
}

View make_view(const Snapshot& s, const Display& d) {
    View v;
    v.display = d;
    v.tier = elide_middle(sanitize(d.tier.name()), kMaxViewColumns);
    v.label = elide_middle(d.label, kMaxViewColumns);
    v.text = format_prompt(d, false, kMaxViewColumns);
    v.colored = format_prompt(d, true, kMaxViewColumns);
    Display stale = stale_display(d, s.config);
    v.stale_tier = elide_middle(sanitize(stale.tier.name()), kMaxViewColumns);
    v.stale_label = elide_middle(stale.shown_label(), kMaxViewColumns);
    v.stale_colored = format_prompt(stale, true, kMaxViewColumns);
    v.stale_label_colored = format_label(stale, true);
    for (std::size_t i = 0; i < s.targets.size() && i < d.targets.size(); ++i) {
        const Target& t = s.targets[i];
        switch (t.kind) {
            case Kind::kube:
                if (v.kube_context.empty()) {
                    v.kube_context = elide_middle(sanitize(t.get("context")), kMaxViewColumns);
                    v.kube_namespace = elide_middle(sanitize(t.get("namespace")), kMaxViewColumns);
                }
                break;
            case Kind::pg: append_word(v.pg, chain_text(d.targets[i])); break;
            case Kind::env: append_word(v.env, chain_text(d.targets[i])); break;
            case Kind::terraform:
            case Kind::aws:
            case Kind::gcloud:
                break;  // in the segment (v.text) only: no shell variable of their own
        }
    }
    v.pg = elide_middle(v.pg, kMaxViewColumns);
    v.env = elide_middle(v.env, kMaxViewColumns);
    return v;
}

const std::vector<std::string>& cloud_variables() {
    static const std::vector<std::string> names = {
        "TF_WORKSPACE",       "TF_DATA_DIR",         "AWS_PROFILE",           "AWS_DEFAULT_PROFILE",
        "AWS_CONFIG_FILE",    "AWS_SHARED_CREDENTIALS_FILE", "AWS_REGION",    "AWS_DEFAULT_REGION",
        "CLOUDSDK_CONFIG",    "CLOUDSDK_ACTIVE_CONFIG_NAME", "CLOUDSDK_CORE_PROJECT", "CLOUDSDK_CORE_ACCOUNT",
        "CLOUDSDK_COMPUTE_REGION"};
    return names;
}

std::vector<std::string> reported_names(const Config& config, const std::vector<std::string>& extra) {
    std::vector<std::string> names = {"HOME",         "KUBECONFIG", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                                      "SENTINEL_SYSTEM_CONFIG", "TERM",   "NO_COLOR",      "DATABASE_URL",
                                      "PGSERVICE",    "PGSERVICEFILE", "PGSYSCONFDIR"};
    auto add = [&](const std::string& n) {
        if (is_variable_name(n) && !is_secret_variable(n) && std::find(names.begin(), names.end(), n) == names.end())
            names.push_back(n);
    };
    for (const std::string& n : pg_connection_variables()) add(n);
    for (const std::string& n : cloud_variables()) add(n);
    for (const std::string& n : config.env) add(n);
    for (const std::string& n : extra) add(n);
    return names;
}

Vars parse_report(const std::vector<std::string>& fields) {
    Vars vars;
    for (const std::string& f : fields) {
        std::size_t eq = f.find('=');
        if (eq == std::string::npos) {
            // The relay cut this REPORT to fit a frame, at variable `f`.
            std::string& cut = vars[kUnreportedVariables];
            cut += (cut.empty() ? "" : " ") + (is_variable_name(f) ? f : std::string("(a variable)"));
            continue;
        }
        std::string name = f.substr(0, eq);
        if (!is_variable_name(name) || is_secret_variable(name)) continue;
        vars[name] = f.substr(eq + 1);
    }
    return vars;
}

Vars absolute_paths(Vars vars, const std::string& cwd) {
    if (cwd.empty() || cwd[0] != '/') return vars;
    auto absolute = [&](const std::string& path) {
        if (path.empty() || path[0] == '/') return path;
        return cwd == "/" ? "/" + path : cwd + "/" + path;
    };
    if (auto it = vars.find("KUBECONFIG"); it != vars.end()) {
        std::string out;
        std::size_t start = 0;
        for (;;) {
            std::size_t colon = it->second.find(':', start);
            out += absolute(it->second.substr(start, colon == std::string::npos ? colon : colon - start));
            if (colon == std::string::npos) break;
            out += ':';
            start = colon + 1;
        }
        it->second = out;
    }
    for (const char* name : {"PGSERVICEFILE", "PGSYSCONFDIR"})
        if (auto it = vars.find(name); it != vars.end()) it->second = absolute(it->second);
    return vars;
}

bool apply_report(Session& session, Vars vars, std::string cwd) {
    bool changed = !session.reported || vars != session.vars || cwd != session.cwd;
    session.cwd = std::move(cwd);
    if (changed && session.reported) session.self_change = true;
    session.vars = std::move(vars);
    session.reported = true;
    return changed;
}

bool apply_view(Session& session, View view) {
    if (no_color(session.vars)) view.colored = view.text;
    if (view == session.current) return false;
    session.current = std::move(view);
    ++session.gen;
    return true;
}

void on_prompt(Session& session) {
    std::string mark;
    if (session.has_shown && !session.self_change && session.current.text != session.shown.text)
        mark = session.shown.text.empty() ? "nothing" : session.shown.text;
    if (mark != session.changed_from) {
        session.changed_from = std::move(mark);
        ++session.gen;
    }
    session.shown = session.current;
    session.has_shown = true;
    session.self_change = false;
    session.idle = true;
    session.drawing = session.tells_drawn;
}

void on_drawn(Session& session) {
    // zsh says DRAWN after every prompt zle draws; bash only after a resize,
    // and its prompt never erases the line.
    if (session.shell == Shell::zsh) session.tells_drawn = true;
    session.drawing = false;
}

bool may_paint(const Session& session) { return session.idle && !session.drawing; }

std::string gen_token(std::string_view instance, const Session& session) {
    return std::string(instance) + "." + std::to_string(session.id) + "." + std::to_string(session.gen);
}

}  // namespace sentinel
