#include "sentinel/core/agent/protocol.hpp"

#include <algorithm>

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

Result<Frame> decode_cut_frame(std::string_view start) {
    std::size_t backslashes = 0;
    while (backslashes < start.size() && start[start.size() - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2) start.remove_suffix(1);  // half of an escape
    return decode_frame(start);
}

std::size_t encoded_size(const Frame& fields) {
    std::size_t n = fields.empty() ? 1 : fields.size();  // separators and the LF
    for (const std::string& f : fields)
        for (char c : f) n += (c == '\\' || c == '\t' || c == '\n' || c == '\r') ? 2 : 1;
    return n;
}

namespace {

// `text` in at most `bytes` bytes (>= 5): its start, "…", its end, cut at
// UTF-8 character boundaries.
std::string elide_bytes(const std::string& text, std::size_t bytes) {
    if (text.size() <= bytes) return text;
    auto boundary = [&](std::size_t i) {
        while (i > 0 && i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
        return i;
    };
    std::size_t keep = bytes - 3;
    std::size_t head = boundary(keep - keep / 2);
    std::size_t tail_from = text.size() - keep / 2;
    while (tail_from < text.size() && (static_cast<unsigned char>(text[tail_from]) & 0xC0) == 0x80) ++tail_from;
    return text.substr(0, head) + "\u2026" + text.substr(tail_from);
}

}  // namespace

bool fit_frame(Frame& fields, std::size_t max) {
    constexpr std::size_t kShortest = 16;
    for (;;) {
        std::size_t size = encoded_size(fields);
        if (size <= max) return true;
        auto longest = fields.begin();
        for (auto it = fields.begin(); it != fields.end(); ++it)
            if (it->size() > longest->size()) longest = it;
        if (longest == fields.end() || longest->size() <= kShortest) return false;
        // Cut the excess and the "…" out of the longest field; escapes that
        // stay may need another round.
        std::size_t excess = size - max;
        std::size_t target = longest->size() > excess + 3 + kShortest ? longest->size() - excess - 3 : kShortest;
        *longest = elide_bytes(*longest, target);
    }
}

void FrameBuffer::feed(std::string_view bytes) {
    if (overflow_) return;
    if (skipping_) {
        std::size_t lf = bytes.find('\n');
        if (lf == std::string_view::npos) return;
        bytes.remove_prefix(lf + 1);
        skipping_ = false;
    }
    if (start_ > 0 && start_ == buf_.size()) {
        buf_.clear();
        start_ = 0;
    }
    buf_.append(bytes);
}

bool FrameBuffer::next(std::string& line) {
    cut_ = false;
    if (overflow_ || skipping_) return false;
    std::size_t lf = buf_.find('\n', start_);
    std::size_t length = (lf == std::string::npos ? buf_.size() : lf) - start_;
    if (lf == std::string::npos && length < kMaxFrame) {
        // Compact so that a slow stream of bytes cannot grow the buffer.
        if (start_ > 0) {
            buf_.erase(0, start_);
            start_ = 0;
        }
        return false;
    }
    if (length + 1 > kMaxFrame) {
        if (!cut_long_) {
            overflow_ = true;
            return false;
        }
        line.assign(buf_, start_, kMaxFrame - 1);
        cut_ = true;
        if (lf == std::string::npos) {
            buf_.clear();
            start_ = 0;
            skipping_ = true;
        } else {
            start_ = lf + 1;
        }
        return true;
    }
    line.assign(buf_, start_, length);
    start_ = lf + 1;
    return true;
}

}  // namespace sentinel
