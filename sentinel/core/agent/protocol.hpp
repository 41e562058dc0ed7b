#pragma once
// The agent protocol: a small versioned text protocol over a Unix stream
// socket, used by the per-shell relay (`sentinel client`), subscribers
// (status line, tmux sink) and tests.
//
// Frames. One frame is one line: fields separated by TAB, ended by LF, at
// most kMaxFrame bytes including the LF. Inside a field, `\` `TAB` `LF` `CR`
// are written `\\` `\t` `\n` `\r`; no other escape exists. A frame's first
// field is its verb. A peer that sends a longer frame, a bad escape or an
// unknown verb gets `ERROR <code> <text>` and is disconnected.
//
// Conversation (C: client, A: agent):
//   C: HELLO <version> <client-name> [<capability>...]   first frame, always
//   A: HELLO <version> <agent-name> <instance> [<capability>...]
//                                             or ERROR version ... and close
//      Capabilities are words a peer may ignore; a verb marked (ahead) below
//      is only sent to a peer that said `ahead` (kAheadCapability), so an
//      agent and a relay of different builds still talk.
//   C: REGISTER <pid> <shell> <tty> <tmux> <tmux-pane> <cwd>
//   A: REGISTERED <session-id>                one session per connection
//   C: REPORT <cwd> <NAME=VALUE>... [<NAME>]  the shell's variables that matter and its
//                                             directory (a new one re-resolves: .env, terraform);
//                                             a final NAME without '=' marks a REPORT cut
//                                             to fit a frame at that variable
//   C: PROMPT <seq> <known-gen> [<deadline>]  the shell is drawing a prompt (idle);
//                                             <deadline>: CLOCK_MONOTONIC ms when the relay
//                                             stops waiting; a later answer repaints the
//                                             status line without scrolling (on_change)
//   A: STATE <seq> <gen>                      nothing changed since <known-gen>
//   A: STATE <seq> <gen> <tier> <label> <segment> <changed-from> <kube-context>
//            <kube-namespace> <pg> <env> <names>   (see core/agent/session.hpp, StateReply)
//   A: AHEAD <token> <flags> <reports> <rows> <cols> <bytes> <n> (<path> <identity>)*n <field>...  (ahead)
//      what the next prompt shows if nothing changes, pushed whenever that
//      changes (encode_ahead, core/display/prompt.hpp); sent before the
//      STATE it goes with
//   C: SHOWN <seq> <token> <rows> <cols>      (ahead) the relay answered a prompt from
//                                             AHEAD <token> and wrote its bytes at that size
//   A: SHOWN <seq>                            done: the session is at its prompt
//   C: BUSY                                   the shell runs a command (preexec)
//   C: DRAWN                                  the shell's line editor has drawn (zsh's
//                                             zle: its prompt, a redraw, a resize) and
//                                             waits for input: the status line it erased
//                                             is painted again
//   C: SUBSCRIBE                              receive every session and change:
//   A: SESSION <id> <pid> <shell> <tty> <tmux> <tmux-pane> <idle 0|1> <gen> <tier>
//              <label> <text> <changed-from> <color> <dangerous 0|1> <targets>
//      (<targets>: one line "<kind> TAB <name>" per target; see session_frame)
//   A: GONE <id>
//   C: LIST                                   SESSION frames for all, then END
//   C: PING <token>   A: PONG <token>
//   C: EVAL <cwd> <argc> <arg>... <NAME=VALUE>...   (`sentinel guard`, no REGISTER)
//   A: VERDICT <run|ask> <tier>
//      run: the guard would run this command without asking (runs_unasked,
//      core/guard/describe.hpp) under these variables, relative paths taken from
//      <cwd>, which is also where .env files and terraform's directory are
//      looked for (`ask` when a .env value expands a variable not sent);
//      ask: it must look closer itself. An agent is only ever a fast
//      path: whatever it says but `run` sends the guard to its own checks.
//   C: GUARD <seq> <argc> <arg>...            the same for a registered shell's
//   A: GUARDED <seq> <run|ask> <tier>         wrapped tool, under its last REPORT
// REPORT and EVAL carry no secret: shells never send PGPASSWORD and redact URL and
// conninfo passwords before sending; the agent drops them again.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/result.hpp"

