#pragma once
// A libpq connection for sentinel's own queries (the preview, the undo
// restore), with a deadline on everything: libpq's asynchronous calls and
// poll(2). libpq is loaded on first use (core/pg/libpq.hpp): a command that
// never needs a connection never loads it.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/guard/pin.hpp"
#include "sentinel/io/clock.hpp"

namespace sentinel {

/// One statement's answer.
struct PgResult {
    bool ok = false;
    std::string sqlstate;  ///< "57014" for a statement timeout
    std::string error;     ///< the server's primary message, one line
    std::vector<std::vector<std::optional<std::string>>> rows;  ///< text values, nullopt for NULL
    std::string command;   ///< the command tag ("DELETE 3")
};

/// An open connection. Move-only; closing it ends (rolls back) any open
/// transaction.
class PgConn {
public:
    /// Connects to `connection` (the settled, pinned parameters; its
    /// password when one was supplied, else libpq's usual ~/.pgpass) with
    /// `options` appended to the settled options, never prompting. Gives up
    /// at `deadline_ms`. Errors: libpq's message, first line, quoted text
    /// removed (it may quote a value), or "no answer in time".
    static std::optional<PgConn> open(const PinnedConnection& connection, const std::string& options,
                                      long long deadline_ms, std::string& error);
    /// The same with a database other than the pinned one.
    static std::optional<PgConn> open_database(const PinnedConnection& connection, const std::string& dbname,
                                               const std::string& options, long long deadline_ms, std::string& error);

    PgConn(PgConn&& other) noexcept;
    PgConn& operator=(PgConn&&) = delete;
    PgConn(const PgConn&) = delete;
    ~PgConn();

    /// Sends `sql` (one or more statements, simple query protocol) and
    /// returns each statement's result in order; the server stops at the
    /// first error, which is the last result. `timed_out` is set (and the
    /// connection unusable) when `deadline_ms` passes first.
    std::vector<PgResult> run(const std::string& sql, long long deadline_ms, bool& timed_out);

    /// Runs `copy_sql` (COPY ... FROM STDIN) feeding it `data`, in chunks.
    PgResult copy_in(const std::string& copy_sql, const std::string& data, long long deadline_ms);

private:
    explicit PgConn(void* conn) : conn_(conn) {}
    bool wait(bool for_write, long long deadline_ms);
    void* conn_ = nullptr;
};

}  // namespace sentinel
