// Each migration runs in its own transaction together with the user_version bump.
#include "migrations.hpp"

#include <SQLiteCpp/Transaction.h>

#include <array>
#include <string>

namespace rewardd {
namespace {

constexpr const char* k_v1 = R"SQL(
CREATE TABLE shops (
  id TEXT PRIMARY KEY, platform TEXT NOT NULL, secret TEXT NOT NULL,
  settings TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, shop_id TEXT NOT NULL, event_id TEXT NOT NULL,
  type TEXT NOT NULL, order_id TEXT NOT NULL DEFAULT '', occurred_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL, body TEXT NOT NULL, UNIQUE (shop_id, event_id));
CREATE INDEX events_order ON events (shop_id, order_id);
CREATE TABLE ledger (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, customer TEXT NOT NULL,
  shop_id TEXT NOT NULL, order_id TEXT NOT NULL, kind TEXT NOT NULL,
  pending_delta INTEGER NOT NULL, available_delta INTEGER NOT NULL, rule_version INTEGER NOT NULL,
  line_id TEXT NOT NULL, base_minor INTEGER NOT NULL, currency TEXT NOT NULL, rate TEXT NOT NULL,
  rounding TEXT NOT NULL, event_id TEXT NOT NULL, effective_at INTEGER NOT NULL,
  refers_to TEXT NOT NULL, reason TEXT NOT NULL, content_hash TEXT NOT NULL,
  recorded_at INTEGER NOT NULL);
CREATE INDEX ledger_customer ON ledger (customer, seq);
CREATE INDEX ledger_order ON ledger (shop_id, order_id);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
  BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
  BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;
CREATE TABLE apply_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
INSERT INTO apply_cursor VALUES (1, 0);
CREATE TABLE wakeups (
  shop_id TEXT NOT NULL, order_id TEXT NOT NULL, due_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, order_id));
CREATE INDEX wakeups_due ON wakeups (due_at);
CREATE TABLE customers (
  id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, email TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL);
CREATE TABLE rule_versions (
  version INTEGER PRIMARY KEY, effective_from INTEGER NOT NULL, body TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE conflicts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, detail TEXT NOT NULL,
  recorded_at INTEGER NOT NULL);
)SQL";

// v2: the durable outbox of rewards to deliver to platforms (daemon/outbox). A reward row is
// written in the same transaction as its ledger entry; `grant_id` makes a repeat a no-op.
constexpr const char* k_v2 = R"SQL(
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT, grant_id TEXT NOT NULL UNIQUE, shop_id TEXT NOT NULL,
  kind TEXT NOT NULL, grant_body TEXT NOT NULL, status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at_ms INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '', platform_ref TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at_ms);
)SQL";

// v3: Shopify deliveries seen (dedupe by webhook id and event id, last delivery per shop), the
// queue of privacy requests (answered at once, carried out after the response), and erased
// customers: the append-only ledger keeps its customer keys, views read it through
// `ledger_pseudonymous`, which shows an erased customer's pseudonym instead (docs/shopify.md).
constexpr const char* k_v3 = R"SQL(
CREATE TABLE shopify_deliveries (
  shop_id TEXT NOT NULL, webhook_id TEXT NOT NULL, event_id TEXT NOT NULL DEFAULT '',
  topic TEXT NOT NULL, received_at INTEGER NOT NULL, PRIMARY KEY (shop_id, webhook_id));
CREATE INDEX shopify_deliveries_event ON shopify_deliveries (shop_id, event_id);
CREATE INDEX shopify_deliveries_time ON shopify_deliveries (shop_id, received_at);
CREATE TABLE privacy_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT, shop_id TEXT NOT NULL, topic TEXT NOT NULL,
  webhook_id TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL, done_at INTEGER NOT NULL DEFAULT 0);
CREATE INDEX privacy_requests_status ON privacy_requests (status, id);
CREATE TABLE erased_customers (
  customer TEXT PRIMARY KEY, pseudonym TEXT NOT NULL UNIQUE, shop_id TEXT NOT NULL,
  reason TEXT NOT NULL, erased_at INTEGER NOT NULL);
CREATE VIEW ledger_pseudonymous AS
  SELECT l.seq, l.key, COALESCE(e.pseudonym, l.customer) AS customer, l.shop_id, l.order_id, l.kind,
         l.pending_delta, l.available_delta, l.rule_version, l.line_id, l.base_minor, l.currency,
         l.rate, l.rounding, l.event_id, l.effective_at, l.refers_to, l.reason, l.recorded_at
  FROM ledger l LEFT JOIN erased_customers e ON e.customer = l.customer;
)SQL";

// v4: bearer tokens for /api/v1 (only their SHA-256 is kept; daemon/store/token_store.*), and an
// index so "when did this shop last send an event?" (GET /api/v1/status) is one index lookup.
constexpr const char* k_v4 = R"SQL(
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, scope TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, revoked_at INTEGER NOT NULL DEFAULT 0);
CREATE INDEX events_shop_received ON events (shop_id, received_at);
)SQL";

// v5: each Shopify customer's id per shop (from orders and customers webhooks; grants and metafields
// need it), and the durable queue of customers whose Shopify metafields are stale: one row per
// (shop, customer), re-marked by every change, written once it has been quiet (docs/shopify.md).
constexpr const char* k_v5 = R"SQL(
CREATE TABLE shopify_customers (
  shop_id TEXT NOT NULL, customer TEXT NOT NULL, shopify_id TEXT NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, customer));
CREATE INDEX shopify_customers_customer ON shopify_customers (customer);
CREATE TABLE shopify_metafield_queue (
  shop_id TEXT NOT NULL, customer TEXT NOT NULL, first_marked_ms INTEGER NOT NULL,
  last_marked_ms INTEGER NOT NULL, generation INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (shop_id, customer));
)SQL";

