// Straight on SQLite's C API: SQLiteCpp's column objects each copy a shared pointer, and explain
// reads about ten columns of every entry.
#include "books/story_ledger.hpp"

#include <sqlite3.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "core/customer_walk.hpp"
#include "store/database.hpp"
#include "store/erased_ledger.hpp"

namespace rewardd::books {
namespace {

// Faults in the pages of fresh memory about to be written in one call instead of one fault each as
// it is first touched (a fault costs several µs on a VM; the entries of 12,673 rows are 450 pages).
// Only memory explain fills at once and drops at exit; where the kernel cannot, nothing changes.
void prefault(void* start, std::size_t bytes) {
#ifdef MADV_POPULATE_WRITE
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto from = (reinterpret_cast<std::uintptr_t>(start) + page - 1) & ~(page - 1);
    const auto to = (reinterpret_cast<std::uintptr_t>(start) + bytes) & ~(page - 1);
    if (to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_WRITE);
#else
    (void)start;
    (void)bytes;
#endif
}

using StatementPtr = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

StatementPtr prepare(SQLite::Database& db, const char* sql, const std::string& customer) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db.getHandle(), sql, -1, &raw, nullptr);
    StatementPtr statement(raw, &sqlite3_finalize);
    if (rc != SQLITE_OK) throw SQLite::Exception(db.getHandle(), rc);
    sqlite3_bind_text(raw, 1, customer.data(), static_cast<int>(customer.size()), SQLITE_STATIC);
    return statement;
}

// Copies column text into blocks that never move, so the views handed out stay valid.
class TextBlocks {
public:
    explicit TextBlocks(std::vector<std::unique_ptr<char[]>>& blocks) : m_blocks(blocks) {}

    std::string_view keep(sqlite3_stmt* q, int column) {
        const auto* text = sqlite3_column_text(q, column);
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(q, column));
        if (size == 0) return {};
        if (size > m_left) {
            const std::size_t block = std::max(size, k_block_bytes);
            m_blocks.push_back(std::make_unique_for_overwrite<char[]>(block));
            m_next = m_blocks.back().get();
            prefault(m_next, block);
            m_left = block;
        }
        std::memcpy(m_next, text, size);
        const std::string_view kept(m_next, size);
        m_next += size;
        m_left -= size;
        return kept;
    }

private:
    static constexpr std::size_t k_block_bytes = 256 * 1024;
    std::vector<std::unique_ptr<char[]>>& m_blocks;
    char* m_next = nullptr;
    std::size_t m_left = 0;
};

std::string_view column_view(sqlite3_stmt* q, int column) {
    return {reinterpret_cast<const char*>(sqlite3_column_text(q, column)),
            static_cast<std::size_t>(sqlite3_column_bytes(q, column))};
}

const std::string k_story_columns =
    "SELECT kind, pending_delta, available_delta, base_minor, rule_version, refers_to <> '', effective_at, "
    "shop_id, order_id, line_id, currency, rate, reason FROM ledger WHERE ";

}  // namespace

Result<StoryLedger> read_story_ledger(SQLite::Database& db, const std::string& customer) {
    try {
        StoryLedger out;
        {  // from the ledger_customer index alone; a size hint, so a write in between is harmless
            auto counting = prepare(db, (std::string("SELECT COUNT(*) FROM ledger WHERE ") + customer_rows_sql(customer)).c_str(), customer);
            if (sqlite3_step(counting.get()) == SQLITE_ROW) {
                out.entries.reserve(static_cast<std::size_t>(sqlite3_column_int64(counting.get(), 0)));
                prefault(out.entries.data(), out.entries.capacity() * sizeof(StoryEntry));
            }
        }
        auto statement =
            prepare(db, (k_story_columns + customer_rows_sql(customer) + " ORDER BY seq").c_str(), customer);
        sqlite3_stmt* q = statement.get();
        TextBlocks text(out.text);
        bool tier_seen = false;
        Timestamp tier_at = 0;
        int rc;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            StoryEntry& e = out.entries.emplace_back();
            e.kind = parse_entry_kind(column_view(q, 0)).value_or(EntryKind::adjust);
            e.pending_delta = sqlite3_column_int64(q, 1);
            e.available_delta = sqlite3_column_int64(q, 2);
            e.base_minor = sqlite3_column_int64(q, 3);
            e.rule_version = sqlite3_column_int(q, 4);
            e.corrects = sqlite3_column_int(q, 5) != 0;
            e.effective_at = sqlite3_column_int64(q, 6);
            e.shop_id = text.keep(q, 7);
            e.order_id = text.keep(q, 8);
            e.line_id = text.keep(q, 9);
            e.currency = text.keep(q, 10);
            e.rate = text.keep(q, 11);
            e.reason = text.keep(q, 12);
            out.balance.available += e.available_delta;
            out.balance.pending += e.pending_delta;
            if (e.kind == EntryKind::tier_change && (!tier_seen || e.effective_at >= tier_at)) {
                tier_seen = true;
                tier_at = e.effective_at;
                out.tier = tier_change_target(e.reason);
            }
        }
        if (rc != SQLITE_DONE) throw SQLite::Exception(db.getHandle(), rc);
        return out;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

}  // namespace rewardd::books
