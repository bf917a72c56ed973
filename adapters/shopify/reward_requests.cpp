// GraphQL documents for discount codes and store credit, and readers of their answers.
#include "reward_requests.hpp"

#include "core/money.hpp"

namespace rewardd::shopify {
namespace {

using nlohmann::json;

const char* k_discount_create =
    "mutation CreateRewardCode($basicCodeDiscount: DiscountCodeBasicInput!) { "
    "discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) { codeDiscountNode { id codeDiscount { "
    "... on DiscountCodeBasic { title status startsAt endsAt usageLimit appliesOncePerCustomer "
    "codes(first: 1) { nodes { code } } } } } userErrors { field code message } } }";

const char* k_discount_lookup =
    "query RewardCode($code: String!) { codeDiscountNodeByCode(code: $code) { id codeDiscount { "
    "... on DiscountCodeBasic { title } } } }";

const char* k_credit_create =
    "mutation CreditReward($id: ID!, $creditInput: StoreCreditAccountCreditInput!) { "
    "storeCreditAccountCredit(id: $id, creditInput: $creditInput) { storeCreditAccountTransaction { id "
    "amount { amount currencyCode } balanceAfterTransaction { amount currencyCode } expiresAt "
    "account { id balance { amount currencyCode } } } userErrors { field code message } } }";

// Shopify refuses a query whose requested cost passes 1000 (S5): 10 accounts of 50 transactions
// cost 1033; of 25, 533. A lost answer is looked up on the next attempt, within minutes or hours:
// the customer's latest 25 transactions hold the credit if it was made.
const char* k_credit_lookup =
    "query RewardCredits($id: ID!) { customer(id: $id) { storeCreditAccounts(first: 10) { nodes { id "
    "transactions(first: 25, reverse: true) { nodes { amount { amount currencyCode } "
    "... on StoreCreditAccountCreditTransaction { id expiresAt } } } } } } }";

// FNV-1a: stable across builds and platforms, unlike std::hash.
std::uint64_t stable_hash(const std::string& text) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

// A string field, "" when absent, null or not a string (value() would throw on null).
std::string text(const json& obj, const char* key) {
    if (!obj.is_object()) return "";
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::string first_user_error(const json& payload) {
    const auto errors = payload.value("userErrors", json::array());
    if (!errors.is_array() || errors.empty()) return "";
    const auto& e = errors[0];
    return (text(e, "code").empty() ? std::string("USER_ERROR") : text(e, "code")) + ": " + text(e, "message");
}

std::string customer_gid(const std::string& customer_id) {
    if (customer_id.rfind("gid://", 0) == 0) return customer_id;
    return "gid://shopify/Customer/" + customer_id;
}

std::string reward_code(const RewardGrant& grant) {
    if (!grant.code.empty()) return grant.code;
    static const char* alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // no 0/O, 1/I
    std::uint64_t h = stable_hash(grant.shop_id + "/" + grant.grant_id);
    std::string code = "RWD-";
    for (int i = 0; i < 12; ++i, h >>= 5) {
        if (i == 4 || i == 8) code += '-';
        code += alphabet[h & 31];
    }
    return code;
}

Result<std::string> decimal_amount(std::int64_t minor, const std::string& currency) {
    const auto exponent = currency_exponent(currency);
    if (!exponent) return make_error(ErrorCode::unknown_currency, "unknown currency " + currency, "currency");
    if (minor <= 0) return make_error(ErrorCode::invalid_field, "a reward amount must be positive", "amount_minor");
    return format_minor(minor, *exponent);
}

Result<GraphqlDocument> discount_code_create(const RewardGrant& grant, Timestamp starts_at,
                                             const std::string& api_version) {
    auto amount = decimal_amount(grant.amount_minor, grant.currency);
    if (!amount) return amount.error();
    if (grant.customer_platform_id.empty()) {
        return make_error(ErrorCode::missing_field, "a Shopify customer id is needed to restrict the code",
                          "customer_platform_id");
    }
    const json customers = {{"customers", {{"add", json::array({customer_gid(grant.customer_platform_id)})}}}};
    json input = {
        {"title", "rewardd " + (grant.description.empty() ? std::string("reward") : grant.description) + " " +
                      grant.grant_id},
        {"code", reward_code(grant)},
        {"startsAt", format_timestamp(starts_at)},
        {"customerGets", {{"value", {{"discountAmount", {{"amount", *amount}, {"appliesOnEachItem", false}}}}},
                          {"items", {{"all", true}}}}},
        {"appliesOncePerCustomer", true},
        {"usageLimit", 1},
        {"combinesWith", {{"orderDiscounts", false}, {"productDiscounts", true}, {"shippingDiscounts", true}}},
    };
    if (grant.minimum_subtotal_minor > 0) {
        auto minimum = decimal_amount(grant.minimum_subtotal_minor, grant.currency);
        if (!minimum) return minimum.error();
        input["minimumRequirement"] = {{"subtotal", {{"greaterThanOrEqualToSubtotal", *minimum}}}};
    }
    input[api_version >= "2025-10" ? "context" : "customerSelection"] = customers;
    input["endsAt"] = grant.expires_at ? json(format_timestamp(*grant.expires_at)) : json(nullptr);
    return GraphqlDocument{k_discount_create, {{"basicCodeDiscount", input}}};
}

GraphqlDocument discount_code_lookup(const std::string& code) { return {k_discount_lookup, {{"code", code}}}; }

DiscountAnswer read_discount_create(const json& data) {
    DiscountAnswer answer;
    const auto payload = data.value("discountCodeBasicCreate", json::object());
    if (!payload.is_object()) return {"", false, "no discountCodeBasicCreate in the answer"};
    const auto node = payload.value("codeDiscountNode", json());
    if (node.is_object()) answer.node_id = text(node, "id");
    for (const auto& e : payload.value("userErrors", json::array())) {
        if (e.is_object() && text(e, "code") == "TAKEN") answer.code_taken = true;
    }
    if (!answer.code_taken && answer.node_id.empty()) answer.error = first_user_error(payload);
    if (!answer.code_taken && answer.node_id.empty() && answer.error.empty()) answer.error = "no discount node returned";
    return answer;
}

std::optional<FoundDiscount> read_discount_lookup(const json& data) {
    const auto node = data.value("codeDiscountNodeByCode", json());
    if (!node.is_object()) return std::nullopt;
    const auto discount = node.value("codeDiscount", json::object());
    return FoundDiscount{text(node, "id"), discount.is_object() ? text(discount, "title") : ""};
}

bool title_names_grant(const std::string& title, const std::string& grant_id) {
    const std::string suffix = " " + grant_id;
    return title.size() >= suffix.size() && title.compare(title.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Timestamp store_credit_fingerprint_expiry(const RewardGrant& grant) {
    const auto hash = stable_hash(grant.shop_id + "/" + grant.grant_id);
    if (!grant.expires_at) {
        // "No expiry": any second of 2099, so that two credits of one amount (a fixed cashback)
        // share a fingerprint about once in 31.5 million pairs, not once in 3,600 as within an hour.
        constexpr Timestamp k_far_future = 4070908800;  // 2099-01-01T00:00:00Z
        constexpr Timestamp k_far_future_span = 365 * 86400;
        return k_far_future + static_cast<Timestamp>(hash % k_far_future_span);
    }
    const Timestamp base = *grant.expires_at;
    return base - base % 3600 + static_cast<Timestamp>(hash % 3600);
}

Result<GraphqlDocument> store_credit_create(const RewardGrant& grant) {
    auto amount = decimal_amount(grant.amount_minor, grant.currency);
    if (!amount) return amount.error();
    if (grant.customer_platform_id.empty()) {
        return make_error(ErrorCode::missing_field, "store credit needs the Shopify customer id", "customer_platform_id");
    }
    const json input = {{"creditAmount", {{"amount", *amount}, {"currencyCode", grant.currency}}},
                        {"expiresAt", format_timestamp(store_credit_fingerprint_expiry(grant))}};
    return GraphqlDocument{k_credit_create, {{"id", customer_gid(grant.customer_platform_id)}, {"creditInput", input}}};
}

GraphqlDocument store_credit_lookup(const RewardGrant& grant) {
    return {k_credit_lookup, {{"id", customer_gid(grant.customer_platform_id)}}};
}

CreditAnswer read_store_credit_create(const json& data) {
    const auto payload = data.value("storeCreditAccountCredit", json::object());
    if (!payload.is_object()) return {"", "no storeCreditAccountCredit in the answer"};
    const auto tx = payload.value("storeCreditAccountTransaction", json());
    if (tx.is_object() && tx.contains("id")) return {text(tx, "id"), ""};
    const std::string error = first_user_error(payload);
    return {"", error.empty() ? "no transaction returned" : error};
}

std::optional<std::string> find_store_credit(const json& data, const RewardGrant& grant) {
    const auto customer = data.value("customer", json());
    if (!customer.is_object()) return std::nullopt;
    const auto exponent = currency_exponent(grant.currency);
    const std::string expires = format_timestamp(store_credit_fingerprint_expiry(grant));
    const auto accounts = customer.value("storeCreditAccounts", json::object()).value("nodes", json::array());
    for (const auto& account : accounts) {
        const auto txs = account.value("transactions", json::object()).value("nodes", json::array());
        for (const auto& tx : txs) {
            const auto money = tx.value("amount", json::object());
            if (!exponent || text(money, "currencyCode") != grant.currency) continue;
            const auto minor = parse_decimal_minor(text(money, "amount"), *exponent);
            if (!minor || *minor != grant.amount_minor) continue;
            auto at = parse_timestamp(text(tx, "expiresAt"));
            if (at && format_timestamp(*at) == expires && tx.contains("id")) return text(tx, "id");
        }
    }
    return std::nullopt;
}

}  // namespace rewardd::shopify
