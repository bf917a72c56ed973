// Compiled statements kept per connection. SQLite compiles the SQL text on every prepare, which
// was about a third of the applier's time; a store that runs the same few statements thousands of
// times a second keeps them compiled instead. A statement is reset when its use ends, so a cached
// SELECT never holds a read snapshot open between calls.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>
#include <unordered_map>

namespace rewardd {

class StatementCache {
public:
    explicit StatementCache(SQLite::Database& db) : m_db(db) {}

    // One use of a statement: bind, step, read; reset and unbound when it goes out of scope.
    class Use {
    public:
        Use(SQLite::Statement& statement, bool* busy) : m_statement(&statement), m_busy(busy) {}
        explicit Use(std::unique_ptr<SQLite::Statement> own) : m_own(std::move(own)), m_statement(m_own.get()) {}
        Use(Use&& other) noexcept;
        Use(const Use&) = delete;
        Use& operator=(const Use&) = delete;
        Use& operator=(Use&&) = delete;
        ~Use();

        SQLite::Statement& operator*() const { return *m_statement; }
        SQLite::Statement* operator->() const { return m_statement; }

    private:
        std::unique_ptr<SQLite::Statement> m_own;  // a second, nested use of the same SQL
        SQLite::Statement* m_statement = nullptr;
        bool* m_busy = nullptr;
    };

    // The compiled statement for `sql` (compiled on first use). A nested use of the same SQL while
    // the first is still open gets its own short-lived statement rather than disturbing it.
    Use use(const std::string& sql);

    // Finalizes every compiled statement not in use; the next use compiles it again. For an owner
    // going idle: a burst's compiled statements lie spread over the heap it grew.
    void clear();

private:
    struct Slot {
        std::unique_ptr<SQLite::Statement> statement;
        bool busy = false;
    };
    SQLite::Database& m_db;
    std::unordered_map<std::string, Slot> m_slots;
};

// The statement for `sql` from `cache` when the caller has one (the long-lived owner of a busy
// connection keeps one), else compiled for this use only.
StatementCache::Use prepare(SQLite::Database& db, StatementCache* cache, const std::string& sql);

}  // namespace rewardd
