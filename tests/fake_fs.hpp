#pragma once
// An in-memory FileReader for tests: paths map to contents or to an error.

#include <map>
#include <string>
#include <utility>

#include "sentinel/core/vars.hpp"

namespace sentinel::test {

/// Files held in memory. `file(path, data)` adds a readable file,
/// `error(path, reason)` one that exists but cannot be read; every other path
/// is missing. `reads` counts the calls, to check what was looked at.
class FakeFs : public FileReader {
public:
    FakeFs& file(std::string path, std::string data) {
        files_[std::move(path)] = {FileRead::Status::ok, std::move(data), ""};
        return *this;
    }
    FakeFs& error(std::string path, std::string reason) {
        files_[std::move(path)] = {FileRead::Status::error, "", std::move(reason)};
        return *this;
    }
    FileRead read(const std::string& path) const override {
        ++reads;
        auto it = files_.find(path);
        if (it == files_.end()) return {};
        return it->second;
    }
    mutable int reads = 0;

private:
    std::map<std::string, FileRead> files_;
};

}  // namespace sentinel::test
