#include "sentinel/core/match.hpp"

#include <fnmatch.h>
#include <regex.h>

namespace sentinel {

struct Pattern::Regex {
    regex_t compiled{};
    bool ready = false;  // regfree only what regcomp built
    ~Regex() {
        if (ready) regfree(&compiled);
    }
};

Result<Pattern> Pattern::compile(Type type, std::string text) {
    Pattern p;
    p.type_ = type;
    p.text_ = std::move(text);
    if (type == Type::regex) {
        auto regex = std::make_shared<Regex>();
        int rc = regcomp(&regex->compiled, p.text_.c_str(), REG_EXTENDED | REG_ICASE | REG_NOSUB);
        if (rc != 0) {
            char buf[256];
            regerror(rc, &regex->compiled, buf, sizeof buf);
            return Error{"", 0, 0, std::string("invalid regular expression: ") + buf};
        }
        regex->ready = true;
        p.regex_ = std::move(regex);
    }
    return p;
}

bool Pattern::matches(std::string_view value) const {
    std::string v(value);  // both libc matchers want a NUL-terminated string
    if (type_ == Type::glob) return fnmatch(text_.c_str(), v.c_str(), FNM_CASEFOLD) == 0;
    return regexec(&regex_->compiled, v.c_str(), 0, nullptr, 0) == 0;
}

}  // namespace sentinel
