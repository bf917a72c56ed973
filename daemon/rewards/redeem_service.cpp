// Validation, then reserve entry + outbox grant in one IMMEDIATE transaction (the balance read
// and the write cannot interleave with the daemon's writer).
#include "redeem_service.hpp"

#include <spdlog/spdlog.h>

#include <cctype>

#include "core/balance.hpp"
#include "core/customer_key.hpp"
#include "core/money.hpp"
#include "outbox/outbox_store.hpp"
#include "rewards/grant_code.hpp"
#include "rewards/shopify_grants.hpp"
#include "store/shopify_metafield_queue.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd {
namespace {

bool valid_redemption_id(const std::string& id) {
    if (id.empty() || id.size() > 100) return false;
    for (const unsigned char c : id) {
        if (!std::isalnum(c) && c != '_' && c != '-' && c != '.' && c != ':') return false;
    }
    return true;
}

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
    e.available_delta = -r.points;
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
    g.description = "rewardd: " + std::to_string(r.points) + " points redeemed (" + r.redemption_id + ")";
    return g;
}

Result<RedeemOutcome> validate(const RedeemRequest& r, const Rules& rules, const Shop& shop,
                               const std::vector<LedgerEntry>& entries) {
    RedeemOutcome o{r.redemption_id, r.shop_id + ":redeem:" + r.redemption_id,
                    grant_coupon_code("RWD", r.shop_id + ":" + r.redemption_id), r.points};
    o.currency = r.currency.empty() ? currency_for(shop, entries) : r.currency;
    const auto exponent = currency_exponent(o.currency);
    if (!exponent) {
        return make_error(ErrorCode::unknown_currency,
                          "no currency for shop " + shop.id + ": set it with --currency", "currency");
    }
    const Balance balance = sum_entries(entries);
    if (r.points < rules.redeem_minimum_points) {
        return make_error(ErrorCode::invalid_field,
                          "at least " + std::to_string(rules.redeem_minimum_points) + " points must be redeemed", "points");
    }
    if (r.points > balance.available) {
        return make_error(ErrorCode::invalid_field,
                          "insufficient points: " + std::to_string(balance.available) + " available", "points");
    }
    o.amount_minor = scale_rounded(r.points, pow10(*exponent), rules.redeem_points_per_unit, Rounding::floor);
    if (o.amount_minor <= 0) return make_error(ErrorCode::invalid_field, "too few points for any discount", "points");
    o.available_after = balance.available - r.points;
    return o;
}

}  // namespace

Result<RedeemOutcome> redeem(std::shared_ptr<SQLite::Database> db, const RuleBook& rules, RedeemRequest r,
                             Timestamp now) {
    r.customer_email = normalise_email(r.customer_email);
    if (r.customer_email.find('@') == std::string::npos) {
        return make_error(ErrorCode::invalid_field, "a customer e-mail is required", "customer");
    }
    if (r.points <= 0) return make_error(ErrorCode::invalid_field, "points must be positive", "points");
    if (!valid_redemption_id(r.redemption_id)) {
        return make_error(ErrorCode::invalid_field, "redemption id must be 1-100 of [A-Za-z0-9_.:-]", "redemption_id");
    }
    auto shop = ShopRegistry(db).find(r.shop_id);
    if (!shop) return shop.error();
    if (!shop->has_value()) return make_error(ErrorCode::unknown_shop, "no shop " + r.shop_id, "shop");

    SqliteStore store(db);
    std::optional<Result<RedeemOutcome>> outcome;
    auto done = store.write_transaction([&]() -> Result<bool> {
        auto entries = store.customer_entries(r.customer_email);
        if (!entries) return entries.error();
        const std::string key = r.shop_id + ":redeem:" + r.redemption_id;
        for (const auto& e : *entries) {
            if (e.key != key) continue;  // a repeat: the first outcome, nothing written
            RedeemOutcome o{r.redemption_id, key, grant_coupon_code("RWD", r.shop_id + ":" + r.redemption_id),
                            -e.available_delta, e.base_minor, e.currency, sum_entries(*entries).available, true};
            outcome = o;
            return true;
        }
        const Rules& in_force = rules.at(now);
        auto o = validate(r, in_force, **shop, *entries);
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
        if (auto w = store.append_entry(reserve_entry(r, *o, in_force, now), now); !w) return w.error();
        if (auto q = OutboxStore(db).enqueue(grant, now); !q) return q.error();
        outcome = *o;
        return true;
    });
    if (!done) return done.error();
    if (outcome->ok() && !(*outcome)->existed) {
        spdlog::debug("rewards: redeemed shop={} customer={} points={} grant={}", r.shop_id,
                     mask_email(r.customer_email), r.points, (*outcome)->entry_key);
    }
    return *outcome;
}

}  // namespace rewardd
