// Two queries: the accounts of the customer (few: one per currency), then the transactions of
// each account page by page. Debits and expirations are skipped: only credits carry an id here.
#include "books/shopify_credit_lister.hpp"

#include "adapters/shopify/reward_requests.hpp"

namespace rewardd::books {
namespace {

constexpr int k_retries_max = 5;
constexpr int k_accounts_max = 20;  // accounts are per currency

const char* k_accounts_query =
    "query($id: ID!, $first: Int!) { customer(id: $id) { storeCreditAccounts(first: $first) { nodes { id } } } }";

const char* k_transactions_query =
    "query($id: ID!, $first: Int!, $after: String) { storeCreditAccount(id: $id) { id "
    "transactions(first: $first, after: $after) { nodes { amount { amount currencyCode } "
    "... on StoreCreditAccountCreditTransaction { id expiresAt } } pageInfo { hasNextPage endCursor } } } }";

std::string text(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) return "";
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

const nlohmann::json& member(const nlohmann::json& j, const char* key) {
    static const nlohmann::json null;
    return j.is_object() && j.contains(key) ? j[key] : null;
}

}  // namespace

std::vector<PlatformCredit> read_credit_transactions(const nlohmann::json& data) {
    std::vector<PlatformCredit> out;
    const auto& nodes = member(member(member(data, "storeCreditAccount"), "transactions"), "nodes");
    if (!nodes.is_array()) return out;
    for (const auto& tx : nodes) {
        if (text(tx, "id").empty()) continue;  // not a credit
        const auto& money = member(tx, "amount");
        out.push_back({text(tx, "id"), text(money, "amount"), text(money, "currencyCode"), text(tx, "expiresAt")});
    }
    return out;
}

Result<nlohmann::json> ShopifyCreditLister::call(const Shop& shop, const std::string& query,
                                                 const nlohmann::json& variables, std::int64_t cost) {
    for (int retries = 0;; ++retries) {
        nlohmann::json data;
        const auto outcome = m_graphql.call(shop, query, variables, data, cost);
        if (outcome.ok()) return data;
        if (outcome.status != shopify::CallStatus::retry || retries >= k_retries_max) {
            return make_error(ErrorCode::platform_unavailable, "listing store credit: " + outcome.detail);
        }
        m_sleep(outcome.retry_after_ms.value_or(1000));
    }
}

Result<std::vector<PlatformCredit>> ShopifyCreditLister::list(const Shop& shop, const std::string& customer_platform_id) {
    auto accounts = call(shop, k_accounts_query, {{"id", shopify::customer_gid(customer_platform_id)}, {"first", k_accounts_max}},
                         2 + k_accounts_max);
    if (!accounts) return accounts.error();
    std::vector<PlatformCredit> out;
    const auto& nodes = member(member(member(*accounts, "customer"), "storeCreditAccounts"), "nodes");
    for (const auto& account : nodes.is_array() ? nodes : nlohmann::json::array()) {
        nlohmann::json after = nullptr;
        for (;;) {
            // A connection costs about its page size times the nested objects (S5).
            auto page = call(shop, k_transactions_query, {{"id", text(account, "id")}, {"first", m_page_size}, {"after", after}},
                             2 + 2 * static_cast<std::int64_t>(m_page_size));
            if (!page) return page.error();
            auto credits = read_credit_transactions(*page);
            out.insert(out.end(), credits.begin(), credits.end());
            const auto& info = member(member(member(*page, "storeCreditAccount"), "transactions"), "pageInfo");
            if (!info.is_object() || !info.value("hasNextPage", false)) break;
            after = text(info, "endCursor");
        }
    }
    return out;
}

}  // namespace rewardd::books