namespace sentinel {

/// Version spoken in HELLO. A peer with another version is refused.
inline constexpr int kProtocolVersion = 1;

/// The capability word of peers that push state ahead of prompts (AHEAD)
/// and report prompts answered from it (SHOWN).
inline constexpr std::string_view kAheadCapability = "ahead";

/// Version of the shell<->relay protocol (io/agent_relay.hpp): the relay's
/// opening line and the layout of its replies, STATE's fields among them
/// (state_fields, core/display/prompt.hpp) and, from version 3, the stale
/// fields after them (stale_fields). A shell says which version it
/// speaks when it starts the relay; the relay opens with its own, and a
/// shell that finds another one shows "restart your shell" instead of
/// reading replies it does not know. Version 1 is the unversioned protocol
/// of shells started before versions existed: the relay still answers them,
/// with that mark.
inline constexpr int kShellProtocolVersion = 3;

/// Largest frame, bytes, LF included (a KUBECONFIG of 256 long paths fits).
/// A frame that cannot be sent or read whole never ends as "nothing
/// changed": the agent shortens long fields to fit (fit_frame), the relay
/// answers a cut STATE with unknown and forwards a cut REPORT marked as such
/// (core/agent/session.hpp, parse_report), which makes the session unknown.
inline constexpr std::size_t kMaxFrame = 64 * 1024;

/// A decoded frame: its fields, verb first.
using Frame = std::vector<std::string>;

/// `fields` escaped and joined by TAB, with the final LF.
std::string encode_frame(const Frame& fields);

/// Decodes one line (without its LF). Errors: an empty line, a bad escape
/// (`\` followed by anything but `\` `t` `n` `r`, or at the end).
Result<Frame> decode_frame(std::string_view line);

/// Decodes the start of a line that was cut (FrameBuffer::cut()): a final
/// lone `\` is dropped, the last field is the part that arrived, and each
/// field is decoded as decode_frame does. Errors as decode_frame's.
Result<Frame> decode_cut_frame(std::string_view start);

/// Bytes encode_frame(fields) takes, LF included.
std::size_t encoded_size(const Frame& fields);

/// Shortens the longest fields of `fields`, each in its middle with "…"
/// (U+2026) and never inside a UTF-8 character, until the encoded frame
/// takes at most `max` bytes: a long name in a STATE or SESSION frame is
/// shown shortened instead of the frame being dropped (the agent keeps the
/// full value to classify it). False when the frame cannot fit even with
/// every field cut to 16 bytes; `fields` is then left shortened.
bool fit_frame(Frame& fields, std::size_t max = kMaxFrame);

/// Splits a byte stream into lines, never holding more than kMaxFrame bytes.
class FrameBuffer {
public:
    /// `cut_long_lines` false: a line longer than kMaxFrame ends the stream
    /// (overflowed(); the peer must be dropped). True: such a line is given
    /// cut to its first kMaxFrame - 1 bytes, with cut() true, and the rest
    /// of it up to its LF is skipped, so that one oversized frame costs one
    /// frame and not the connection (the relay answers it with unknown).
    explicit FrameBuffer(bool cut_long_lines = false) : cut_long_(cut_long_lines) {}
    /// Appends received bytes.
    void feed(std::string_view bytes);
    /// The next complete line without its LF, if any (see the constructor
    /// for lines longer than kMaxFrame).
    bool next(std::string& line);
    /// True when the line next() gave last was cut.
    bool cut() const { return cut_; }
    /// True once a line exceeded kMaxFrame (never with cut_long_lines).
    bool overflowed() const { return overflow_; }
    /// Bytes held that do not yet form a full line.
    std::size_t pending() const { return buf_.size() - start_; }

private:
    std::string buf_;
    std::size_t start_ = 0;
    bool overflow_ = false;
    bool cut_long_ = false;
    bool cut_ = false;
    bool skipping_ = false;  // dropping the rest of a cut line, up to its LF
};

}  // namespace sentinel
