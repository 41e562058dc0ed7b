#include "sentinel/io/fs.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

using namespace sentinel;

namespace {

// A scratch directory, removed (with what the tests put in it) at the end.
struct Scratch {
    std::string dir;
    std::vector<std::string> made;
    Scratch() {
        char tmpl[] = "/tmp/sentinel-io-test-XXXXXX";
        dir = mkdtemp(tmpl);
    }
    ~Scratch() {
        for (auto it = made.rbegin(); it != made.rend(); ++it) {
            if (rmdir(it->c_str()) != 0) unlink(it->c_str());
        }
        rmdir(dir.c_str());
    }
    std::string path(const std::string& name) {
        made.push_back(dir + "/" + name);
        return made.back();
    }
    std::string write(const std::string& name, const std::string& data) {
        std::string p = path(name);
        std::ofstream(p, std::ios::binary) << data;
        return p;
    }
};

FileRead read(const std::string& path) { return PosixFileReader().read(path); }

}  // namespace

TEST_CASE("io_fs: a regular file is read whole, bytes as they are") {
    Scratch s;
    std::string data = std::string("current-context: prod\n\0\xff", 24);
    FileRead r = read(s.write("config", data));
    CHECK(r.status == FileRead::Status::ok);
    CHECK(r.data == data);
    CHECK(read(s.write("empty", "")).status == FileRead::Status::ok);
}

TEST_CASE("io_fs: missing files, and paths through a file, are missing") {
    Scratch s;
    CHECK(read(s.dir + "/nope").status == FileRead::Status::missing);
    std::string file = s.write("f", "x");
    CHECK(read(file + "/below").status == FileRead::Status::missing);
}

TEST_CASE("io_fs: directories, FIFOs and devices are not regular files") {
    Scratch s;
    FileRead dir = read(s.dir);
    CHECK(dir.status == FileRead::Status::error);
    CHECK(dir.reason == "not a regular file");

    std::string fifo = s.path("fifo");
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    auto start = std::chrono::steady_clock::now();
    FileRead f = read(fifo);  // nobody writes: must not block
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
    CHECK(f.status == FileRead::Status::error);
    CHECK(f.reason == "not a regular file");

    FileRead zero = read("/dev/zero");
    CHECK(zero.status == FileRead::Status::error);
    CHECK(zero.reason == "not a regular file");
    CHECK(zero.data.empty());
}

TEST_CASE("io_fs: a symlink loop is an error, a symlink to a file is followed") {
    Scratch s;
    std::string a = s.path("a"), b = s.path("b");
    REQUIRE(symlink(b.c_str(), a.c_str()) == 0);
    REQUIRE(symlink(a.c_str(), b.c_str()) == 0);
    FileRead r = read(a);
    CHECK(r.status == FileRead::Status::error);
    CHECK(r.reason == "too many levels of symbolic links");

    std::string target = s.write("target", "hello");
    std::string link = s.path("link");
    REQUIRE(symlink(target.c_str(), link.c_str()) == 0);
    CHECK(read(link).data == "hello");
}

TEST_CASE("io_fs: files over 32 MiB are refused, 32 MiB is fine") {
    Scratch s;
    std::string big = s.path("big");
    int fd = open(big.c_str(), O_CREAT | O_WRONLY, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(ftruncate(fd, static_cast<off_t>(kMaxFileBytes) + 1) == 0);
    close(fd);
    FileRead r = read(big);
    CHECK(r.status == FileRead::Status::error);
    CHECK(r.reason == "larger than 32 MiB");
    CHECK(r.data.empty());

    REQUIRE(truncate(big.c_str(), static_cast<off_t>(kMaxFileBytes)) == 0);
    r = read(big);
    CHECK(r.status == FileRead::Status::ok);
    CHECK(r.data.size() == kMaxFileBytes);
}

TEST_CASE("io_fs: environment_vars") {
    setenv("SENTINEL_IO_TEST", "a=b", 1);
    Vars vars = environment_vars();
    CHECK(vars["SENTINEL_IO_TEST"] == "a=b");
    unsetenv("SENTINEL_IO_TEST");
    CHECK(environment_vars().count("SENTINEL_IO_TEST") == 0);
}
