// Statement reuse: reset (never throwing) and unbind when a use ends.
#include "statement_cache.hpp"

namespace rewardd {

StatementCache::Use::Use(Use&& other) noexcept
    : m_own(std::move(other.m_own)), m_statement(other.m_statement), m_busy(other.m_busy) {
    other.m_statement = nullptr;
    other.m_busy = nullptr;
}

StatementCache::Use::~Use() {
    if (!m_statement) return;
    m_statement->tryReset();
    try {
        m_statement->clearBindings();
    } catch (...) {  // clearing bindings cannot fail in SQLite; a destructor must not throw anyway
    }
    if (m_busy) *m_busy = false;
}

StatementCache::Use StatementCache::use(const std::string& sql) {
    Slot& slot = m_slots[sql];
    if (slot.busy) return Use(std::make_unique<SQLite::Statement>(m_db, sql));
    if (!slot.statement) slot.statement = std::make_unique<SQLite::Statement>(m_db, sql);
    slot.busy = true;
    return Use(*slot.statement, &slot.busy);
}

void StatementCache::clear() {
    std::erase_if(m_slots, [](const auto& slot) { return !slot.second.busy; });
}

StatementCache::Use prepare(SQLite::Database& db, StatementCache* cache, const std::string& sql) {
    if (cache) return cache->use(sql);
    return StatementCache::Use(std::make_unique<SQLite::Statement>(db, sql));
}

}  // namespace rewardd
