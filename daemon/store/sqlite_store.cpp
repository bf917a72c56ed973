// SQL for the LedgerStore contract. Every SQLite exception is caught here and returned as
// storage_unavailable, so a full disk or a locked database is a 503, never a crash.
#include "sqlite_store.hpp"

#include "customer_outlook.hpp"
#include "database.hpp"
#include "erased_ledger.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace rewardd {
namespace {

template <typename F>
auto guarded(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

}  // namespace

namespace {

// Fills `e` in place, so a long read writes each entry once where it will stay.
void fill_ledger_entry(SQLite::Statement& q, LedgerEntry& e) {
    e.key = q.getColumn(0).getString();
    e.customer = q.getColumn(1).getString();
    e.shop_id = q.getColumn(2).getString();
    e.order_id = q.getColumn(3).getString();
    e.kind = parse_entry_kind(q.getColumn(4).getText()).value_or(EntryKind::adjust);
    e.pending_delta = q.getColumn(5).getInt64();
    e.available_delta = q.getColumn(6).getInt64();
    e.rule_version = q.getColumn(7).getInt();
    e.line_id = q.getColumn(8).getString();
    e.base_minor = q.getColumn(9).getInt64();
    e.currency = q.getColumn(10).getString();
    e.rate = q.getColumn(11).getString();
    e.rounding = parse_rounding(q.getColumn(12).getText()).value_or(Rounding::floor);
    e.event_id = q.getColumn(13).getString();
    e.effective_at = q.getColumn(14).getInt64();
    e.refers_to = q.getColumn(15).getString();
    e.reason = q.getColumn(16).getString();
}

// A customer record and the keys erased into it (char(31) cannot occur in a key).
constexpr const char* k_customer_columns =
    "SELECT id, key, email, first_seen_at, (SELECT group_concat(e.customer, char(31)) FROM erased_customers e "
    "WHERE e.pseudonym = customers.key)";

CustomerRecord read_customer(SQLite::Statement& q) {
    CustomerRecord c{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                     static_cast<Timestamp>(q.getColumn(3).getInt64()), {}};
    const std::string former = q.getColumn(4).getString();  // NULL reads as ""
    for (std::size_t start = 0; start < former.size();) {
        const auto end = std::min(former.find('\x1f', start), former.size());
        c.former_keys.push_back(former.substr(start, end - start));
        start = end + 1;
    }
    return c;
}

}  // namespace

LedgerEntry read_ledger_entry(SQLite::Statement& q) {
    LedgerEntry e;
    fill_ledger_entry(q, e);
    return e;
}

namespace {

// `expected` rows are reserved up front: growing a vector of ten thousand entries step by step
// moved every entry about once more and faulted in each larger copy's fresh pages.
std::vector<LedgerEntry> read_entries(SQLite::Statement& q, std::size_t expected = 0) {
    std::vector<LedgerEntry> out;
    out.reserve(expected);
    while (q.executeStep()) fill_ledger_entry(q, out.emplace_back());
    return out;
}

std::vector<InboxEvent> read_events(SQLite::Statement& q) {
    std::vector<InboxEvent> out;
    while (q.executeStep()) {
        InboxEvent e;
        e.seq = q.getColumn(0).getInt64();
        e.shop_id = q.getColumn(1).getString();
        e.event_id = q.getColumn(2).getString();
        e.type = q.getColumn(3).getString();
        e.order_id = q.getColumn(4).getString();
        e.occurred_at = q.getColumn(5).getInt64();
        e.received_at = q.getColumn(6).getInt64();
        e.body = q.getColumn(7).getString();
        out.push_back(std::move(e));
    }
    return out;
}

constexpr const char* k_event_columns =
    "seq, shop_id, event_id, type, order_id, occurred_at, received_at, body";

}  // namespace

Result<std::vector<Appended>> SqliteStore::append_events(const std::vector<InboxEvent>& batch) {
    std::vector<Appended> out;
    // Inside write_transaction so a caller can add its own writes to the same commit.
    auto done = write_transaction([&]() -> Result<bool> {
        auto use = m_statements.use(
            "INSERT OR IGNORE INTO events (shop_id, event_id, type, order_id, "
            "occurred_at, received_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)");
        auto& q = *use;
        for (const auto& e : batch) {
            q.bind(1, e.shop_id);
            q.bind(2, e.event_id);
            q.bind(3, e.type);
            q.bind(4, e.order_id);
            q.bind(5, static_cast<std::int64_t>(e.occurred_at));
            q.bind(6, static_cast<std::int64_t>(e.received_at));
            q.bind(7, e.body);
            out.push_back(q.exec() == 1 ? Appended::inserted : Appended::duplicate);
            q.reset();
        }
        return true;
    });
    if (!done) return done.error();
    return out;
}

Result<std::vector<InboxEvent>> SqliteStore::events_after(std::int64_t seq, std::size_t limit) {
    return guarded([&]() -> Result<std::vector<InboxEvent>> {
        static const std::string sql =
            std::string("SELECT ") + k_event_columns + " FROM events WHERE seq > ? ORDER BY seq LIMIT ?";
        auto use = m_statements.use(sql);
        auto& q = *use;
        q.bind(1, seq);
        q.bind(2, static_cast<std::int64_t>(limit));
        return read_events(q);
    });
}

Result<std::vector<InboxEvent>> SqliteStore::order_events(const std::string& shop_id,
                                                          const std::string& order_id) {
    return guarded([&]() -> Result<std::vector<InboxEvent>> {
        static const std::string sql =
            std::string("SELECT ") + k_event_columns + " FROM events WHERE shop_id = ? AND order_id = ? ORDER BY seq";
        auto use = m_statements.use(sql);
        auto& q = *use;
        q.bind(1, shop_id);
        q.bind(2, order_id);
        return read_events(q);
    });
}

Result<std::int64_t> SqliteStore::event_count() {
    return guarded([&]() -> Result<std::int64_t> {
        return m_db->execAndGet("SELECT COUNT(*) FROM events").getInt64();
    });
}

Result<bool> SqliteStore::write_transaction(const std::function<Result<bool>()>& work) {
    return guarded([&]() -> Result<bool> {
        if (m_transaction_depth > 0) return work();
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        ++m_transaction_depth;
        Result<bool> result = [&]() -> Result<bool> {
            try {
                return work();
            } catch (...) {
                --m_transaction_depth;
                throw;
            }
        }();
        --m_transaction_depth;
        if (!result) return result;  // the Transaction destructor rolls back
        tx.commit();
        return result;
    });
}

Result<EntryWrite> SqliteStore::append_entry(const LedgerEntry& e, Timestamp recorded_at) {
    return guarded([&]() -> Result<EntryWrite> {
        const std::string hash = entry_content_hash(e);
        static const std::string sql = std::string("INSERT OR IGNORE INTO ledger (") + k_entry_columns +
                                       ", content_hash, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        auto use = m_statements.use(sql);
        auto& insert = *use;
        insert.bind(1, e.key);
        insert.bind(2, e.customer);
        insert.bind(3, e.shop_id);
        insert.bind(4, e.order_id);
        insert.bind(5, entry_kind_id(e.kind));
        insert.bind(6, e.pending_delta);
        insert.bind(7, e.available_delta);
        insert.bind(8, e.rule_version);
        insert.bind(9, e.line_id);
        insert.bind(10, e.base_minor);
        insert.bind(11, e.currency);
        insert.bind(12, e.rate);
        insert.bind(13, rounding_id(e.rounding));
        insert.bind(14, e.event_id);
        insert.bind(15, static_cast<std::int64_t>(e.effective_at));
        insert.bind(16, e.refers_to);
        insert.bind(17, e.reason);
        insert.bind(18, hash);
        insert.bind(19, static_cast<std::int64_t>(recorded_at));
        if (insert.exec() == 1) return EntryWrite::inserted;
        auto existing_use = m_statements.use("SELECT content_hash FROM ledger WHERE key = ?");
        auto& existing = *existing_use;
        existing.bind(1, e.key);
        if (existing.executeStep() && existing.getColumn(0).getString() == hash) return EntryWrite::existed;
        SQLite::Statement note(*m_db, "INSERT INTO conflicts (key, detail, recorded_at) VALUES (?, ?, ?)");
        note.bind(1, e.key);
        note.bind(2, "exists_with_different_content: " + entry_fingerprint(e));
        note.bind(3, static_cast<std::int64_t>(recorded_at));
        note.exec();
        return EntryWrite::conflict;
    });
}

Result<std::vector<LedgerEntry>> SqliteStore::order_entries(const std::string& shop_id,
                                                            const std::string& order_id) {
    return guarded([&]() -> Result<std::vector<LedgerEntry>> {
        static const std::string sql =
            std::string("SELECT ") + k_entry_columns + " FROM ledger WHERE shop_id = ? AND order_id = ? ORDER BY seq";
        auto use = m_statements.use(sql);
        auto& q = *use;
        q.bind(1, shop_id);
        q.bind(2, order_id);
        return read_entries(q);
    });
}

Result<std::vector<LedgerEntry>> SqliteStore::customer_entries(const std::string& customer) {
    return guarded([&]() -> Result<std::vector<LedgerEntry>> {
        if (may_be_erasure_alias(customer)) return erased_customer_entries(customer);
        static const std::string sql =
            std::string("SELECT ") + k_entry_columns + " FROM ledger WHERE customer = ? ORDER BY seq";
        std::int64_t count = 0;
        {  // from the ledger_customer index alone; only a size hint, so a write in between is harmless
            auto counting = m_statements.use("SELECT COUNT(*) FROM ledger WHERE customer = ?");
            counting->bind(1, customer);
            if (counting->executeStep()) count = counting->getColumn(0).getInt64();
        }
        auto use = m_statements.use(sql);
        auto& q = *use;
        q.bind(1, customer);
        return read_entries(q, static_cast<std::size_t>(count));
    });
}

// An erased customer's books: the rows written under their old key before the erasure and those
// written under the pseudonym since, all shown under the pseudonym (store/erased_ledger.hpp).
std::vector<LedgerEntry> SqliteStore::erased_customer_entries(const std::string& alias) {
    static const std::string sql =
        std::string("SELECT ") + k_entry_columns + " FROM ledger WHERE " + customer_rows_sql(alias) + " ORDER BY seq";
    auto use = m_statements.use(sql);
    auto& q = *use;
    q.bind(1, alias);
    auto entries = read_entries(q);
    for (auto& e : entries) show_under_alias(e, alias);
    return entries;
}

Result<std::vector<LedgerEntry>> SqliteStore::all_entries() {
    return guarded([&]() -> Result<std::vector<LedgerEntry>> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + k_entry_columns + " FROM ledger ORDER BY seq");
        return read_entries(q);
    });
}

