#pragma once
// The real file system and environment, for the binary. The core never
// includes this file.

#include <set>
#include <string>

#include "sentinel/core/vars.hpp"

namespace sentinel {

/// Largest file sentinel reads (kubeconfig, service or config file), bytes.
/// A 5,000-context kubeconfig with CA data is about 9 MiB.
inline constexpr std::size_t kMaxFileBytes = 32u << 20;

/// Reads regular files from disk. Opens with O_NONBLOCK so a FIFO cannot
/// hang it; refuses directories, devices, FIFOs and sockets ("not a regular
/// file"), symlink loops, files over kMaxFileBytes; maps ENOENT and ENOTDIR
/// to FileRead::Status::missing.
class PosixFileReader : public FileReader {
public:
    FileRead read(const std::string& path) const override;
    /// Runs `parse` in a child process under parse_budget(input_bytes)
    /// (io/budget.hpp).
    Result<std::string> run_bounded(const std::function<std::string()>& parse,
                                    std::size_t input_bytes) const override;
};

/// A PosixFileReader that records every path asked for, found or not: the
/// files a snapshot depends on, to be watched or checked for changes.
class RecordingFileReader : public FileReader {
public:
    /// Paths read are added to `seen`, which must outlive the reader.
    explicit RecordingFileReader(std::set<std::string>& seen) : seen_(seen) {}
    FileRead read(const std::string& path) const override {
        seen_.insert(path);
        return disk_.read(path);
    }
    Result<std::string> run_bounded(const std::function<std::string()>& parse,
                                    std::size_t input_bytes) const override {
        return disk_.run_bounded(parse, input_bytes);
    }

private:
    PosixFileReader disk_;
    std::set<std::string>& seen_;
};

/// The process environment as a Vars map (entries without '=' skipped).
Vars environment_vars();

/// The process's working directory (getcwd), "" when it cannot be named
/// (removed, too long): then no project-directory target is looked for.
std::string current_directory();

}  // namespace sentinel
