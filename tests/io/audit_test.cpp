#include "sentinel/io/audit.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace sentinel;

namespace {

struct Scratch {
    std::string dir;
    Scratch() {
        char tmpl[] = "/tmp/sentinel-audit-test-XXXXXX";
        dir = mkdtemp(tmpl);
    }
    ~Scratch() {
        for (const char* name : {"audit.jsonl", "fifo"}) unlink((dir + "/" + name).c_str());
        rmdir(dir.c_str());
    }
};

}  // namespace

TEST_CASE("append_audit: appends whole records to a regular file") {
    Scratch s;
    std::string path = s.dir + "/audit.jsonl";
    CHECK_FALSE(append_audit(path, "{\"a\":1}\n"));
    CHECK_FALSE(append_audit(path, "{\"b\":2}\n"));
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == "{\"a\":1}\n{\"b\":2}\n");
}

TEST_CASE("append_audit: a FIFO is refused at once, with or without a reader (bug: the guard hung in open)") {
    Scratch s;
    std::string path = s.dir + "/fifo";
    REQUIRE(mkfifo(path.c_str(), 0600) == 0);
    auto error = append_audit(path, "{}\n");
    REQUIRE(error);
    CHECK(*error == "audit log " + path + ": not a regular file");
    int reader = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
    REQUIRE(reader >= 0);
    error = append_audit(path, "{}\n");
    REQUIRE(error);
    CHECK(*error == "audit log " + path + ": not a regular file");
    char buf[8];
    CHECK(::read(reader, buf, sizeof buf) <= 0);  // nothing was written into it
    ::close(reader);
}
