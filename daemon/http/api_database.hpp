// The /api/v1 routes' own database connection. Connections are opened without SQLite's internal
// mutex (one thread at a time), and cpp-httplib answers on many threads, so every use goes
// through `with`, which holds a lock for exactly the storage work.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <mutex>

namespace rewardd {

class ApiDatabase {
public:
    explicit ApiDatabase(std::shared_ptr<SQLite::Database> db) : m_db(std::move(db)) {}

    template <typename Work>
    auto with(Work&& work) {
        std::lock_guard lock(m_mutex);
        return work(m_db);
    }

private:
    std::mutex m_mutex;
    std::shared_ptr<SQLite::Database> m_db;
};

}  // namespace rewardd
