#include "sentinel/core/guard/grace.hpp"

#include <cstdio>
#include <cstdlib>

namespace sentinel {

std::string grace_digest(const GraceKey& key) {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&](std::string_view part) {
        std::string framed = std::to_string(part.size()) + ":" + std::string(part);
        for (unsigned char c : framed) {
            h ^= c;
            h *= 1099511628211ull;
        }
    };
    mix(std::to_string(key.uid));
    mix(key.tty);
    mix(std::to_string(key.session));
    mix(key.session_start);
    mix(key.target);
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

bool grace_allows(const std::vector<GraceEntry>& entries, const std::string& digest, std::int64_t now,
                  std::int64_t seconds) {
    if (seconds <= 0) return false;
    for (const GraceEntry& e : entries)
        if (e.digest == digest && e.confirmed_at <= now && now - e.confirmed_at < seconds) return true;
    return false;
}

std::vector<GraceEntry> parse_grace_store(std::string_view text) {
    std::vector<GraceEntry> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string line(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
        auto space = line.find(' ');
        if (space == 16) {
            char* end = nullptr;
            long long t = std::strtoll(line.c_str() + 17, &end, 10);
            if (end && !*end && end != line.c_str() + 17) out.push_back({line.substr(0, 16), t});
        }
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return out;
}

std::string format_grace_store(const std::vector<GraceEntry>& entries, const std::string& digest, std::int64_t now,
                               std::int64_t max_age) {
    std::string out;
    for (const GraceEntry& e : entries)
        if (e.digest != digest && e.confirmed_at <= now && now - e.confirmed_at < max_age)
            out += e.digest + " " + std::to_string(e.confirmed_at) + "\n";
    return out + digest + " " + std::to_string(now) + "\n";
}

}  // namespace sentinel
