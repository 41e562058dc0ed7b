#pragma once
// The real file system and environment, for the binary. The core never
// includes this file.

#include "sentinel/vars.hpp"

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
};

/// The process environment as a Vars map (entries without '=' skipped).
Vars environment_vars();

}  // namespace sentinel
