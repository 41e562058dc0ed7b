// `sentinel audit`: the recent entries of the guard's audit log.

#include <cstdio>
#include <cstdlib>

#include "sentinel/core/guard/audit.hpp"
#include "sentinel/cmd/commands.hpp"
#include "sentinel/io/audit.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

int run_audit(const Invocation& inv);

constexpr OptionSpec kAuditOptions[] = {
    {.name = "lines", .value = "N", .help = "how many recent entries (default 20)"},
    {.name = "json", .value = "", .help = "print the records as stored (one JSON object per line)"},
    {.name = "path", .value = "", .help = "print the log's path and exit"},
    {.name = "help", .value = "", .help = "print this help"},
};

}  // namespace

const CommandSpec kAuditCommand = {
    .name = "audit",
    .synopsis = "audit [--lines=N] [--json] [--path]",
    .summary = "recent entries of the guard's audit log",
    .help = "Print the recent entries of the guard's audit log\n"
            "($XDG_STATE_HOME/sentinel/audit.jsonl): every question, confirmation,\n"
            "refusal and override, oldest first.",
    .options = kAuditOptions,
    .run = run_audit,
};

namespace {

int run_audit(const Invocation& inv) {
    Vars vars = environment_vars();
    std::string path = audit_path(vars);
    if (inv.has("path")) {
        std::printf("%s\n", sanitize(path).c_str());
        return kExitOk;
    }
    std::size_t count = 20;
    if (inv.has("lines")) {
        char* end = nullptr;
        long n = std::strtol(inv.options.at("lines").c_str(), &end, 10);
        if (!end || *end || n < 1 || n > 100000) {
            std::fprintf(stderr, "sentinel: error: --lines must be 1 to 100000\n");
            return kExitUsage;
        }
        count = static_cast<std::size_t>(n);
    }
    for (const std::string& line : read_audit_tail(path, count)) {
        if (!inv.has("json")) {
            std::printf("%s\n", format_audit_line(line).c_str());
        } else if (auto record = audit_json_line(line)) {
            std::printf("%s\n", record->c_str());
        } else {
            std::fprintf(stderr, "sentinel: warning: %s: a line that is not a JSON record is left out\n",
                         sanitize(path).c_str());
        }
    }
    return std::fflush(stdout) == 0 ? kExitOk : 1;
}

}  // namespace
}  // namespace sentinel
