// parse_kubeconfig on any bytes: no crash, hang or leak (libfyaml included),
// an error never quotes the text, and what parses survives the cache codec.

#include <string>

#include "sentinel/core/kube/kubeconfig.hpp"
#include "tests/fuzz/fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto parsed = sentinel::parse_kubeconfig(text, "/fuzz/config");
    if (!parsed) {
        std::string error = parsed.error().to_string();
        FUZZ_CHECK(error.rfind("/fuzz/config", 0) == 0);
        // A message never holds a line of the file (a token may be on it).
        if (size >= 24) {
            for (std::size_t nl = 0, start = 0; start < text.size(); start = nl + 1) {
                nl = text.find('\n', start);
                if (nl == std::string::npos) nl = text.size();
                std::string line = text.substr(start, nl - start);
                if (line.size() >= 24) FUZZ_CHECK(error.find(line) == std::string::npos);
            }
        }
        return 0;
    }
    auto again = sentinel::decode_kubeconfig(sentinel::encode_kubeconfig(*parsed));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(sentinel::encode_kubeconfig(*again) == sentinel::encode_kubeconfig(*parsed));
    return 0;
}
