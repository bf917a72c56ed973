// The metafield write loop. A shop that is gone, not Shopify or uninstalled, and a customer whose
// Shopify id was erased, drop their row: there is nothing left to write to.
#include "shopify_metafield_writer.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>

#include "adapters/shopify/admin_endpoint.hpp"
#include "adapters/shopify/metafield_requests.hpp"
#include "core/balance.hpp"
#include "core/customer_key.hpp"
#include "core/customer_walk.hpp"
#include "threads/stack_thread.hpp"
#include "store/shop_registry.hpp"
#include "store/shopify_customers.hpp"
#include "store/sqlite_store.hpp"
#include "store/wal_write_gathering.hpp"

namespace rewardd {

ShopifyMetafieldWriter::ShopifyMetafieldWriter(std::shared_ptr<SQLite::Database> db,
                                               std::shared_ptr<shopify::AdminApi> api, MetafieldWriterOptions options,
                                               MsClock clock)
    : m_db(std::move(db)), m_api(std::move(api)), m_options(options), m_clock(std::move(clock)) {}

ShopifyMetafieldWriter::~ShopifyMetafieldWriter() { stop(); }

void ShopifyMetafieldWriter::start() { m_thread = std::thread([this] { run(); }); }

void ShopifyMetafieldWriter::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

std::size_t ShopifyMetafieldWriter::write_due() {
    ShopifyMetafieldQueue queue(*m_db);
    auto due = queue.due(m_clock(), m_options.quiet_ms, m_options.max_delay_ms, 50);
    if (!due) {
        spdlog::warn("shopify: cannot read the metafield queue error={}", due.error().message);
        return 0;
    }
    if (due->empty()) return 0;
    // A round reads each marked customer's whole ledger, and the connection would keep those
    // pages cached for good, beside the blocks the round freed into this thread's cache: after a
    // burst of a thousand Shopify orders, over a megabyte resident in an idle daemon (bench/README,
    // session 26). Rounds come at most four times a second (the poll), each reading a customer
    // once, so a warm cache saves little and a thread per round costs little: each round runs on
    // a thread of its own and drops the pages it read at its end, and the buffer its commits
    // gathered WAL frames in (the writer's idle shed, which frees the others, may have run before
    // a retry round).
    std::size_t written = 0;
    run_on_own_thread_then_trim(
        [&] {
            for (const auto& mark : *due) {
                if (write_one(mark) == Step::written) ++written;
            }
            sqlite3_db_release_memory(m_db->getHandle());
            release_idle_wal_buffers();
        },
        "the Shopify metafield writes");
    return written;
}

ShopifyMetafieldWriter::Step ShopifyMetafieldWriter::write_one(const MetafieldMark& mark) {
    ShopifyMetafieldQueue queue(*m_db);
    const auto drop = [&](const char* why) {
        spdlog::debug("shopify: metafield write dropped shop={} reason={}", mark.shop_id, why);
        queue.written(mark);
        return Step::dropped;
    };
    auto shop = ShopRegistry(m_db).find(mark.shop_id);
    if (!shop) return Step::failed;
    if (!shop->has_value() || (*shop)->platform != "shopify") return drop("no such Shopify shop");
    if (!shopify::setting(**shop, "uninstalled_at").empty()) return drop("app uninstalled");
    auto shopify_id = ShopifyCustomers(*m_db).find(mark.shop_id, mark.customer);
    if (!shopify_id) return Step::failed;
    if (shopify_id->empty()) return drop("no Shopify customer id");
    auto entries = SqliteStore(m_db).customer_entries(mark.customer);
    if (!entries) return Step::failed;
    const Balance balance = sum_entries(*entries);
    const auto document = shopify::customer_metafields_set(
        *shopify_id, {balance.available, balance.pending, recorded_tier(*entries)});
    nlohmann::json data;
    auto call = m_api->graphql.call(**shop, document.query, document.variables, data, 10);
    if (call.ok()) {
        if (const auto error = shopify::read_metafields_set(data); !error.empty()) {
            call = shopify::CallOutcome::failed("shopify_user_error: " + error);
        }
    }
    if (call.ok()) {
        queue.written(mark);
        spdlog::debug("shopify: metafields written shop={} customer={} available={} pending={}", mark.shop_id,
                      mask_email(mark.customer), balance.available, balance.pending);
        return Step::written;
    }
    // Transient trouble backs off exponentially; a refusal waits the longest (an operator fixes it,
    // e.g. the write_customers scope, and the next change or the next round picks it up).
    const int shift = std::min(mark.attempts, 20);
    std::int64_t wait = call.status == shopify::CallStatus::retry
                            ? std::min(m_options.retry_base_ms << shift, m_options.retry_max_ms)
                            : m_options.retry_max_ms;
    if (call.retry_after_ms) wait = std::max(wait, *call.retry_after_ms);
    queue.failed(mark, m_clock() + wait, call.detail);
    spdlog::warn("shopify: metafield write failed shop={} customer={} attempt={} retry_in_ms={} reason={}",
                 mark.shop_id, mask_email(mark.customer), mark.attempts + 1, wait, call.detail);
    return Step::failed;
}

void ShopifyMetafieldWriter::run() {
    for (;;) {
        write_due();
        std::unique_lock lock(m_mutex);
        if (m_cv.wait_for(lock, std::chrono::milliseconds(m_options.poll_ms), [this] { return m_stopping; })) return;
    }
}

}  // namespace rewardd
