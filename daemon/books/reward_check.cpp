// One pass per shop: ledger -> outbox, outbox -> platform, platform -> outbox.
#include "books/reward_check.hpp"

#include <algorithm>
#include <cctype>

#include "adapters/shopify/reward_requests.hpp"
#include "core/money.hpp"
#include "core/redemption.hpp"
#include "rewards/cashback_grants.hpp"
#include "rewards/grant_code.hpp"
#include "rewards/shopify_grants.hpp"

namespace rewardd::books {
namespace {

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

bool is_redemption(const LedgerEntry& e) {
    return e.kind == EntryKind::reserve && e.key.find(":redeem:") != std::string::npos;
}

nlohmann::json grant_summary(const OutboxItem& item) {
    const auto& g = item.grant;
    return {{"grant", g.grant_id}, {"outbox_id", item.id}, {"status", outbox_status_id(item.status)},
            {"code", g.code}, {"amount_minor", g.amount_minor}, {"currency", g.currency},
            {"minimum_subtotal_minor", g.minimum_subtotal_minor}, {"customer", g.customer_email},
            {"platform_ref", item.platform_ref}};
}

nlohmann::json reward_summary(const PlatformReward& r) {
    return {{"code", r.code},         {"id", r.platform_id},          {"amount", r.amount},
            {"customers", r.customers}, {"minimum", r.minimum},       {"usage_limit", r.usage_limit},
            {"usage_count", r.usage_count}, {"grant_ref", r.grant_ref}, {"trashed", r.trashed}};
}

Finding make(FindingKind kind, const std::string& shop, const std::string& subject, std::string detail) {
    Finding f;
    f.kind = kind;
    f.shop_id = shop;
    f.subject = subject;
    f.detail = std::move(detail);
    return f;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// The one customer a reward must be restricted to: the grant's e-mail (WooCommerce) or its
// customer's Shopify id, bare or as a gid. Exact: customer 700 is not customer 7000.
bool restricted_to_grant_customer(const RewardGrant& g, const std::vector<std::string>& customers) {
    if (customers.size() != 1) return false;
    const std::string& c = customers.front();
    if (!g.customer_platform_id.empty()) {
        return c == g.customer_platform_id || c == shopify::customer_gid(g.customer_platform_id);
    }
    return lower(c) == lower(g.customer_email);
}

std::string expected_amount(const RewardGrant& g) {
    const auto exponent = currency_exponent(g.currency);
    return exponent ? format_minor(g.amount_minor, *exponent) : "?";
}

bool same_amount(const RewardGrant& g, const std::string& amount) {
    const auto exponent = currency_exponent(g.currency);
    const auto minor = exponent ? parse_decimal_minor(amount, *exponent) : Result<std::int64_t>(0);
    return exponent && minor && *minor == g.amount_minor;
}

// A code's minimum order subtotal as the grant asks for it: none on both sides (a platform writes
// none as nothing or as zero), or the same amount.
bool same_minimum(const RewardGrant& g, const std::string& minimum) {
    const auto exponent = currency_exponent(g.currency);
    const auto minor = minimum.empty() || !exponent ? Result<std::int64_t>(0) : parse_decimal_minor(minimum, *exponent);
    return minor && *minor == g.minimum_subtotal_minor;
}

std::string expected_minimum(const RewardGrant& g) {
    const auto exponent = currency_exponent(g.currency);
    if (g.minimum_subtotal_minor == 0) return "none";
    return exponent ? format_minor(g.minimum_subtotal_minor, *exponent) : "?";
}

// What differs between a delivered grant and the platform's reward; empty when nothing does.
std::string differences(const RewardGrant& g, const PlatformReward& r) {
    std::string out;
    const auto add = [&](const std::string& what) { out += (out.empty() ? "" : "; ") + what; };
    if (!same_amount(g, r.amount)) add("amount " + r.amount + " instead of " + expected_amount(g));
    const std::string expected_customer = g.customer_platform_id.empty() ? g.customer_email : g.customer_platform_id;
    if (!expected_customer.empty() && !restricted_to_grant_customer(g, r.customers)) {
        add("restricted to [" + std::string(r.customers.empty() ? "anyone" : r.customers.front()) + "] instead of " +
            expected_customer);
    }
    if (!same_minimum(g, r.minimum)) {
        add("minimum order " + (r.minimum.empty() ? std::string("none") : r.minimum) + " instead of " + expected_minimum(g));
    }
    if (r.usage_limit != 1) add("usage limit " + std::to_string(r.usage_limit) + " instead of 1");
    return out;
}

bool committed(const std::map<std::string, LedgerEntry>& ledger, const std::string& reserve_key) {
    return ledger.count(reserve_key + ":commit") > 0;
}

// A redemption whose code an order used, or whose points came back (expired or withdrawn unused):
// the code has done its work, and making it again would give the discount a second time.
std::optional<std::string> redemption_settled(const std::map<std::string, LedgerEntry>& ledger,
                                              const std::string& reserve_key) {
    if (committed(ledger, reserve_key)) return "an order used it";
    if (ledger.count(reserve_key + ":release") > 0) return "its points were given back";
    return std::nullopt;
}

std::string platform_customer(const RewardFacts& facts, const Shop& shop, const std::string& customer) {
    const auto it = facts.platform_customers.find({shop.id, customer});
    return it == facts.platform_customers.end() ? "" : it->second;
}

std::optional<RewardGrant> expected_for(const RewardFacts& facts, const Shop& shop, const LedgerEntry& entry) {
    return expected_grant(entry, shop, facts.cashback_platforms, platform_customer(facts, shop, entry.customer),
                          facts.rules);
}

void check_ledger_to_outbox(const RewardFacts& facts, const Shop& shop, const CheckScope& scope,
                            const std::map<std::string, const OutboxItem*>& by_grant, std::vector<Finding>& out) {
    for (const auto& [key, entry] : *facts.ledger) {
        if (entry.shop_id != shop.id || entry.effective_at < scope.since || by_grant.count(key)) continue;
        const auto grant = expected_for(facts, shop, entry);
        if (!grant) continue;
        out.push_back(make(FindingKind::reward_not_queued, shop.id, key,
                           "the ledger issued this reward but the outbox has no delivery for it"));
        out.back().items.push_back({{"entry", entry_summary(entry)}, {"code", grant->code},
                                    {"kind", reward_kind_id(grant->kind)}});
        out.back().repair = Repair{Repair::Action::enqueue_grant, *grant, 0, ""};
    }
}

void check_delivered(const RewardFacts& facts, const Shop& shop, const OutboxItem& item,
                     const std::map<std::string, const PlatformReward*>& by_code, std::vector<Finding>& out) {
    const auto& g = item.grant;
    const auto it = by_code.find(upper(g.code));
    if (it == by_code.end()) {
        if (const auto settled = redemption_settled(*facts.ledger, g.grant_id)) {
            // Not re-created by --fix: that would hand the discount out a second time.
            out.push_back(make(FindingKind::reward_missing, shop.id, g.grant_id,
                               "delivered as " + g.code + " but the shop no longer has that code; " + *settled +
                                   ", so it is not made again"));
            out.back().items.push_back({{"outbox", grant_summary(item)}});
            return;
        }
        out.push_back(make(FindingKind::reward_missing, shop.id, g.grant_id,
                           "delivered as " + g.code + " but the shop no longer has that code"));
        out.back().items.push_back({{"outbox", grant_summary(item)}});
        out.back().repair = Repair{Repair::Action::requeue_delivery, g, item.id, ""};
        return;
    }
    const PlatformReward& r = *it->second;
    if (r.trashed && r.usage_count == 0) {
        // Not re-created by --fix: the owner chose to withdraw it, and WooCommerce would accept
        // the same code again beside the trashed one. A used coupon in the trash did its job.
        out.push_back(make(FindingKind::reward_trashed, shop.id, g.grant_id,
                           g.code + " is in the shop's trash, unused: the customer cannot use it (restore it "
                                    "from the trash in WooCommerce, or give the points back with `rewardd adjust`)"));
        out.back().items.push_back({{"outbox", grant_summary(item)}, {"platform", reward_summary(r)}});
        return;
    }
    if (const auto diff = differences(g, r); !r.trashed && !diff.empty()) {
        out.push_back(make(FindingKind::reward_differs, shop.id, g.grant_id, g.code + " on the shop: " + diff));
        out.back().items.push_back({{"outbox", grant_summary(item)}, {"platform", reward_summary(r)}});
    }
    const auto entry = facts.ledger->find(g.grant_id);
    if (r.usage_count > 0 && entry != facts.ledger->end() && is_redemption(entry->second) &&
        !committed(*facts.ledger, g.grant_id)) {
        out.push_back(make(FindingKind::reward_used_not_redeemed, shop.id, g.grant_id,
                           g.code + " was used on the shop but the ledger does not mark it redeemed"));
        out.back().items.push_back({{"outbox", grant_summary(item)}, {"platform", reward_summary(r)}});
        out.back().repair = Repair{Repair::Action::commit_redemption, g, item.id, g.grant_id};
    }
}

nlohmann::json credit_summary(const PlatformCredit& c) {
    return {{"id", c.id}, {"amount", c.amount}, {"currency", c.currency}, {"expires_at", c.expires_at}};
}

// The credit a delivered grant made: the transaction the delivery recorded, else the one carrying
// the grant's fingerprint expiry (a delivery whose answer was lost).
const PlatformCredit* find_credit(const OutboxItem& item, const std::vector<PlatformCredit>& credits) {
    const auto fingerprint = shopify::store_credit_fingerprint_expiry(item.grant);
    for (const auto& c : credits) {
        if (!item.platform_ref.empty() && c.id == item.platform_ref) return &c;
    }
    for (const auto& c : credits) {
        if (const auto at = parse_timestamp(c.expires_at); at && *at == fingerprint) return &c;
    }
    return nullptr;
}

// A delivered store credit is on the grant's customer's account, with the grant's amount.
// `recorded`: the transaction ids the shop's deliveries recorded, which are no one's copies.
void check_credit(const RewardFacts& facts, const Shop& shop, const OutboxItem& item,
                  const std::set<std::string>& recorded, std::vector<Finding>& out) {
    const auto& g = item.grant;
    const auto listed_shop = facts.credits.find(shop.id);
    if (listed_shop == facts.credits.end()) return;
    const auto listed = listed_shop->second.find(g.customer_platform_id);
    if (listed == listed_shop->second.end() || !listed->second) return;  // unreachable: reported once per customer
    const PlatformCredit* credit = find_credit(item, *listed->second);
    if (!credit) {
        out.push_back(make(FindingKind::reward_missing, shop.id, g.grant_id,
                           "delivered as store credit " + (item.platform_ref.empty() ? std::string("?") : item.platform_ref) +
                               " but the customer's store credit account does not have it"));
        out.back().items.push_back({{"outbox", grant_summary(item)}});
        out.back().repair = Repair{Repair::Action::requeue_delivery, g, item.id, ""};
        return;
    }
    // Another transaction with this grant's amount and fingerprint that no delivery recorded: the
    // credit was paid twice. (Two grants' fingerprints can share a second, hence `recorded`; a
    // credit staff made by hand carries no fingerprint and cannot be told from the shop's own.)
    std::vector<const PlatformCredit*> copies;
    for (const auto& c : *listed->second) {
        const auto at = parse_timestamp(c.expires_at);
        if (&c == credit || recorded.count(c.id) || !at || *at != shopify::store_credit_fingerprint_expiry(g)) continue;
        if (same_amount(g, c.amount) && c.currency == g.currency) copies.push_back(&c);
    }
    if (!copies.empty()) {
        out.push_back(make(FindingKind::reward_duplicated, shop.id, g.grant_id,
                           "store credit paid " + std::to_string(copies.size() + 1) + " times: " + copies.front()->id +
                               " also carries this grant's fingerprint (take the extra back in the Shopify admin)"));
        out.back().items.push_back({{"outbox", grant_summary(item)}, {"platform", credit_summary(*credit)}});
        for (const auto* c : copies) out.back().items.push_back({{"platform", credit_summary(*c)}});
    }
    if (!same_amount(g, credit->amount) || credit->currency != g.currency) {
        out.push_back(make(FindingKind::reward_differs, shop.id, g.grant_id,
                           "store credit " + credit->id + " on the shop: amount " + credit->amount + " " +
                               credit->currency + " instead of " + expected_amount(g) + " " + g.currency));
        out.back().items.push_back({{"outbox", grant_summary(item)}, {"platform", credit_summary(*credit)}});
    }
}

void check_credits_reachable(const RewardFacts& facts, const Shop& shop, std::vector<Finding>& out) {
    const auto listed_shop = facts.credits.find(shop.id);
    if (listed_shop == facts.credits.end()) return;
    for (const auto& [customer, listed] : listed_shop->second) {
        if (listed) continue;
        out.push_back(make(FindingKind::platform_unreachable, shop.id, customer,
                           "could not list the customer's store credit: " + listed.error().message));
    }
}

void check_shop(const RewardFacts& facts, const Shop& shop, const CheckScope& scope, std::vector<Finding>& out) {
    std::map<std::string, const OutboxItem*> by_grant;
    std::set<std::string> our_codes;
    for (const auto& item : facts.outbox) {
        if (item.grant.shop_id != shop.id) continue;
        by_grant[item.grant.grant_id] = &item;
        our_codes.insert(upper(item.grant.code));
    }
    for (const auto& [key, entry] : *facts.ledger) {  // a lost delivery's code is still ours
        if (entry.shop_id != shop.id) continue;
        if (const auto grant = expected_for(facts, shop, entry)) our_codes.insert(upper(grant->code));
    }
    check_ledger_to_outbox(facts, shop, scope, by_grant, out);
    const auto listed = facts.platform.find(shop.id);
    for (const auto& [grant_id, item] : by_grant) {
        if (item->created_at < scope.since) continue;
        if (item->status == OutboxStatus::parked) {
            out.push_back(make(FindingKind::reward_parked, shop.id, grant_id,
                               "delivery given up: " + item->last_error + " (fix that, then `rewardd outbox retry " +
                                   std::to_string(item->id) + "`)"));
            out.back().items.push_back({{"outbox", grant_summary(*item)}});
        }
    }
    check_credits_reachable(facts, shop, out);
    std::set<std::string> recorded_credits;
    for (const auto& [grant_id, item] : by_grant) {
        if (item->grant.kind == RewardKind::store_credit) recorded_credits.insert(item->platform_ref);
    }
    for (const auto& [grant_id, item] : by_grant) {
        const bool credit = item->grant.kind == RewardKind::store_credit;
        if (credit && item->status == OutboxStatus::delivered && item->created_at >= scope.since) {
            check_credit(facts, shop, *item, recorded_credits, out);
        }
    }
    if (listed == facts.platform.end()) return;
    if (!listed->second) {
        out.push_back(make(FindingKind::platform_unreachable, shop.id, shop.platform,
                           "could not list the shop's rewards: " + listed->second.error().message));
        return;
    }
    std::map<std::string, const PlatformReward*> by_code;  // a live coupon before a trashed one
    for (const auto& r : *listed->second) {
        auto& slot = by_code[r.code];
        if (!slot || (slot->trashed && !r.trashed)) slot = &r;
    }
    for (const auto& [grant_id, item] : by_grant) {
        const bool coupon = item->grant.kind == RewardKind::coupon && !item->grant.code.empty();
        if (coupon && item->status == OutboxStatus::delivered && item->created_at >= scope.since) {
            check_delivered(facts, shop, *item, by_code, out);
        }
    }
    for (const auto& r : *listed->second) {
        if (r.trashed || !looks_like_rewardd_code(r.code) || our_codes.count(r.code)) continue;
        out.push_back(make(FindingKind::reward_unknown, shop.id, r.code,
                           "a code in rewardd's format that rewardd never issued (made by hand?)"));
        out.back().items.push_back({{"platform", reward_summary(r)}});
    }
}

}  // namespace

bool looks_like_rewardd_code(const std::string& code) {
    const std::string c = upper(code);
    for (const std::string prefix : {"RWD", "CB"}) {
        if (c.rfind(prefix + "-", 0) != 0 || c.size() != prefix.size() + 15) continue;
        bool shape = true;
        for (std::size_t i = prefix.size(); i < c.size(); ++i) {
            const bool dash = (i - prefix.size()) % 5 == 0;
            shape = shape && (dash ? c[i] == '-' : std::isxdigit(static_cast<unsigned char>(c[i])) != 0);
        }
        if (shape) return true;
    }
    return false;
}

std::optional<RewardGrant> expected_grant(const LedgerEntry& e, const Shop& shop,
                                          const std::set<std::string>& cashback_platforms,
                                          const std::string& platform_customer, const RuleBook* rules) {
    // Shopify addresses rewards to the customer's Shopify id, WooCommerce to their e-mail.
    const bool shopify = shop.platform == "shopify";
    if (shopify ? platform_customer.empty() : e.customer.find('@') == std::string::npos) return std::nullopt;
    if (e.kind == EntryKind::cashback_due && e.base_minor > 0 && cashback_platforms.count(shop.platform)) {
        RewardGrant g = cashback_grant(e);  // as rewards/cashback_grants.cpp's hook builds it
        if (shopify) {
            g.customer_platform_id = platform_customer;
            apply_cashback_choice(shop, g);
        }
        return g;
    }
    if (!is_redemption(e)) return std::nullopt;
    RewardGrant g;  // as rewards/redeem_service.cpp builds it; the event id is the redemption id
    g.grant_id = e.key;
    g.shop_id = e.shop_id;
    g.kind = RewardKind::coupon;
    g.code = grant_coupon_code("RWD", e.shop_id + ":" + e.event_id);
    g.amount_minor = e.base_minor;
    g.currency = e.currency;
    if (const Rules* version = rules ? rules->version(e.rule_version) : nullptr) {
        g.minimum_subtotal_minor = redemption_minimum_subtotal(*version, e.base_minor);
    }
    g.customer_email = e.customer;
    if (shopify) g.customer_platform_id = platform_customer;
    g.description = "rewardd: " + std::to_string(-e.available_delta) + " points redeemed (" + e.event_id + ")";
    return g;
}

bool checked_for_rewards(const LedgerEntry& e) {
    return e.kind == EntryKind::cashback_due || e.kind == EntryKind::reserve || e.kind == EntryKind::redeem_commit;
}

std::vector<Finding> check_rewards(const RewardFacts& facts, const CheckScope& scope) {
    std::vector<Finding> out;
    for (const auto& shop : facts.shops) {
        if (scope.shop_id.empty() || shop.id == scope.shop_id) check_shop(facts, shop, scope, out);
    }
    return out;
}

}  // namespace rewardd::books
