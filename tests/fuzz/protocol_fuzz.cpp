// The agent protocol's framing on any byte stream, as the agent and the
// relay read it: split into lines (both modes), decoded (whole and cut),
// re-encoded to the same frame, REPORT fields parsed, and frames fitted
// under a size (never larger than asked, the field count kept).

#include <string>

#include "sentinel/core/agent/protocol.hpp"
#include "sentinel/core/agent/session.hpp"
#include "tests/fuzz/fuzz.hpp"

using sentinel::Frame;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string stream(reinterpret_cast<const char*>(data), size);
    for (bool cut_long : {false, true}) {
        sentinel::FrameBuffer buffer(cut_long);
        // Feed in uneven pieces, as reads deliver them.
        for (std::size_t at = 0, step = 1; at < stream.size(); at += step, step = step * 3 % 17 + 1) {
            buffer.feed(std::string_view(stream).substr(at, step));
            std::string line;
            while (buffer.next(line)) {
                FUZZ_CHECK(line.size() < sentinel::kMaxFrame);
                FUZZ_CHECK(line.find('\n') == std::string::npos);
                auto frame = buffer.cut() ? sentinel::decode_cut_frame(line) : sentinel::decode_frame(line);
                if (!frame) continue;
                std::string again = sentinel::encode_frame(*frame);
                FUZZ_CHECK(again.size() == sentinel::encoded_size(*frame));
                auto back = sentinel::decode_frame(std::string_view(again).substr(0, again.size() - 1));
                FUZZ_CHECK(back.ok() && *back == *frame);
                sentinel::Vars vars = sentinel::parse_report(*frame);
                for (const auto& [k, v] : vars) FUZZ_CHECK(k == sentinel::kUnreportedVariables || sentinel::is_variable_name(k));
                Frame fitted = *frame;
                std::size_t max = 64 + size % 512;
                if (sentinel::fit_frame(fitted, max)) FUZZ_CHECK(sentinel::encoded_size(fitted) <= max);
                FUZZ_CHECK(fitted.size() == frame->size());
            }
            if (!cut_long && buffer.overflowed()) break;
            FUZZ_CHECK(buffer.pending() <= sentinel::kMaxFrame + 17);
        }
        if (cut_long) FUZZ_CHECK(!buffer.overflowed());
    }
    return 0;
}
