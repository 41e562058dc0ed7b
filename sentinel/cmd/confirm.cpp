// `sentinel confirm`: the guard's decision for a custom script. Exit 0 means
// go ahead.

#include <cstdio>
#include <cstdlib>

#include "sentinel/core/classify.hpp"
#include "sentinel/cmd/commands.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/confirmation.hpp"
#include "sentinel/io/listeners.hpp"
#include "sentinel/io/tty.hpp"
#include "sentinel/core/env/resolve.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

int run_confirm(const Invocation& inv);

constexpr OptionSpec kConfirmOptions[] = {
    {.name = "action", .value = "TEXT", .help = "what the script is about to do, shown in the question and audited"},
    {.name = "kind", .value = "KIND", .help = "only targets of this kind count: kube, pg, env, terraform, aws or gcloud (default: all)",
     .values = "kube pg env terraform aws gcloud"},
    {.name = "target", .value = "KIND", .help = "same as --kind", .values = "kube pg env terraform aws gcloud"},
    {.name = "timeout", .value = "SECONDS", .help = "how long the question waits for an answer (default 60)"},
    {.name = "help", .value = "", .help = "print this help"},
};

}  // namespace

const CommandSpec kConfirmCommand = {
    .name = "confirm",
    .synopsis = "confirm --action TEXT [--kind kube|pg|env|terraform|aws|gcloud] [--timeout=SECONDS]",
    .summary = "the guard's question for a script (exit 0: go ahead)",
    .help = "The guard's decision for a custom script: this terminal's targets (or only\n"
            "those of --kind) decide; on a guarded tier the person confirms on /dev/tty as\n"
            "with `sentinel guard`. Exit 0: go ahead; 77 refused; 78 config error; 64 usage.\n"
            "Without a terminal, SENTINEL_CONFIRM=<exact target name> confirms that one call.\n"
            "Example: sentinel confirm --action \"drop the cache\" --kind pg || exit",
    .options = kConfirmOptions,
    .run = run_confirm,
};

namespace {

int run_confirm(const Invocation& inv) {
    if (!inv.has("action") || inv.options.at("action").empty()) {
        std::fprintf(stderr, "sentinel: error: confirm needs --action TEXT\n%s", command_help(kConfirmCommand).c_str());
        return kExitUsage;
    }
    if (!inv.rest.empty()) {
        std::fprintf(stderr, "sentinel: error: confirm takes no command; use sentinel guard -- CMD\n");
        return kExitUsage;
    }
    std::optional<Kind> kind;
    std::string kind_text = inv.has("kind") ? inv.options.at("kind") : inv.has("target") ? inv.options.at("target") : "";
    for (Kind k : {Kind::kube, Kind::pg, Kind::env, Kind::terraform, Kind::aws, Kind::gcloud})
        if (kind_text == kind_name(k)) kind = k;
    if (!kind && !kind_text.empty()) {
        std::fprintf(stderr, "sentinel: error: unknown kind \"%s\" (kube, pg, env, terraform, aws, gcloud)\n",
                     sanitize(kind_text).c_str());
        return kExitUsage;
    }
    std::optional<int> timeout = question_timeout(inv);
    if (!timeout) return kExitUsage;
    Vars vars = environment_vars();
    ConfirmRequest req = confirm_request(vars);
    req.action.tool = "confirm";
    req.action.verb = redact_url_password(inv.options.at("action"));
    req.action.risk = Risk::write;
    req.timeout_seconds = *timeout;
    std::string cwd = current_directory();
    SystemListeners listeners(socket_cache_path(vars));
    req.evaluate = [&]() -> Result<PinnedSnapshot> {
        Snapshot s = evaluate(vars, PosixFileReader(), {}, nullptr, cwd, &listeners);
        if (kind) {
            std::vector<Target> kept;
            for (Target& t : s.targets)
                if (t.kind == *kind) kept.push_back(std::move(t));
            s.targets = std::move(kept);
            s.tier = overall_tier(s.targets, s.config);
        }
        return PinnedSnapshot{std::move(s), ""};
    };
    ConfirmOutcome outcome = run_confirmation(req);
    return outcome.go ? kExitOk : outcome.exit_code;
}

}  // namespace
}  // namespace sentinel
