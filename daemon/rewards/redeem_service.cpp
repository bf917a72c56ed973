// Validation, then reserve entry + outbox grant in one IMMEDIATE transaction (the balance read
// and the write cannot interleave with the daemon's writer).
#include "redeem_service.hpp"

#include <spdlog/spdlog.h>

#include "core/balance.hpp"
#include "core/customer_key.hpp"
#include "core/money.hpp"
#include "core/customer_walk.hpp"
#include "core/redemption.hpp"
#include "outbox/outbox_store.hpp"
#include "ingest/ledger_applier.hpp"
#include "rewards/grant_code.hpp"
#include "rewards/redemption_codes.hpp"
#include "rewards/shopify_grants.hpp"
#include "store/shopify_metafield_queue.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd {
namespace {

// The shop's configured currency, else the currency of the customer's latest entry in that shop.
std::string currency_for(const Shop& shop, const std::vector<LedgerEntry>& entries) {
    if (const auto it = shop.settings.find("currency"); it != shop.settings.end() && !it->second.empty()) {
        return it->second;
    }
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (it->shop_id == shop.id && !it->currency.empty()) return it->currency;
    }
    return "";
}

LedgerEntry reserve_entry(const RedeemRequest& r, const RedeemOutcome& o, const Rules& rules, Timestamp now) {
    LedgerEntry e;
    e.key = o.entry_key;
    e.customer = r.customer_email;
    e.shop_id = r.shop_id;
    e.kind = EntryKind::reserve;
    e.available_delta = -o.points;
    e.rule_version = rules.version;
    e.base_minor = o.amount_minor;
    e.currency = o.currency;
    e.rate = std::to_string(rules.redeem_points_per_unit) + " points per 1 " + o.currency;
    e.rounding = Rounding::floor;
    e.event_id = r.redemption_id;
    e.effective_at = now;
    e.reason = "redeemed for coupon " + o.code;
    return e;
}

RewardGrant coupon_grant(const RedeemRequest& r, const RedeemOutcome& o) {
    RewardGrant g;
    g.grant_id = o.entry_key;
    g.shop_id = r.shop_id;
    g.kind = RewardKind::coupon;
    g.code = o.code;
    g.amount_minor = o.amount_minor;
    g.currency = o.currency;
    g.customer_email = r.customer_email;
    g.expires_at = r.expires_at;
    g.minimum_subtotal_minor = o.minimum_subtotal_minor;
    g.description = "rewardd: " + std::to_string(o.points) + " points redeemed (" + r.redemption_id + ")";
    return g;
}

// The customer's available points at `now`: the written entries and what the customer's walk
// owes by then but the writer has not written yet (an expiry due since its last check, or while
// the daemon was down), so points that have expired are never redeemed.
std::int64_t available_at(const RuleBook& book, const std::string& customer, const std::vector<LedgerEntry>& entries,
                          Timestamp now) {
    std::int64_t available = sum_entries(entries).available;
    for (const auto& e : walk_customer(book, customer, entries, now).new_entries) {
        if (e.effective_at <= now) available += e.available_delta;
    }
    return available;
}

// The customer's expiry outlook with the reservation in their ledger, kept as the writer's walks
// keep it (store/customer_outlook), so explain need not walk the ledger until their next order.
// Only when the walk owes nothing more: it would write those entries, this does not.
Result<bool> keep_outlook_after(SqliteStore& store, const RuleBook& book, const std::string& customer,
                                std::vector<LedgerEntry> entries, const LedgerEntry& reserve, Timestamp now) {
    if (!book.expiry_on()) return true;
    entries.push_back(reserve);
    const auto walked = walk_customer(book, customer, entries, now);
    if (!walked.new_entries.empty()) return true;
    return store.keep_outlook(customer, {walked.expiring, now, book.latest().version});
}

Result<RedeemOutcome> validate(const RedeemRequest& r, const RuleBook& book, const Shop& shop,
                               const std::vector<LedgerEntry>& entries, Timestamp now) {
    const Rules& rules = book.at(now);
    RedeemOutcome o{r.redemption_id, reservation_key(r.shop_id, r.redemption_id),
                    grant_coupon_code(k_redemption_code_prefix, r.shop_id + ":" + r.redemption_id), r.points};
    o.currency = r.currency.empty() ? currency_for(shop, entries) : r.currency;
    // A shop with a configured currency makes its coupons in it: a request in another would be
    // priced and recorded in a currency the coupon is not.
    if (const auto it = shop.settings.find("currency");
        it != shop.settings.end() && !it->second.empty() && o.currency != it->second) {
        return make_error(ErrorCode::invalid_field,
                          "currency " + o.currency + " is not shop " + shop.id + "'s currency " + it->second, "currency");
    }
    if (!currency_exponent(o.currency)) {
        return make_error(ErrorCode::unknown_currency,
                          "no currency for shop " + shop.id + ": set it with --currency", "currency");
    }
    const std::int64_t available = available_at(book, r.customer_email, entries, now);
    // The engine prices it and applies the rules: minimum after flooring, balance, cart share.
    const RedemptionRequest asked{r.shop_id, r.redemption_id, r.customer_email, r.points, o.currency,
                                  r.cart_total_minor, now, r.redemption_id};
    auto plan = plan_redemption(rules, asked, available);
    if (!plan) return plan.error();
    o.points = plan->points;
    o.amount_minor = plan->discount.minor;
    o.minimum_subtotal_minor = plan->minimum_subtotal_minor;
    o.available_after = available - plan->points;
    return o;
}

