// Redemption arithmetic and its three ledger entries (see redemption.hpp for the life cycle).
#include "redemption.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <numeric>
#include <tuple>

namespace rewardd {
namespace {

std::uint64_t fnv1a(std::string_view text, std::uint64_t seed) {
    std::uint64_t h = seed;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

const LedgerEntry* find_key(const std::vector<LedgerEntry>& entries, const std::string& key) {
    const auto it = std::find_if(entries.begin(), entries.end(), [&](const LedgerEntry& e) { return e.key == key; });
    return it == entries.end() ? nullptr : &*it;
}

std::string rate_text(const Rules& rules, const std::string& currency, int exponent) {
    return std::to_string(rules.redeem_points_per_unit) + " points per " + format_minor(pow10(exponent), exponent) +
           " " + currency;
}

// The points that buy exactly one step of whole minor units.
std::int64_t points_step(const Rules& rules, int exponent) {
    return rules.redeem_points_per_unit / std::gcd(rules.redeem_points_per_unit, pow10(exponent));
}

Result<int> check_request(const RedemptionRequest& request) {
    if (request.shop_id.empty() || request.redemption_id.empty() || request.customer.empty()) {
        return make_error(ErrorCode::invalid_field, "a redemption needs a shop, a redemption id and a customer",
                          "redemption_id");
    }
    if (request.points <= 0) return make_error(ErrorCode::invalid_field, "points must be more than 0", "points");
    const auto exponent = currency_exponent(request.currency);
    if (!exponent) return make_error(ErrorCode::unknown_currency, "unknown currency " + request.currency, "currency");
    return *exponent;
}

RedemptionPlan plan_from_reserve(const Rules& rules, const LedgerEntry& reserve, const std::string& redemption_id) {
    RedemptionPlan plan;
    plan.code = redemption_code(reserve.shop_id, redemption_id);
    plan.points = -reserve.available_delta;
    plan.discount = {reserve.base_minor, reserve.currency};
    plan.minimum_subtotal_minor = redemption_minimum_subtotal(rules, reserve.base_minor);
    plan.reserve = reserve;
    plan.already_reserved = true;
    return plan;
}

}  // namespace

std::string reservation_key(std::string_view shop_id, std::string_view redemption_id) {
    std::string key(shop_id);
    key += ":redeem:";
    key += redemption_id;
    return key;
}

std::string redemption_key(std::string_view shop_id, std::string_view redemption_id, std::string_view step) {
    std::string key = reservation_key(shop_id, redemption_id);
    key += ':';
    key += step;
    return key;
}

std::string redemption_code(std::string_view shop_id, std::string_view redemption_id) {
    static constexpr std::string_view k_alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford
    std::string input(shop_id);
    input += ':';
    input += redemption_id;
    const std::array<std::uint64_t, 2> words{fnv1a(input, 1469598103934665603ULL),
                                             fnv1a(input, 0x9E3779B97F4A7C15ULL)};
    std::string code = "RW-";
    for (const std::uint64_t word : words) {
        for (int i = 0; i < 8; ++i) code += k_alphabet[(word >> (5 * i)) & 31];  // 8 x 5 bits per word
    }
    return code;
}

std::int64_t floor_to_whole_minor(const Rules& rules, std::int64_t points, int exponent) {
    const std::int64_t step = points_step(rules, exponent);
    return points <= 0 ? 0 : points - points % step;
}

std::int64_t redemption_value_minor(const Rules& rules, std::int64_t points, int exponent) {
    return scale_rounded(std::max<std::int64_t>(0, points), pow10(exponent), rules.redeem_points_per_unit,
                         Rounding::floor);
}

std::int64_t max_redeemable_points(const Rules& rules, const std::string& currency, std::int64_t available_points,
                                   std::optional<std::int64_t> cart_total_minor) {
    const auto exponent = currency_exponent(currency);
    if (!exponent) return 0;
    std::int64_t points = std::max<std::int64_t>(0, available_points);
    if (cart_total_minor) {
        const std::int64_t cap_minor = scale_rounded(std::max<std::int64_t>(0, *cart_total_minor),
                                                     rules.redeem_cart_share_max_bp, 10000, Rounding::floor);
        points = std::min(points, scale_rounded(cap_minor, rules.redeem_points_per_unit, pow10(*exponent),
                                                Rounding::floor));
    }
    points = floor_to_whole_minor(rules, points, *exponent);
    return points < std::max<std::int64_t>(1, rules.redeem_minimum_points) ? 0 : points;
}

std::int64_t redemption_minimum_subtotal(const Rules& rules, std::int64_t value_minor) {
    if (value_minor <= 0 || rules.redeem_cart_share_max_bp >= 10000) return 0;
    const __int128 share = rules.redeem_cart_share_max_bp;
    return divide_rounded(__int128{value_minor} * 10000 + share - 1, share, Rounding::floor);
}

Result<RedemptionPlan> plan_redemption(const Rules& rules, const RedemptionRequest& request,
                                       std::int64_t available_points, const std::vector<LedgerEntry>& existing) {
    const auto exponent = check_request(request);
    if (!exponent) return exponent.error();
    const std::int64_t points = floor_to_whole_minor(rules, request.points, *exponent);
    const std::string key = reservation_key(request.shop_id, request.redemption_id);
    if (const LedgerEntry* done = find_key(existing, key)) {
        if (done->customer != request.customer || -done->available_delta != points) {
            return make_error(ErrorCode::exists_with_different_content,
                              "redemption " + request.redemption_id + " was already made with other points", key);
        }
        return plan_from_reserve(rules, *done, request.redemption_id);
    }
    if (points <= 0 || points < rules.redeem_minimum_points) {
        return make_error(ErrorCode::below_minimum_redemption,
                          "at least " + std::to_string(std::max<std::int64_t>(rules.redeem_minimum_points, 1)) +
                              " points per redemption (asked " + std::to_string(request.points) + ", usable " +
                              std::to_string(points) + ")",
                          "points");
    }
    if (points > available_points) {
        return make_error(ErrorCode::insufficient_points,
                          std::to_string(points) + " points asked, " + std::to_string(available_points) +
                              " available",
                          "points");
    }
    const std::int64_t value = redemption_value_minor(rules, points, *exponent);
    if (request.cart_total_minor) {
        const std::int64_t cap = scale_rounded(std::max<std::int64_t>(0, *request.cart_total_minor),
                                               rules.redeem_cart_share_max_bp, 10000, Rounding::floor);
        if (value > cap) {
            return make_error(ErrorCode::exceeds_cart_share,
                              "a discount of " + format_minor(value, *exponent) + " is over the " +
                                  format_minor(rules.redeem_cart_share_max_bp, 2) + "% of the cart payable with " +
                                  "points (" + format_minor(cap, *exponent) + " " + request.currency + ")",
                              "points");
        }
    }
    RedemptionPlan plan;
    plan.code = redemption_code(request.shop_id, request.redemption_id);
    plan.points = points;
    plan.discount = {value, request.currency};
    plan.minimum_subtotal_minor = redemption_minimum_subtotal(rules, value);
    LedgerEntry& e = plan.reserve;
    e.key = key;
    e.customer = request.customer;
    e.shop_id = request.shop_id;
    e.kind = EntryKind::reserve;
    e.available_delta = -points;
    e.rule_version = rules.version;
    e.base_minor = value;
    e.currency = request.currency;
    e.rate = rate_text(rules, request.currency, *exponent);
    e.rounding = Rounding::floor;
    e.event_id = request.event_id;
    e.effective_at = request.at;
    e.reason = "code " + plan.code;
    return plan;
}

namespace {

struct Redemption {
    const LedgerEntry* reserve = nullptr;
    const LedgerEntry* commit = nullptr;
    const LedgerEntry* release = nullptr;
};

Result<Redemption> find_redemption(const std::string& shop_id, const std::string& redemption_id,
                                   const std::vector<LedgerEntry>& existing) {
    Redemption r;
    r.reserve = find_key(existing, reservation_key(shop_id, redemption_id));
    if (!r.reserve) {
        return make_error(ErrorCode::not_found, "no reservation for redemption " + redemption_id, "redemption_id");
    }
    r.commit = find_key(existing, redemption_key(shop_id, redemption_id, "commit"));
    r.release = find_key(existing, redemption_key(shop_id, redemption_id, "release"));
    return r;
}

LedgerEntry follow_up(const LedgerEntry& reserve, EntryKind kind, const std::string& key, Timestamp at) {
    LedgerEntry e;
    e.key = key;
    e.customer = reserve.customer;
    e.shop_id = reserve.shop_id;
    e.kind = kind;
    e.rule_version = reserve.rule_version;
    e.base_minor = reserve.base_minor;
    e.currency = reserve.currency;
    e.rate = reserve.rate;
    e.effective_at = at;
    e.refers_to = reserve.key;
    return e;
}

}  // namespace

Result<LedgerEntry> commit_redemption(const std::string& shop_id, const std::string& redemption_id,
                                      const std::vector<LedgerEntry>& existing, const std::string& order_id,
                                      Timestamp at, const std::string& event_id) {
    auto r = find_redemption(shop_id, redemption_id, existing);
    if (!r) return r.error();
    if (r->commit) return *r->commit;
    LedgerEntry e = follow_up(*r->reserve, EntryKind::redeem_commit, redemption_key(shop_id, redemption_id, "commit"), at);
    e.order_id = order_id;
    e.event_id = event_id;
    e.reason = std::to_string(-r->reserve->available_delta) + " points spent: code used by order " + order_id;
    if (r->release) {
        // The code expired and its points came back, yet an order used it (an on-hold order paid
        // late, a platform that honoured it anyway): the customer had the discount, so the points
        // are taken again. The negative-balance policy covers a customer who has spent them since.
        e.available_delta = r->reserve->available_delta;
        e.effective_at = std::max(at, r->release->effective_at);  // after the points came back, not before
        e.reason += ", after its points had come back on " + format_timestamp(r->release->effective_at) +
                    ": taken again";
    }
    return e;
}

Result<LedgerEntry> release_redemption(const std::string& shop_id, const std::string& redemption_id,
                                       const std::vector<LedgerEntry>& existing, Timestamp at,
                                       const std::string& reason) {
    auto r = find_redemption(shop_id, redemption_id, existing);
    if (!r) return r.error();
    if (r->release) return *r->release;
    if (r->commit) {
        return make_error(ErrorCode::redemption_committed,
                          "redemption " + redemption_id + " was used by order " + r->commit->order_id,
                          "redemption_id");
    }
    LedgerEntry e = follow_up(*r->reserve, EntryKind::reserve_release, redemption_key(shop_id, redemption_id, "release"), at);
    e.available_delta = -r->reserve->available_delta;
    e.reason = reason;
    return e;
}

namespace {

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

bool is_payment(EventType type) { return type == EventType::order_paid || type == EventType::order_completed; }

}  // namespace

std::vector<CodeUse> code_uses(const std::vector<Event>& order_events) {
    std::map<std::string, CodeUse> first;  // by code: the earliest use, so the answer is sorted too
    for (const auto& e : order_events) {
        if (!e.order || !is_payment(e.type)) continue;
        for (const auto& text : e.order->codes) {
            CodeUse use{upper(text), e.shop_id, e.order->id, e.id, e.occurred_at};
            const auto [it, added] = first.emplace(use.code, use);
            if (!added && std::tie(use.at, use.event_id) < std::tie(it->second.at, it->second.event_id)) it->second = use;
        }
    }
    std::vector<CodeUse> uses;
    for (auto& [code, use] : first) uses.push_back(std::move(use));
    return uses;
}

Result<std::optional<LedgerEntry>> release_expired_redemption(const std::string& shop_id,
                                                              const std::string& redemption_id,
                                                              const std::vector<LedgerEntry>& existing,
                                                              Timestamp expires_at, Timestamp now) {
    if (now < expires_at) return std::optional<LedgerEntry>{};
    auto release = release_redemption(shop_id, redemption_id, existing, expires_at,
                                      "code expired unused on " + format_timestamp(expires_at));
    if (release) return std::optional<LedgerEntry>{*release};
    if (release.error().code == ErrorCode::redemption_committed) return std::optional<LedgerEntry>{};
    return release.error();
}

}  // namespace rewardd
