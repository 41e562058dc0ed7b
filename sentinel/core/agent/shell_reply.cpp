#include "sentinel/core/agent/shell_reply.hpp"

#include <cstdio>
#include <cstdlib>

#include "sentinel/core/agent/protocol.hpp"

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
    // Under PIPE_BUF in one write: long fields are shortened in their
    // middle, never dropped (the last one tells the shell what to report).
    Frame cleaned;
    for (const std::string& f : fields) cleaned.push_back(clean_field(f));
    fit_frame(cleaned, kMaxShellReplyBody);
    std::string body;
    for (std::size_t i = 0; i < cleaned.size(); ++i) {
        if (i || !bash) body += kShellSep;
        body += cleaned[i];
    }
    if (body.size() > kMaxShellReplyBody) body.resize(kMaxShellReplyBody);  // only with thousands of fields
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
