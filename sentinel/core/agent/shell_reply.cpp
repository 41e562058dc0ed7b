#include "sentinel/core/agent/shell_reply.hpp"

#include <cstdio>
#include <cstdlib>

namespace sentinel {

std::string clean_field(const std::string& s) {
    std::string out = s;
    for (char& c : out) {
        unsigned char u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != 0x1b && u != 0x01 && u != 0x02) || u == 0x7f) c = '?';
    }
    return out;
}

std::string shell_reply(bool bash, const std::string& seq, const std::string& status,
                        const std::vector<std::string>& fields) {
    std::string body;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i || !bash) body += kShellSep;
        body += clean_field(fields[i]);
    }
    if (body.size() > 3000) body.resize(3000);
    if (!bash) return clean_field(seq) + kShellSep + status + body;
    char head[32];
    char code = status == "same"    ? '='
                : status == "new"   ? 'N'
                : status == "stale" ? 'S'
                : status == "run"   ? 'R'
                : status == "ask"   ? 'A'
                                    : 'D';
    std::snprintf(head, sizeof head, "%c%07lu%08zu", code, std::strtoul(seq.c_str(), nullptr, 10) % 10000000ul,
                  body.size());
    return head + body;
}

}  // namespace sentinel
