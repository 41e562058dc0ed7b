#include "sentinel/core/agent/protocol.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

using sentinel::decode_frame;
using sentinel::encode_frame;
using sentinel::Frame;
using sentinel::FrameBuffer;
using sentinel::kMaxFrame;

TEST_CASE("encode_frame: tab-separated, escaped, one line") {
    CHECK(encode_frame({"HELLO", "1", "sentinel-client"}) == "HELLO\t1\tsentinel-client\n");
    CHECK(encode_frame({"REPORT", "/home/u", "KUBECONFIG=a\tb\nc\\d\re"}) ==
          "REPORT\t/home/u\tKUBECONFIG=a\\tb\\nc\\\\d\\re\n");
    CHECK(encode_frame({"PING", ""}) == "PING\t\n");
}

TEST_CASE("decode_frame: inverse of encode_frame, empty fields kept") {
    Frame f = {"STATE", "", "x\\y", "\t\n\r", "", "$(id)"};
    std::string line = encode_frame(f);
    line.pop_back();
    auto back = decode_frame(line);
    REQUIRE(back.ok());
    CHECK(*back == f);
}

TEST_CASE("decode_frame: bad escapes and empty lines are errors") {
    CHECK_FALSE(decode_frame("").ok());
    CHECK_FALSE(decode_frame("A\\").ok());
    CHECK_FALSE(decode_frame("A\\x41").ok());
    CHECK(decode_frame("A\\x41").error().message == "unknown escape");
}

TEST_CASE("decode_frame: random bytes never crash; valid escapes round-trip") {
    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i) {
        std::string line(rng() % 64, '\0');
        for (char& c : line) c = static_cast<char>(rng() % 256);
        auto f = decode_frame(line);
        if (!f) continue;
        std::string again = encode_frame(*f);
        again.pop_back();
        auto g = decode_frame(again);
        REQUIRE(g.ok());
        CHECK(*g == *f);
    }
}

TEST_CASE("FrameBuffer: lines split across reads and several per read") {
    FrameBuffer b;
    std::string line;
    b.feed("HEL");
    CHECK_FALSE(b.next(line));
    b.feed("LO\t1\nPING\tx\nPA");
    REQUIRE(b.next(line));
    CHECK(line == "HELLO\t1");
    REQUIRE(b.next(line));
    CHECK(line == "PING\tx");
    CHECK_FALSE(b.next(line));
    CHECK(b.pending() == 2);
    b.feed("RT\n");
    REQUIRE(b.next(line));
    CHECK(line == "PART");
    CHECK_FALSE(b.overflowed());
}

TEST_CASE("FrameBuffer: a frame of exactly kMaxFrame bytes passes, one more overflows") {
    FrameBuffer ok;
    std::string line;
    ok.feed(std::string(kMaxFrame - 1, 'a') + "\n");
    REQUIRE(ok.next(line));
    CHECK(line.size() == kMaxFrame - 1);

    FrameBuffer big;
    big.feed(std::string(kMaxFrame, 'a') + "\n");
    CHECK_FALSE(big.next(line));
    CHECK(big.overflowed());
}

TEST_CASE("FrameBuffer: a peer claiming a huge frame is cut off without buffering it") {
    FrameBuffer b;
    std::string line;
    for (int i = 0; i < 100 && !b.overflowed(); ++i) {
        b.feed(std::string(4096, 'x'));
        CHECK_FALSE(b.next(line));
    }
    CHECK(b.overflowed());
    CHECK(b.pending() <= kMaxFrame + 4096);
    b.feed("\nPING\n");
    CHECK_FALSE(b.next(line));
}
