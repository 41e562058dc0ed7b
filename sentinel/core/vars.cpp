#include "sentinel/core/vars.hpp"

#include <algorithm>

namespace sentinel {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

bool is_variable_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
    if (!alpha(name[0])) return false;
    return std::all_of(name.begin(), name.end(), [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

bool is_secret_variable(std::string_view name) {
    std::string upper(name);
    for (char& c : upper)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return upper == "PGPASSWORD" || ends_with(upper, "PASSWORD") || ends_with(upper, "PASSWD") ||
           ends_with(upper, "SECRET") || ends_with(upper, "TOKEN");
}

}  // namespace sentinel
