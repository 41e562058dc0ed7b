#pragma once
// The shell integration files (shell/sentinel.<shell>), embedded in the
// binary at build time (CMakeLists.txt generates the table from whatever
// files shell/ holds), for `sentinel init SHELL`.

#include <cstddef>
#include <string_view>

namespace sentinel {

/// One embedded file: its shell ("bash", "zsh", ...) and its bytes, with
/// `@SENTINEL_BIN@` still in place of the binary's path.
struct ShellFile {
    std::string_view shell;
    std::string_view text;
};

/// Every shell/sentinel.* file, sorted by path.
extern const ShellFile kShellFiles[];
extern const std::size_t kShellFileCount;

/// The file for `shell`, or nullptr when there is none.
inline const ShellFile* shell_file(std::string_view shell) {
    for (std::size_t i = 0; i < kShellFileCount; ++i)
        if (kShellFiles[i].shell == shell) return &kShellFiles[i];
    return nullptr;
}

}  // namespace sentinel