// The first outcome of a repeated redemption id (its minimum order as its grant was queued), or
// exists_with_different_content when the repeat asks for other points than the first time (after
// the same flooring).
Result<RedeemOutcome> repeated(const RedeemRequest& r, const Rules& rules, const LedgerEntry& first,
                               const std::vector<LedgerEntry>& entries, const std::optional<OutboxItem>& queued) {
    const std::int64_t points = -first.available_delta;
    const int exponent = currency_exponent(first.currency).value_or(2);
    if (floor_to_whole_minor(rules, r.points, exponent) != points) {
        return make_error(ErrorCode::exists_with_different_content,
                          "redemption " + r.redemption_id + " was already made for " + std::to_string(points) +
                              " points",
                          "redemption_id");
    }
    return RedeemOutcome{r.redemption_id, first.key,
                         grant_coupon_code(k_redemption_code_prefix, r.shop_id + ":" + r.redemption_id),
                         points, first.base_minor, first.currency, sum_entries(entries).available, true,
                         queued ? queued->grant.minimum_subtotal_minor : 0};
}

}  // namespace

Result<RedeemOutcome> redeem(std::shared_ptr<SQLite::Database> db, const RuleBook& rules, RedeemRequest r,
                             Timestamp now) {
    r.customer_email = normalise_email(r.customer_email);
    if (r.customer_email.find('@') == std::string::npos) {
        return make_error(ErrorCode::invalid_field, "a customer e-mail is required", "customer");
    }
    if (r.points <= 0) return make_error(ErrorCode::invalid_field, "points must be positive", "points");
    if (!is_caller_id(r.redemption_id)) {
        return make_error(ErrorCode::invalid_field, "redemption id must be 1-100 of [A-Za-z0-9_.-]", "redemption_id");
    }
    auto shop = ShopRegistry(db).find(r.shop_id);
    if (!shop) return shop.error();
    if (!shop->has_value()) return make_error(ErrorCode::unknown_shop, "no shop " + r.shop_id, "shop");
    // Checked here, for the API and the CLI alike: points reserved for a coupon no deliverer can
    // make would stay reserved for ever.
    if ((*shop)->platform == "custom") {
        return make_error(ErrorCode::invalid_field, "shop: a custom shop has no coupons rewardd can create", "shop");
    }

    SqliteStore store(db);
    OutboxStore outbox(db);
    std::optional<Result<RedeemOutcome>> outcome;
    auto done = store.write_transaction([&]() -> Result<bool> {
        const std::string key = reservation_key(r.shop_id, r.redemption_id);
        auto queued = outbox.find_by_grant(key);
        if (!queued) return queued.error();
        if (queued->has_value() && (*queued)->grant.customer_email != r.customer_email) {
            outcome = make_error(ErrorCode::exists_with_different_content,
                                 "redemption " + r.redemption_id + " belongs to another customer", "redemption_id");
            return true;
        }
        auto entries = store.customer_entries(r.customer_email);
        if (!entries) return entries.error();
        const Rules& in_force = rules.at(now);
        for (const auto& e : *entries) {
            if (e.key != key) continue;
            outcome = repeated(r, in_force, e, *entries, *queued);  // nothing written
            return true;
        }
        auto o = validate(r, rules, **shop, *entries, now);
        if (!o) {
            outcome = o.error();
            return true;
        }
        RewardGrant grant = coupon_grant(r, *o);
        if ((*shop)->platform == "shopify") {
            auto addressed = address_shopify_grant(*db, r.customer_email, grant);
            if (!addressed) return addressed.error();
            if (!*addressed) {
                outcome = make_error(ErrorCode::not_found,
                                     "no Shopify customer id known for this customer in shop " + r.shop_id +
                                         " (it comes with their orders)", "customer");
                return true;
            }
            if (auto m = ShopifyMetafieldQueue(*db).mark(r.customer_email, now * 1000); !m) return m.error();
        }
        const LedgerEntry reserve = reserve_entry(r, *o, in_force, now);
        if (auto w = store.append_entry(reserve, now); !w) return w.error();
        if (auto kept = keep_outlook_after(store, rules, r.customer_email, std::move(*entries), reserve, now); !kept) {
            return kept.error();
        }
        if (auto q = outbox.enqueue(grant, now); !q) return q.error();
        if (r.expires_at) {  // the daemon's writer releases the points if no order used the code by then
            if (auto w = store.set_wakeup(code_expiry_wakeup(r.shop_id, o->code, *r.expires_at)); !w) return w.error();
        }
        outcome = *o;
        return true;
    });
    if (!done) return done.error();
    if (outcome->ok() && !(*outcome)->existed) {
        spdlog::debug("rewards: redeemed shop={} customer={} points={} grant={}", r.shop_id,
                     mask_email(r.customer_email), (*outcome)->points, (*outcome)->entry_key);
    }
    return *outcome;
}

}  // namespace rewardd
