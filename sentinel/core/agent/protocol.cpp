#include "sentinel/core/agent/protocol.hpp"

namespace sentinel {

std::string encode_frame(const Frame& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += '\t';
        for (char c : fields[i]) {
            switch (c) {
                case '\\': out += "\\\\"; break;
                case '\t': out += "\\t"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                default: out += c;
            }
        }
    }
    out += '\n';
    return out;
}

Result<Frame> decode_frame(std::string_view line) {
    if (line.empty()) return Error{"", 0, 0, "empty frame"};
    Frame out(1);
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '\t') {
            out.emplace_back();
        } else if (c == '\\') {
            if (i + 1 >= line.size()) return Error{"", 0, static_cast<int>(i + 1), "escape at end of frame"};
            char e = line[++i];
            switch (e) {
                case '\\': out.back() += '\\'; break;
                case 't': out.back() += '\t'; break;
                case 'n': out.back() += '\n'; break;
                case 'r': out.back() += '\r'; break;
                default: return Error{"", 0, static_cast<int>(i), "unknown escape"};
            }
        } else {
            out.back() += c;
        }
    }
    return out;
}

void FrameBuffer::feed(std::string_view bytes) {
    if (overflow_) return;
    if (start_ > 0 && start_ == buf_.size()) {
        buf_.clear();
        start_ = 0;
    }
    buf_.append(bytes);
}

bool FrameBuffer::next(std::string& line) {
    if (overflow_) return false;
    std::size_t lf = buf_.find('\n', start_);
    if (lf == std::string::npos) {
        if (pending() >= kMaxFrame) overflow_ = true;
        // Compact so that a slow stream of bytes cannot grow the buffer.
        if (start_ > 0) {
            buf_.erase(0, start_);
            start_ = 0;
        }
        return false;
    }
    if (lf - start_ + 1 > kMaxFrame) {
        overflow_ = true;
        return false;
    }
    line.assign(buf_, start_, lf - start_);
    start_ = lf + 1;
    return true;
}

}  // namespace sentinel