// PRAGMA data_version moves only with other connections' commits; this connection's own appends
// move the ledger's last seq (AUTOINCREMENT, and the table refuses updates and deletes).
Result<std::optional<LedgerMark>> SqliteStore::ledger_mark() {
    return guarded([&]() -> Result<std::optional<LedgerMark>> {
        LedgerMark mark;
        auto last = m_statements.use("SELECT COALESCE(MAX(seq), 0) FROM ledger");
        if (last->executeStep()) mark.last_entry_seq = last->getColumn(0).getInt64();
        auto version = m_statements.use("PRAGMA data_version");
        if (version->executeStep()) mark.outside_commits = version->getColumn(0).getInt64();
        return std::optional<LedgerMark>{mark};
    });
}

Result<std::int64_t> SqliteStore::applied_cursor() {
    return guarded([&]() -> Result<std::int64_t> {
        auto q = m_statements.use("SELECT seq FROM apply_cursor WHERE id = 1");
        q->executeStep();
        return q->getColumn(0).getInt64();
    });
}

Result<bool> SqliteStore::set_applied_cursor(std::int64_t seq, Timestamp applied_at) {
    return guarded([&]() -> Result<bool> {
        auto use = m_statements.use("UPDATE apply_cursor SET seq = ? WHERE id = 1");
        auto& q = *use;
        q.bind(1, seq);
        q.exec();
        if (seq <= 0) return true;
        auto logged = m_statements.use("INSERT OR IGNORE INTO apply_log (seq_to, applied_at) VALUES (?, ?)");
        logged->bind(1, seq);
        logged->bind(2, static_cast<std::int64_t>(applied_at));
        logged->exec();
        return true;
    });
}

