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

TEST_CASE("fit_frame: long fields are shortened in their middle until the frame fits") {
    Frame f = {"STATE", "7", "tok", "production", "PROD", std::string(70000, 'a') + "-prod", "", "x"};
    CHECK(sentinel::encoded_size(f) > kMaxFrame);
    REQUIRE(sentinel::fit_frame(f));
    CHECK(sentinel::encoded_size(f) <= kMaxFrame);
    CHECK(encode_frame(f).size() == sentinel::encoded_size(f));
    CHECK(f.size() == 8);
    CHECK(f[3] == "production");
    CHECK(f[5].rfind("aaaa", 0) == 0);
    CHECK(f[5].size() > kMaxFrame / 2);
    CHECK(f[5].substr(f[5].size() - 5) == "-prod");
    CHECK(f[5].find("\u2026") != std::string::npos);
}

TEST_CASE("fit_frame: escapes count, UTF-8 is never split, small frames are left alone") {
    Frame tabs = {"X", std::string(40000, '\t'), std::string(40000, '\\')};
    REQUIRE(sentinel::fit_frame(tabs, 1000));
    CHECK(encode_frame(tabs).size() <= 1000);
    std::string accents;
    for (int i = 0; i < 1000; ++i) accents += "\u00e9";
    Frame u = {"X", accents};
    REQUIRE(sentinel::fit_frame(u, 101));
    auto back = decode_frame(encode_frame(u).substr(0, encode_frame(u).size() - 1));
    REQUIRE(back.ok());
    for (std::size_t i = 0; i < (*back)[1].size(); ++i) {
        auto c = static_cast<unsigned char>((*back)[1][i]);
        if (c == 0xc3) CHECK(i + 1 < (*back)[1].size());
    }
    Frame small = {"PING", "x"};
    REQUIRE(sentinel::fit_frame(small));
    CHECK(small == Frame{"PING", "x"});
    Frame many(20000, std::string(16, 'x'));
    CHECK_FALSE(sentinel::fit_frame(many));
}

TEST_CASE("FrameBuffer: with cut_long_lines an oversized line is given cut and the stream goes on") {
    FrameBuffer b(true);
    std::string line;
    b.feed("REPORT\t/h\tAPP_ENV=" + std::string(kMaxFrame, 'a'));
    REQUIRE(b.next(line));
    CHECK(b.cut());
    CHECK(line.size() == kMaxFrame - 1);
    CHECK(line.rfind("REPORT\t/h\tAPP_ENV=aaa", 0) == 0);
    b.feed(std::string(10000, 'a'));  // the rest of the long line
    CHECK_FALSE(b.next(line));
    b.feed("aaa\nPROMPT\t5\t\t10\n");
    REQUIRE(b.next(line));
    CHECK_FALSE(b.cut());
    CHECK(line == "PROMPT\t5\t\t10");
    CHECK_FALSE(b.overflowed());
    // A long line whose LF arrived with it.
    b.feed(std::string(kMaxFrame + 5, 'b') + "\nPING\n");
    REQUIRE(b.next(line));
    CHECK(b.cut());
    REQUIRE(b.next(line));
    CHECK(line == "PING");
}

TEST_CASE("decode_cut_frame: a half escape at the cut is dropped") {
    auto f = sentinel::decode_cut_frame("REPORT\t/h\tA=x\\");
    REQUIRE(f.ok());
    CHECK(*f == Frame{"REPORT", "/h", "A=x"});
    f = sentinel::decode_cut_frame("REPORT\t/h\tA=x\\\\");
    REQUIRE(f.ok());
    CHECK(*f == Frame{"REPORT", "/h", "A=x\\"});
}