// v6: product categories fetched from a platform's catalogue (WooCommerce order JSON carries none),
// kept once fetched so an order replays with the categories it was first applied with
// (daemon/store/product_catalog.*). `state`: wanted (to fetch), known, missing (404), unavailable.
constexpr const char* k_v6 = R"SQL(
CREATE TABLE product_categories (
  shop_id TEXT NOT NULL, product_id TEXT NOT NULL, state TEXT NOT NULL, categories TEXT NOT NULL DEFAULT '[]',
  attempts INTEGER NOT NULL DEFAULT 0, next_try_at INTEGER NOT NULL, last_error TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL, PRIMARY KEY (shop_id, product_id));
CREATE INDEX product_categories_wanted ON product_categories (state, next_try_at);
)SQL";

// v7: when each batch of events was applied (the cursor's moves), so reconcile replays the same
// batches at the same times: under tiers the order in which orders meet the ledger matters
// (daemon/books/ledger_replay.cpp). Databases from before v7 replay their older events at once.
constexpr const char* k_v7 = R"SQL(
CREATE TABLE apply_log (seq_to INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
)SQL";

// v8: each customer's expiry outlook ("N points expire on D") as their last walk left it, so
// explain tells it without walking a long ledger again (store/customer_outlook.*). It holds for the
// ledger up to `last_entry_seq` under rules up to `rules_version`; any later entry or version
// makes readers walk the ledger themselves.
constexpr const char* k_v8 = R"SQL(
CREATE TABLE customer_outlooks (
  customer TEXT PRIMARY KEY, last_entry_seq INTEGER NOT NULL, rules_version INTEGER NOT NULL,
  walked_at INTEGER NOT NULL, expiring TEXT NOT NULL) WITHOUT ROWID;
)SQL";

// v9: the applier takes a batch's events in the order they arrived. Before, it took the order-less
// ones first and then the orders by order id as text, so a customer's order "1000" met the ledger
// before their order "999" of the same batch and earned at the tier before it. The batches applied
// so far (up to the cursor when this ran) stay replayed the old way (ingest/ledger_applier.hpp,
// BatchOrder).
constexpr const char* k_v9 = R"SQL(
CREATE TABLE apply_order_change (id INTEGER PRIMARY KEY CHECK (id = 1), by_order_id_through INTEGER NOT NULL);
INSERT INTO apply_order_change (id, by_order_id_through) SELECT 1, seq FROM apply_cursor WHERE id = 1;
)SQL";

// v10: WooCommerce refunds as the shop's REST API tells them (GET orders/<id>/refunds/<id>): which
// products and how much shipping each gave back, which the order webhook does not say. A refund
// waits for its document before it is weighed; once fetched it is kept as it was, so a replay
// weighs it the same (store/woocommerce_refunds.*).
constexpr const char* k_v10 = R"SQL(
CREATE TABLE woocommerce_refunds (
  shop_id TEXT NOT NULL, order_id TEXT NOT NULL, refund_id TEXT NOT NULL, currency TEXT NOT NULL,
  state TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0,
  next_try_at INTEGER NOT NULL, last_error TEXT NOT NULL DEFAULT '', updated_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, order_id, refund_id));
CREATE INDEX woocommerce_refunds_wanted ON woocommerce_refunds (state, next_try_at);
)SQL";

// v11: how far each Shopify shop's orders have been swept, so orders whose webhooks Shopify gave up
// on (8 tries in 4 hours) or never sent (a deleted subscription) are still found
// (http/shopify_order_sweeper.*).
constexpr const char* k_v11 = R"SQL(
CREATE TABLE shopify_order_sweeps (shop_id TEXT PRIMARY KEY, swept_until INTEGER NOT NULL);
)SQL";

// v12: the metafield writer's poll (every 250 ms) reads only the rows whose next attempt is due,
// not the whole queue: while Shopify refuses or is down, every customer changed since waits there,
// and a scan of them all four times a second kept their pages in the connection's cache.
constexpr const char* k_v12 = R"SQL(
CREATE INDEX shopify_metafield_queue_next ON shopify_metafield_queue (next_attempt_ms);
)SQL";

// v13: WooCommerce shops' orders are swept too (http/woocommerce_order_sweeper.*): the marks of
// both platforms' sweeps share one table, keyed by shop id as before. Shopify marks are kept.
constexpr const char* k_v13 = R"SQL(
ALTER TABLE shopify_order_sweeps RENAME TO order_sweeps;
)SQL";

constexpr std::array<const char*, 13> k_migrations{k_v1, k_v2, k_v3, k_v4, k_v5, k_v6, k_v7, k_v8, k_v9, k_v10,
                                                   k_v11, k_v12, k_v13};

}  // namespace

int latest_schema_version() { return static_cast<int>(k_migrations.size()); }

Result<int> migrate(SQLite::Database& db) {
    try {
        int version = db.execAndGet("PRAGMA user_version").getInt();
        if (version > latest_schema_version()) {
            return make_error(ErrorCode::schema_too_new,
                              "database schema version " + std::to_string(version) +
                                  " is newer than this rewardd understands (" +
                                  std::to_string(latest_schema_version()) + "); upgrade rewardd");
        }
        for (; version < latest_schema_version(); ++version) {
            SQLite::Transaction tx(db);
            db.exec(k_migrations[static_cast<std::size_t>(version)]);
            db.exec("PRAGMA user_version = " + std::to_string(version + 1));
            tx.commit();
        }
        return version;
    } catch (const SQLite::Exception& e) {
        return make_error(ErrorCode::storage_unavailable, std::string("migration failed: ") + e.what());
    }
}

}  // namespace rewardd
