// `sentinel status` and `sentinel explain`: one-shot evaluation of this
// terminal's environment, printed.

#include <unistd.h>

#include <cstdio>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/core/display/format.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/kube_cache.hpp"
#include "sentinel/io/listeners.hpp"
#include "sentinel/io/pgpass.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/core/snapshot.hpp"

namespace sentinel {
namespace {

bool use_color(const Invocation& inv, const Vars& vars) {
    auto it = inv.options.find("color");
    std::string mode = it == inv.options.end() ? "auto" : it->second;
    if (mode == "always") return true;
    if (mode == "never") return false;
    if (auto no_color = get(vars, "NO_COLOR"); no_color && !no_color->empty()) return false;
    return isatty(STDOUT_FILENO);
}

int write_out(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
}

// The snapshot of this terminal, or of `command`, read from the real disk
// with parsed kubeconfigs cached.
Snapshot evaluate_here(const Vars& vars, const std::vector<std::string>& command) {
    PosixFileReader files;
    CachingKubeconfigLoader kubeconfigs(files, kube_cache_dir(vars));
    SystemListeners listeners(socket_cache_path(vars));
    Snapshot s = evaluate(vars, files, command, &kubeconfigs, current_directory(), &listeners);
    bool has_pg = false;
    for (const Target& t : s.targets) has_pg = has_pg || t.kind == Kind::pg;
    if (has_pg)
        if (auto warning = pgpass_warning(vars)) s.warnings.push_back(*warning);
    return s;
}

int exit_code(const Snapshot& s) { return s.config.errors.empty() ? kExitOk : kExitConfig; }

void report_config_errors(const Snapshot& s) {
    for (const std::string& e : s.config.errors) std::fprintf(stderr, "sentinel: error: %s\n", sanitize(e).c_str());
}

int run_status(const Invocation& inv);
int run_explain(const Invocation& inv);

constexpr OptionSpec kStatusOptions[] = {
    {.name = "format", .value = "FORMAT", .help = "plain (default), prompt (one line) or json", .values = "plain prompt json"},
    {.name = "json", .value = "", .help = "same as --format=json; the shape is a stable interface"},
    {.name = "color", .value = "WHEN", .help = "auto (default: when stdout is a terminal and NO_COLOR is unset), always, never",
     .values = "auto always never"},
    {.name = "help", .value = "", .help = "print this help"},
};

constexpr OptionSpec kExplainOptions[] = {
    {.name = "color", .value = "WHEN", .help = "auto (default), always, never", .values = "auto always never"},
    {.name = "help", .value = "", .help = "print this help"},
};

}  // namespace

const CommandSpec kStatusCommand = {
    .name = "status",
    .synopsis = "status [--format=plain|prompt|json] [--json] [-- CMD ARGS...]",
    .summary = "what this terminal, or a command, would act on",
    .help = "Print what this terminal would act on: kube context, PostgreSQL targets and\n"
            "configured variables, each with its tier, and the terminal's overall tier.\n"
            "With a command after --, print what that command would act on instead\n"
            "(kubectl and helm: their kube target; psql: its PostgreSQL targets).",
    .options = kStatusOptions,
    .run = run_status,
    .takes_command = true,
};

const CommandSpec kExplainCommand = {
    .name = "explain",
    .synopsis = "explain [-- CMD ARGS...]",
    .summary = "which files, variables and rules decided the tier",
    .help = "Say why this terminal (or the command after --) has the tier it has: which\n"
            "files, lines, variables and flags gave each value and which rule decided.",
    .options = kExplainOptions,
    .run = run_explain,
    .takes_command = true,
};

namespace {

int run_status(const Invocation& inv) {
    Vars vars = environment_vars();
    std::string format = "plain";
    if (inv.has("json")) format = "json";
    if (auto it = inv.options.find("format"); it != inv.options.end()) format = it->second;
    if (format != "plain" && format != "json" && format != "prompt") {
        std::fprintf(stderr, "sentinel: error: unknown format \"%s\" (plain, prompt, json)\n", sanitize(format).c_str());
        return kExitUsage;
    }
    Snapshot s = evaluate_here(vars, inv.rest);
    report_config_errors(s);
    bool color = use_color(inv, vars);
    Display display = make_display(s);
    std::string text = format == "json"     ? format_json(s, display)
                       : format == "prompt" ? format_prompt(display, color) + "\n"
                                            : format_plain(s, display, color);
    if (write_out(text) != 0) return 1;
    return exit_code(s);
}

int run_explain(const Invocation& inv) {
    Vars vars = environment_vars();
    Snapshot s = evaluate_here(vars, inv.rest);
    if (write_out(format_explain(s, make_display(s), use_color(inv, vars), !inv.rest.empty())) != 0) return 1;
    return exit_code(s);
}

}  // namespace
}  // namespace sentinel
