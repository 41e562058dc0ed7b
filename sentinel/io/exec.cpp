#include "sentinel/io/exec.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "sentinel/core/sanitize.hpp"

namespace sentinel {

int exec_command(const std::vector<std::string>& argv, const std::vector<std::pair<std::string, std::string>>& set_env,
                 const std::vector<std::string>& unset_env) {
    if (argv.empty()) return 127;
    for (const std::string& name : unset_env) unsetenv(name.c_str());
    for (const auto& [name, value] : set_env) setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::fflush(nullptr);
    execvp(args[0], args.data());
    int err = errno;
    std::fprintf(stderr, "sentinel: error: cannot run %s: %s\n", sanitize(argv[0]).c_str(), std::strerror(err));
    return err == ENOENT ? 127 : 126;
}

bool capture_stdin(std::string& data, std::size_t limit) {
    data.clear();
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        data.append(buf, static_cast<std::size_t>(n));
        if (data.size() > limit) return false;
    }
    int fd = memfd_create("sentinel-stdin", MFD_CLOEXEC);
    if (fd < 0) return false;
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    if (lseek(fd, 0, SEEK_SET) != 0 || dup2(fd, STDIN_FILENO) < 0) {
        ::close(fd);
        return false;
    }
    ::close(fd);  // dup2 cleared FD_CLOEXEC on the copy
    return true;
}

}  // namespace sentinel