Result<bool> SqliteStore::keep_outlook(const std::string& customer, const ExpiryOutlook& outlook) {
    return guarded([&]() -> Result<bool> {
        auto use = m_statements.use(keep_outlook_sql(customer));
        auto& q = *use;
        q.bind(1, customer);
        q.bind(2, outlook.rules_version);
        q.bind(3, static_cast<std::int64_t>(outlook.walked_at));
        q.bind(4, encode_expiring(outlook.expiring));
        q.exec();
        return true;
    });
}

Result<bool> SqliteStore::set_wakeup(const Wakeup& w) {
    return guarded([&]() -> Result<bool> {
        auto use = m_statements.use("INSERT OR REPLACE INTO wakeups (shop_id, order_id, due_at) VALUES (?,?,?)");
        auto& q = *use;
        q.bind(1, w.shop_id);
        q.bind(2, w.order_id);
        q.bind(3, static_cast<std::int64_t>(w.due_at));
        q.exec();
        return true;
    });
}

Result<bool> SqliteStore::clear_wakeup(const std::string& shop_id, const std::string& order_id) {
    return guarded([&]() -> Result<bool> {
        auto use = m_statements.use("DELETE FROM wakeups WHERE shop_id = ? AND order_id = ?");
        auto& q = *use;
        q.bind(1, shop_id);
        q.bind(2, order_id);
        q.exec();
        return true;
    });
}

