#pragma once
// Inputs of the pure core: variables and file contents, never read directly.

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "sentinel/core/result.hpp"

namespace sentinel {

/// Environment variables as the shell that asks would export them.
using Vars = std::map<std::string, std::string>;

/// A key of Vars that no variable can have: the names (space-separated) of
/// variables a shell could not report whole, because its REPORT was longer
/// than a frame (core/agent/protocol.hpp). evaluate() (core/snapshot.hpp)
/// makes each an unknown target: sentinel cannot tell what they hold.
inline const std::string kUnreportedVariables = "<unreported>";

/// Value of `name` in `vars`, or nullopt when it is not set (an empty value
/// is "set").
inline std::optional<std::string> get(const Vars& vars, const std::string& name) {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
}

/// True when `NO_COLOR` is set to a non-empty value (https://no-color.org):
/// sinks draw in reverse video instead of colours.
inline bool no_color(const Vars& vars) {
    auto value = get(vars, "NO_COLOR");
    return value && !value->empty();
}

/// True for `[A-Za-z_][A-Za-z0-9_]*` of at most 64 bytes: a name a shell can
/// expand without evaluating anything.
bool is_variable_name(std::string_view name);

/// True for variables that hold secrets and are never reported: PGPASSWORD,
/// and names ending in PASSWORD, PASSWD, SECRET or TOKEN.
bool is_secret_variable(std::string_view name);

/// Held while the process environment (`environ`) is replaced for libpq
/// (core/pg/settle.cpp) and by whoever reads it while another thread may
/// replace it: the agent evaluates on a worker thread (io/eval_worker.hpp)
/// while its loop spawns tmux and loads terminfo entries.
inline std::mutex& environ_mutex() {
    static std::mutex m;
    return m;
}

/// What reading one file gave: its bytes, or why there are none.
struct FileRead {
    enum class Status {
        ok,         ///< `data` holds the whole file
        missing,    ///< ENOENT or ENOTDIR: the file does not exist
        error,      ///< exists but cannot be used; `reason` says why
    };
    Status status = Status::missing;
    std::string data;
    std::string reason;  ///< "permission denied", "not a regular file", "larger than 32 MiB", ...
    bool directory = false;  ///< with Status::error: the path is a directory
};

/// The file system as the core sees it. The binary reads the disk
/// (io/fs.hpp); tests pass an in-memory map.
class FileReader {
public:
    virtual ~FileReader() = default;
    /// Reads `path` whole. Never follows anything but regular files and never
    /// blocks (FIFOs and devices are an error).
    virtual FileRead read(const std::string& path) const = 0;
    /// Runs `parse`, which turns `input_bytes` of file contents into text
    /// (a kubeconfig through libfyaml, service files through libpq), under
    /// a budget it cannot escape: the binary's reader runs it in a child
    /// process with CPU, memory and time limits (io/budget.hpp), so that a
    /// library that loops or grows without end gives an Error ("could not
    /// parse in time") instead of a process that never returns. This
    /// default, for files held in memory, runs it here.
    virtual Result<std::string> run_bounded(const std::function<std::string()>& parse, std::size_t input_bytes) const {
        (void)input_bytes;
        return parse();
    }
};

}  // namespace sentinel
