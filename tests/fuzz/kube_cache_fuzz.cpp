// The kubeconfig cache codec on any bytes (a cache file is on disk, and may
// be corrupt or planted): decode never crashes, and what decodes encodes to
// a text that decodes to the same.

#include <string>

#include "sentinel/core/kube/kubeconfig.hpp"
#include "tests/fuzz/fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto decoded = sentinel::decode_kubeconfig(text);
    if (!decoded) return 0;
    std::string encoded = sentinel::encode_kubeconfig(*decoded);
    auto again = sentinel::decode_kubeconfig(encoded);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(sentinel::encode_kubeconfig(*again) == encoded);
    return 0;
}
