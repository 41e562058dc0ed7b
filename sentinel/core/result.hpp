#pragma once
// Errors inside the core are values: a Result<T> holds either a T or an Error.

#include <string>
#include <utility>
#include <variant>

namespace sentinel {

/// A problem tied to a place in an input file. `line` and `col` are 1-based;
/// 0 means "not known" and is left out when printed. `message` never quotes the
/// offending line, so a secret on that line cannot leak through an error.
struct Error {
    std::string file;
    int line = 0;
    int col = 0;
    std::string message;

    /// "file:line:col: message", dropping the parts that are unknown.
    std::string to_string() const;
};

/// Either a value or an Error. Access the value only after checking ok().
template <class T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

}  // namespace sentinel