Result<std::vector<Wakeup>> SqliteStore::due_wakeups(Timestamp now, std::size_t limit) {
    return guarded([&]() -> Result<std::vector<Wakeup>> {
        auto use = m_statements.use(
            "SELECT shop_id, order_id, due_at FROM wakeups WHERE due_at <= ? ORDER BY due_at LIMIT ?");
        auto& q = *use;
        q.bind(1, static_cast<std::int64_t>(now));
        q.bind(2, static_cast<std::int64_t>(limit));
        std::vector<Wakeup> out;
        while (q.executeStep()) {
            out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64()});
        }
        return out;
    });
}

Result<CustomerRecord> SqliteStore::remember_customer(const std::string& key, const std::string& email,
                                                      Timestamp seen_at) {
    return guarded([&]() -> Result<CustomerRecord> {
        auto use = m_statements.use("INSERT OR IGNORE INTO customers (key, email, first_seen_at) VALUES (?,?,?)");
        auto& insert = *use;
        insert.bind(1, key);
        insert.bind(2, email);
        insert.bind(3, static_cast<std::int64_t>(seen_at));
        insert.exec();
        auto found = find_customer(key);
        if (!found) return found.error();
        return found->value();
    });
}

Result<std::optional<CustomerRecord>> SqliteStore::find_customer(const std::string& query) {
    return guarded([&]() -> Result<std::optional<CustomerRecord>> {
        const bool numeric = !query.empty() && query.find_first_not_of("0123456789") == std::string::npos;
        auto use = m_statements.use(numeric ? std::string(k_customer_columns) + " FROM customers WHERE id = ?"
                                            : std::string(k_customer_columns) + " FROM customers WHERE key = ?");
        auto& q = *use;
        if (numeric) {
            q.bind(1, static_cast<std::int64_t>(std::stoll(query.substr(0, 18))));
        } else {
            q.bind(1, query);
        }
        if (!q.executeStep()) return std::optional<CustomerRecord>{};
        return std::optional<CustomerRecord>{read_customer(q)};
    });
}

Result<std::vector<CustomerRecord>> SqliteStore::customers_after(std::int64_t after_id) {
    return guarded([&]() -> Result<std::vector<CustomerRecord>> {
        auto use = m_statements.use(std::string(k_customer_columns) + " FROM customers WHERE id > ? ORDER BY id");
        auto& q = *use;
        q.bind(1, after_id);
        std::vector<CustomerRecord> out;
        while (q.executeStep()) out.push_back(read_customer(q));
        return out;
    });
}

}  // namespace rewardd
