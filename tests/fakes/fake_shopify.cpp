// The fake's state machine. Everything is under one mutex; a hang waits on the condition variable
// so the destructor (or release_hangs) can end it.
#include "fakes/fake_shopify.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <optional>

namespace rewardd::test {
namespace {

using nlohmann::json;

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

constexpr std::int64_t k_max_query_cost = 1000;

// A query's requested cost the way Shopify estimates it before running it (S5): an object costs 1,
// a scalar 0, a connection 2 plus `first` times one node (the node 1, plus what is selected in
// it); inline fragments add their selection. Shopify refuses a query over 1000 outright.
class QueryCost {
public:
    QueryCost(const std::string& query, const json& variables) : m_q(query), m_vars(variables) {}

    std::int64_t of_operation() {
        skip_to('{');
        return selection_set();
    }

private:
    void skip_space() {
        while (m_at < m_q.size() && (std::isspace(static_cast<unsigned char>(m_q[m_at])) || m_q[m_at] == ',')) ++m_at;
    }
    void skip_to(char c) {
        while (m_at < m_q.size() && m_q[m_at] != c) ++m_at;
    }
    std::string word() {
        skip_space();
        const std::size_t from = m_at;
        while (m_at < m_q.size() && (std::isalnum(static_cast<unsigned char>(m_q[m_at])) || m_q[m_at] == '_' ||
                                     m_q[m_at] == '$' || m_q[m_at] == '.')) {
            ++m_at;
        }
        return m_q.substr(from, m_at - from);
    }
    bool next_is(char c) {
        skip_space();
        return m_at < m_q.size() && m_q[m_at] == c;
    }
    // The page size an argument list asks for (0: not a connection).
    std::int64_t arguments() {
        std::int64_t first = 0;
        ++m_at;  // '('
        while (m_at < m_q.size() && !next_is(')')) {
            const std::string name = word();
            if (next_is(':')) ++m_at;
            const std::string value = word();
            if (name == "first" || name == "last") {
                if (!value.empty() && value[0] == '$') {
                    first = m_vars.value(value.substr(1), 0);
                } else if (!value.empty()) {
                    first = std::stoll(value);
                }
            }
            if (value.empty() && m_at < m_q.size() && !next_is(')')) ++m_at;  // a string or list value
        }
        ++m_at;  // ')'
        return first;
    }
    // The cost of the selections between '{' and its '}'.
    std::int64_t selection_set() {
        ++m_at;  // '{'
        std::int64_t cost = 0;
        while (m_at < m_q.size() && !next_is('}')) {
            if (m_q.compare(m_at, 3, "...") == 0) {
                m_at += 3;
                if (word() == "on") word();
                if (next_is('{')) cost += selection_set();
                continue;
            }
            const std::string field = word();
            if (field.empty()) {
                ++m_at;
                continue;
            }
            const std::int64_t first = next_is('(') ? arguments() : 0;
            if (!next_is('{')) continue;  // a scalar or an enum
            const std::int64_t inner = selection_set();
            if (first > 0) {
                cost += 2 + first * std::max<std::int64_t>(inner, 1);  // `nodes {…}` is the node: 1 + its fields
            } else if (field == "edges" || field == "node" || field == "pageInfo") {
                cost += field == "edges" ? inner : field == "node" ? 1 + inner : 0;
            } else {
                cost += 1 + inner;
            }
        }
        ++m_at;  // '}'
        return cost;
    }

    const std::string& m_q;
    const json& m_vars;
    std::size_t m_at = 0;
};

// Shopify prints Decimal amounts without trailing zeros ("12.5"), as in the fixture.
std::string shopify_decimal(std::string amount) {
    if (amount.find('.') == std::string::npos) return amount;
    while (amount.back() == '0') amount.pop_back();
    if (amount.back() == '.') amount += '0';
    return amount;
}

// DiscountCodeBasicInput.minimumRequirement: {subtotal: {greaterThanOrEqualToSubtotal: Decimal}}
// or {quantity: {greaterThanOrEqualToQuantity: UnsignedInt64}}; a Decimal travels as a string.
// `subtotal` is "" for none or a quantity; a value that does not fit names its path and why.
struct MinimumRead {
    std::string subtotal;
    std::string bad_path;
    std::string why;
};

MinimumRead minimum_subtotal(const json& in) {
    const auto bad = [](const std::string& path, const std::string& why) { return MinimumRead{"", path, why}; };
    if (!in.contains("minimumRequirement") || in["minimumRequirement"].is_null()) return {};
    const json& m = in["minimumRequirement"];
    if (!m.is_object()) return bad("minimumRequirement", "Expected value to be an object");
    for (const auto& [key, value] : m.items()) {
        if (key != "subtotal" && key != "quantity") {
            return bad("minimumRequirement." + key, "Field is not defined on DiscountMinimumRequirementInput");
        }
    }
    if (!m.contains("subtotal")) return {};
    const json& sub = m["subtotal"];
    for (const auto& [key, value] : sub.items()) {
        if (key != "greaterThanOrEqualToSubtotal") {
            return bad("minimumRequirement.subtotal." + key, "Field is not defined on DiscountMinimumSubtotalInput");
        }
    }
    const json amount = sub.value("greaterThanOrEqualToSubtotal", json());
    if (!amount.is_string() || amount.get<std::string>().empty()) {
        return bad("minimumRequirement.subtotal.greaterThanOrEqualToSubtotal", "Could not coerce value to Decimal");
    }
    return {amount.get<std::string>(), "", ""};
}

// The top-level error GraphQL answers (HTTP 200) for a variable that does not fit its input type.
std::string invalid_discount_input(const std::string& path, const std::string& why) {
    json problem_path = json::array();
    for (std::size_t start = 0; start <= path.size();) {
        const auto dot = std::min(path.find('.', start), path.size());
        problem_path.push_back(path.substr(start, dot - start));
        start = dot + 1;
    }
    return json{{"errors", json::array({{{"message", "Variable $basicCodeDiscount of type DiscountCodeBasicInput! was "
                                                     "provided invalid value for " + path + " (" + why + ")"},
                                         {"extensions", {{"problems", json::array({{{"path", problem_path},
                                                                                     {"explanation", why}}})}}}}})}}
        .dump();
}

// Seconds since the epoch of Shopify's "2026-12-07T10:00:00Z" or "2008-01-10T11:00:00-05:00".
std::optional<std::int64_t> epoch_of(const std::string& text) {
    std::tm tm{};
    if (text.size() < 19 || std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                                        &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
        return std::nullopt;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    std::int64_t t = timegm(&tm);
    std::size_t at = 19;
    while (at < text.size() && (text[at] == '.' || std::isdigit(static_cast<unsigned char>(text[at])))) ++at;
    int hours = 0, minutes = 0;
    if (at < text.size() && (text[at] == '+' || text[at] == '-') &&
        std::sscanf(text.c_str() + at + 1, "%2d:%2d", &hours, &minutes) == 2) {
        t -= (text[at] == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
    }
    return t;
}

bool is_set(const json& order, const char* key) { return order.contains(key) && !order[key].is_null(); }

json user_error(const json& field, const std::string& code, const std::string& message) {
    return json::array({{{"field", field}, {"code", code}, {"message", message}}});
}

}  // namespace

FakeShopify::FakeShopify(Options options) : m_options(std::move(options)) {
    m_available = m_options.bucket_max;
    m_bucket_at_ms = steady_ms();
    m_server.Post("/admin/oauth/access_token", [this](const httplib::Request& req, httplib::Response& res) {
        on_token(req, res);
    });
    // The Admin API answers only the pinned version (404 for any other, counted).
    const auto versioned = [this](void (FakeShopify::*handler)(const httplib::Request&, httplib::Response&)) {
        return [this, handler](const httplib::Request& req, httplib::Response& res) {
            if (req.matches[1] != m_options.api_version) {
                std::lock_guard lock(m_mutex);
                ++m_wrong_version;
                res.status = 404;
                res.set_content(R"({"errors":"Not Found"})", "application/json");
                return;
            }
            (this->*handler)(req, res);
        };
    };
    m_server.Post(R"(/admin/api/([^/]+)/graphql\.json)", versioned(&FakeShopify::on_graphql));
    m_server.Get(R"(/admin/api/([^/]+)/orders\.json)", versioned(&FakeShopify::on_order_list));
    m_port = m_options.port;
    if (m_port == 0) m_port = m_server.bind_to_any_port("127.0.0.1");
    else m_server.bind_to_port("127.0.0.1", m_port);
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    while (!m_server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

FakeShopify::~FakeShopify() {
    release_hangs();
    m_server.stop();
    if (m_thread.joinable()) m_thread.join();
}

void FakeShopify::on_token(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(m_mutex);
    ++m_token_requests;
    const bool ok = req.get_param_value("grant_type") == "client_credentials" &&
                    req.get_param_value("client_id") == m_options.client_id &&
                    req.get_param_value("client_secret") == m_options.client_secret;
    if (!ok) {
        res.status = 401;
        res.set_content(R"({"error":"invalid_client","error_description":"Client authentication failed"})",
                        "application/json");
        return;
    }
    const std::string token = "shpca_fake_" + std::to_string(++m_next_id);
    m_tokens[token] = steady_ms() + m_options.token_lifetime_s * 1000;
    std::string scope;
    for (const auto& s : m_options.scopes) scope += (scope.empty() ? "" : ",") + s;
    res.set_content(json{{"access_token", token}, {"scope", scope}, {"expires_in", m_options.token_lifetime_s}}.dump(),
                    "application/json");
}

bool FakeShopify::token_ok(const std::string& token) {
    if (!m_options.static_token.empty() && token == m_options.static_token) return m_tokens.count("!revoked") == 0;
    const auto it = m_tokens.find(token);
    return it != m_tokens.end() && steady_ms() < it->second;
}

bool FakeShopify::take_from_bucket(std::int64_t cost, std::int64_t& available_after) {
    const std::int64_t now = steady_ms();
    const std::int64_t rate = std::max<std::int64_t>(1, m_options.restore_per_s);
    const std::int64_t gained = rate * (now - m_bucket_at_ms) / 1000;  // whole points only
    m_bucket_at_ms += gained * 1000 / rate;  // the fraction of a point earned so far is kept
    m_available += gained;
    if (m_available >= m_options.bucket_max) {
        m_available = m_options.bucket_max;
        m_bucket_at_ms = now;
    }
    const bool ok = m_available >= cost;
    if (ok) m_available -= cost;
    available_after = m_available;
    return ok;
}

void FakeShopify::on_graphql(const httplib::Request& req, httplib::Response& res) {
    std::unique_lock lock(m_mutex);
    if (!token_ok(req.get_header_value("X-Shopify-Access-Token"))) {
        ++m_unauthorized;
        res.status = 401;
        res.set_content(R"J({"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"})J",
                        "application/json");
        return;
    }
    if (m_fail_count > 0) {
        --m_fail_count;
        res.status = m_fail_status;
        if (m_fail_status == 429) res.set_header("Retry-After", "1.0");
        res.set_content(R"({"errors":"Service unavailable"})", "application/json");
        return;
    }
    const json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("query") || !body["query"].is_string()) {
        res.status = 400;
        res.set_content(R"({"errors":{"query":"Required parameter missing or invalid"}})", "application/json");
        return;
    }
    const std::string query = body["query"];
    const bool mutation = query.rfind("mutation", 0) == 0;
    // A connection costs its page size times its nested fields, as Shopify counts (S5).
    const json page_vars = body.value("variables", json::object());
    const std::int64_t cost = mutation ? 10
        : query.find("codeDiscountNodes") != std::string::npos ? 2 + 3 * page_vars.value("first", 1)
        : query.find("storeCreditAccount(") != std::string::npos ? 2 + 2 * page_vars.value("first", 1) : 2;
    if (!mutation) {
        const std::int64_t requested = QueryCost(query, page_vars).of_operation();
        if (requested > k_max_query_cost) {
            res.set_content(json{{"errors", json::array({{{"message", "Query cost is " + std::to_string(requested) +
                                                                          ", which exceeds the single query max cost limit (" +
                                                                          std::to_string(k_max_query_cost) + ")."},
                                                          {"extensions", {{"code", "MAX_COST_EXCEEDED"},
                                                                          {"cost", requested},
                                                                          {"maxCost", k_max_query_cost}}}}})}}
                                .dump(),
                            "application/json");
            return;
        }
    }
    std::int64_t available = 0;
    const json throttle = [&] {
        const bool ok = take_from_bucket(cost, available);
        return json{{"requestedQueryCost", cost}, {"actualQueryCost", ok ? json(cost) : json(nullptr)},
                    {"throttleStatus", {{"maximumAvailable", double(m_options.bucket_max)},
                                        {"currentlyAvailable", available},
                                        {"restoreRate", double(m_options.restore_per_s)}}}};
    }();
    if (throttle["actualQueryCost"].is_null()) {
        ++m_throttled;
        res.set_content(json{{"errors", json::array({{{"message", "Throttled"},
                                                      {"extensions", {{"code", "THROTTLED"}}}}})},
                             {"extensions", {{"cost", throttle}}}}
                            .dump(),
                        "application/json");
        return;
    }
    json answer = json::parse(run_operation(query, body.value("variables", json::object())));
    answer["extensions"] = {{"cost", throttle}};
    if (mutation && m_internal_error_count > 0) {
        --m_internal_error_count;
        answer = {{"errors", json::array({{{"message", "Internal error. Looks like something went wrong on our end.\n"
                                                       "Request ID: 3221c58f-3446-4843-a452-a517787121c6 (include "
                                                       "this in support requests)."},
                                           {"extensions", {{"code", "INTERNAL_SERVER_ERROR"},
                                                           {"requestId", "3221c58f-3446-4843-a452-a517787121c6"}}}}})}};
    }
    res.set_content(answer.dump(), "application/json");
    if (mutation && m_hang_count > 0) {
        --m_hang_count;
        ++m_hangs_started;
        m_cv.wait_for(lock, std::chrono::milliseconds(m_hang_ms), [this] { return m_release; });
    }
}

std::string FakeShopify::run_operation(const std::string& query, const json& vars) {
    const auto has = [&](const char* name) { return query.find(name) != std::string::npos; };
    json data;
    if (has("discountCodeBasicCreate")) {
        ++m_operations["discountCodeBasicCreate"];
        const json& in = vars.at("basicCodeDiscount");
        const std::string code = in.at("code");
        const MinimumRead minimum = minimum_subtotal(in);
        if (!minimum.bad_path.empty()) return invalid_discount_input(minimum.bad_path, minimum.why);
        json payload;
        if (m_discounts.count(upper(code))) {
            payload = {{"codeDiscountNode", nullptr},
                       {"userErrors", user_error({"basicCodeDiscount", "code"}, "TAKEN",
                                                 "Code must be unique. Please try a different code.")}};
        } else {
            const json& customers = in.contains("context") ? in["context"] : in.at("customerSelection");
            Discount d{"gid://shopify/DiscountCodeNode/" + std::to_string(++m_next_id), code, in.at("title"),
                       customers.at("customers").at("add").at(0), in["customerGets"]["value"]["discountAmount"]["amount"],
                       in.value("endsAt", json()).is_string() ? in["endsAt"].get<std::string>() : "",
                       in.value("usageLimit", 0)};
            d.minimum_subtotal = minimum.subtotal;
            m_discounts[upper(code)] = d;
            payload = {{"codeDiscountNode", {{"id", d.id}, {"codeDiscount", {{"title", d.title}, {"status", "ACTIVE"},
                        {"usageLimit", d.usage_limit}, {"codes", {{"nodes", json::array({{{"code", code}}})}}}}}}},
                       {"userErrors", json::array()}};
        }
        data["discountCodeBasicCreate"] = payload;
    } else if (has("codeDiscountNodes")) {
        ++m_operations["codeDiscountNodes"];
        data["codeDiscountNodes"] = discount_page(vars);
    } else if (has("codeDiscountNodeByCode")) {
        ++m_operations["codeDiscountNodeByCode"];
        const auto it = m_discounts.find(upper(vars.at("code")));
        data["codeDiscountNodeByCode"] = it == m_discounts.end()
            ? json(nullptr) : json{{"id", it->second.id}, {"codeDiscount", {{"title", it->second.title}}}};
    } else if (has("storeCreditAccountCredit")) {
        ++m_operations["storeCreditAccountCredit"];
        const json& in = vars.at("creditInput");
        Credit c{"gid://shopify/StoreCreditAccountCreditTransaction/" + std::to_string(++m_next_id), vars.at("id"),
                 shopify_decimal(in.at("creditAmount").at("amount")), in["creditAmount"].at("currencyCode"),
                 in.value("expiresAt", json()).is_string() ? in["expiresAt"].get<std::string>() : ""};
        c.account = account_for(c.customer, c.currency);
        m_credits.push_back(c);
        data["storeCreditAccountCredit"] = {
            {"storeCreditAccountTransaction", {{"id", c.id}, {"amount", {{"amount", c.amount}, {"currencyCode", c.currency}}},
                                               {"expiresAt", c.expires_at.empty() ? json(nullptr) : json(c.expires_at)}}},
            {"userErrors", json::array()}};
    } else if (has("storeCreditAccounts")) {  // each account with its newest transactions first
        ++m_operations["storeCreditAccounts"];
        const std::string customer = vars.at("id");
        json accounts = json::array();
        for (const auto& [slot, account] : m_accounts) {
            if (slot.rfind(customer + "|", 0) != 0) continue;
            json txs = json::array();
            for (auto it = m_credits.rbegin(); it != m_credits.rend(); ++it) {
                if (it->account != account) continue;
                txs.push_back({{"id", it->id}, {"amount", {{"amount", it->amount}, {"currencyCode", it->currency}}},
                               {"expiresAt", it->expires_at.empty() ? json(nullptr) : json(it->expires_at)}});
            }
            accounts.push_back({{"id", account}, {"transactions", {{"nodes", txs}}}});
        }
        data["customer"] = {{"id", vars.at("id")}, {"storeCreditAccounts", {{"nodes", accounts}}}};
    } else if (has("storeCreditAccount(")) {
        ++m_operations["storeCreditAccount"];
        data["storeCreditAccount"] = credit_page(vars);
    } else if (has("metafieldsSet")) {
        ++m_operations["metafieldsSet"];
        data["metafieldsSet"] = set_metafields(vars.at("metafields"));
    } else if (has("webhookSubscriptionCreate")) {
        ++m_operations["webhookSubscriptionCreate"];
        Subscription s{"gid://shopify/WebhookSubscription/" + std::to_string(++m_next_id), vars.at("topic"),
                       vars.at("webhookSubscription").at("uri")};
        m_subscriptions.push_back(s);
        data["webhookSubscriptionCreate"] = {{"webhookSubscription", {{"id", s.id}, {"topic", s.topic}, {"uri", s.uri}}},
                                             {"userErrors", json::array()}};
    } else if (has("webhookSubscriptions")) {
        ++m_operations["webhookSubscriptions"];
        json nodes = json::array();
        for (const auto& s : m_subscriptions) nodes.push_back({{"id", s.id}, {"topic", s.topic}, {"uri", s.uri}});
        data["webhookSubscriptions"] = {{"nodes", nodes}};
    } else if (has("currentAppInstallation")) {
        ++m_operations["currentAppInstallation"];
        json scopes = json::array();
        for (const auto& s : m_options.scopes) scopes.push_back({{"handle", s}});
        data["currentAppInstallation"] = {{"accessScopes", scopes}};
    } else {
        return json{{"errors", json::array({{{"message", "Field is not defined on QueryRoot"}}})}}.dump();
    }
    return json{{"data", data}}.dump();
}

namespace {

// Why one MetafieldsSetInput would be refused ({code, message}), or {"", ""}.
std::pair<std::string, std::string> metafield_problem(const json& in) {
    const auto str = [&](const char* k) { return in.contains(k) && in[k].is_string() ? in[k].get<std::string>() : ""; };
    const std::string owner = str("ownerId"), ns = str("namespace"), key = str("key"), type = str("type"),
                      value = str("value");
    const auto word = [](const std::string& t) {
        return std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
    };
    if (owner.rfind("gid://shopify/", 0) != 0) return {"INVALID", "Owner does not exist."};
    if (ns.size() < 3 || ns.size() > 255 || !word(ns)) return {"INVALID", "Namespace is invalid."};
    if (key.size() < 2 || key.size() > 64 || !word(key)) return {"INVALID", "Key is invalid."};
    if (value.empty()) return {"BLANK", "Value can't be blank."};
    if (type == "number_integer") {
        const bool digits = std::all_of(value.begin() + (value[0] == '-' ? 1 : 0), value.end(),
                                        [](unsigned char c) { return std::isdigit(c); });
        if (!digits || value == "-") return {"INVALID_VALUE", "Value must be an integer."};
    } else if (type == "single_line_text_field") {
        if (value.find('\n') != std::string::npos) return {"INVALID_VALUE", "Value must be a single line."};
    } else {
        return {"INVALID_TYPE", "Type is not a valid metafield type."};
    }
    return {"", ""};
}

}  // namespace

json FakeShopify::set_metafields(const json& inputs) {
    if (!inputs.is_array() || inputs.empty() || inputs.size() > 25) {
        return {{"metafields", nullptr},
                {"userErrors", user_error({"metafields"}, "LESS_THAN_OR_EQUAL_TO",
                                          "Exceeded the maximum metafields input limit of 25.")}};
    }
    json errors = json::array();
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto [code, message] = metafield_problem(inputs[i]);
        if (!code.empty()) {
            errors.push_back({{"field", {"metafields", std::to_string(i)}}, {"code", code}, {"message", message},
                              {"elementIndex", i}});
        }
    }
    if (!errors.empty()) return {{"metafields", json::array()}, {"userErrors", errors}};  // atomic: none set
    json set = json::array();
    for (const auto& in : inputs) {
        Metafield m{in["ownerId"], in["namespace"], in["key"], in["type"], in["value"]};
        m_metafields[m.owner + "|" + m.ns + "|" + m.key] = m;
        set.push_back({{"key", m.key}, {"namespace", m.ns}, {"value", m.value}, {"type", m.type}});
    }
    return {{"metafields", set}, {"userErrors", json::array()}};
}

std::string FakeShopify::metafield(const std::string& owner, const std::string& ns, const std::string& key) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_metafields.find(owner + "|" + ns + "|" + key);
    return it == m_metafields.end() ? "" : it->second.value;
}

// The REST bucket (S5): 40 calls deep, leaking 2 a second; a call past it is refused.
bool FakeShopify::take_rest_call(std::int64_t& used_after) {
    const std::int64_t now = steady_ms();
    if (m_rest_at_ms == 0) m_rest_at_ms = now;
    m_rest_used = std::max(0.0, m_rest_used - 2.0 * static_cast<double>(now - m_rest_at_ms) / 1000.0);
    m_rest_at_ms = now;
    const bool ok = m_rest_used + 1 <= 40;
    if (ok) m_rest_used += 1;
    used_after = static_cast<std::int64_t>(std::ceil(m_rest_used));
    return ok;
}

void FakeShopify::on_order_list(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(m_mutex);
    ++m_order_list_requests;
    const auto refuse = [&res](int status, const json& errors) {
        res.status = status;
        res.set_content(json{{"errors", errors}}.dump(), "application/json");
    };
    if (!token_ok(req.get_header_value("X-Shopify-Access-Token"))) {
        ++m_unauthorized;
        return refuse(401, "[API] Invalid API key or access token (unrecognized login or wrong password)");
    }
    std::int64_t used = 0;
    const bool within = take_rest_call(used);
    res.set_header("X-Shopify-Shop-Api-Call-Limit", std::to_string(used) + "/40");
    if (!within) {
        res.set_header("Retry-After", "2.0");
        return refuse(429, "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted "
                           "service.");
    }
    if (m_order_fail_count > 0) {
        --m_order_fail_count;
        if (!m_order_fail_retry_after.empty()) res.set_header("Retry-After", m_order_fail_retry_after);
        return refuse(m_order_fail_status, "Service unavailable");
    }
    OrderCursor cursor;
    const std::string page_info = req.get_param_value("page_info");
    const bool first_page = page_info.empty();
    if (!first_page) {
        // A cursor page takes no filter of its own: the first page's travel with the cursor.
        for (const char* filter : {"status", "updated_at_min"}) {
            if (req.has_param(filter)) {
                return refuse(400, {{filter, std::string(filter) + " cannot be passed when page_info is present."}});
            }
        }
        const auto found = m_order_cursors.find(page_info);
        if (found == m_order_cursors.end()) return refuse(400, {{"page_info", "Invalid value."}});
        cursor = found->second;
    } else {
        cursor.status = req.has_param("status") ? req.get_param_value("status") : "open";
        if (req.has_param("updated_at_min")) {
            const auto min = epoch_of(req.get_param_value("updated_at_min"));
            if (!min) return refuse(400, {{"updated_at_min", "updated_at_min is invalid"}});
            cursor.updated_min = *min;
        }
    }
    if (req.has_param("limit")) {
        const long long asked = std::atoll(req.get_param_value("limit").c_str());
        cursor.limit = static_cast<std::size_t>(std::clamp(asked, 1LL, 250LL));
    }
    std::vector<std::pair<std::int64_t, const json*>> matching;  // (updated_at, order), oldest update first
    for (const auto& [id, order] : m_orders) {
        const bool cancelled = is_set(order, "cancelled_at"), closed = is_set(order, "closed_at");
        if ((cursor.status == "open" && (cancelled || closed)) || (cursor.status == "closed" && !closed) ||
            (cursor.status == "cancelled" && !cancelled)) {
            continue;
        }
        const auto updated = epoch_of(order.value("updated_at", ""));
        if (updated.value_or(0) >= cursor.updated_min) matching.emplace_back(updated.value_or(0), &order);
    }
    std::stable_sort(matching.begin(), matching.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    const std::size_t size = std::min(cursor.limit, static_cast<std::size_t>(m_order_page_size));
    json orders = json::array();
    for (std::size_t i = cursor.offset; i < matching.size() && i < cursor.offset + size; ++i) {
        orders.push_back(*matching[i].second);
    }
    const std::string list = base_url() + "/admin/api/" + m_options.api_version +
                             "/orders.json?limit=" + std::to_string(cursor.limit) + "&page_info=";
    std::string link;
    const auto add_link = [&](std::size_t offset, const char* rel) {
        OrderCursor to = cursor;
        to.offset = offset;
        const std::string token = "c" + std::to_string(++m_next_id);
        m_order_cursors[token] = to;
        link += (link.empty() ? "" : ", ") + ("<" + list + token + ">; rel=\"" + rel + "\"");
    };
    if (cursor.offset > 0) add_link(cursor.offset > size ? cursor.offset - size : 0, "previous");
    if (cursor.offset + size < matching.size()) add_link(cursor.offset + size, "next");
    if (!link.empty()) res.set_header("Link", link);
    if (first_page) m_order_list_queries.push_back(req.get_param_value("updated_at_min"));
    res.set_content(json{{"orders", orders}}.dump(), "application/json");
}

void FakeShopify::put_order(const nlohmann::json& order) {
    std::lock_guard lock(m_mutex);
    m_orders[order.at("id").dump()] = order;
}

void FakeShopify::set_order_page_size(int size) {
    std::lock_guard lock(m_mutex);
    m_order_page_size = std::max(1, size);
}

void FakeShopify::fail_next_order_lists(int count, int status, const std::string& retry_after) {
    std::lock_guard lock(m_mutex);
    m_order_fail_count = count;
    m_order_fail_status = status;
    m_order_fail_retry_after = retry_after;
}

std::vector<std::string> FakeShopify::order_list_queries() const {
    std::lock_guard lock(m_mutex);
    return m_order_list_queries;
}

int FakeShopify::order_list_requests() const {
    std::lock_guard lock(m_mutex);
    return m_order_list_requests;
}

void FakeShopify::fail_next(int count, int status) {
    std::lock_guard lock(m_mutex);
    m_fail_count = count;
    m_fail_status = status;
}

void FakeShopify::internal_error_after_commit(int count) {
    std::lock_guard lock(m_mutex);
    m_internal_error_count = count;
}

void FakeShopify::hang_after_commit(int count, int hang_ms) {
    std::lock_guard lock(m_mutex);
    m_hang_count = count;
    m_hang_ms = hang_ms;
    m_release = false;
}

void FakeShopify::drain_bucket() {
    std::lock_guard lock(m_mutex);
    m_available = 0;
    m_bucket_at_ms = steady_ms();
}

void FakeShopify::revoke_tokens() {
    std::lock_guard lock(m_mutex);
    for (auto& [token, expiry] : m_tokens) expiry = 0;
    m_tokens["!revoked"] = 0;
}

void FakeShopify::remove_subscriptions() {
    std::lock_guard lock(m_mutex);
    m_subscriptions.clear();
}

void FakeShopify::release_hangs() {
    {
        std::lock_guard lock(m_mutex);
        m_release = true;
    }
    m_cv.notify_all();
}

namespace {

// DiscountCodeBasic.minimumRequirement as read: a DiscountMinimumSubtotal's MoneyV2, or null for none.
json minimum_requirement(const std::string& subtotal) {
    if (subtotal.empty()) return nullptr;
    return {{"greaterThanOrEqualToSubtotal", {{"amount", subtotal}, {"currencyCode", "EUR"}}}};
}

}  // namespace

// codeDiscountNodes(first:, after:): nodes in code order; the cursor is the last code sent.
json FakeShopify::discount_page(const json& vars) const {
    const int first = vars.value("first", 10);
    const std::string after = vars.contains("after") && vars["after"].is_string() ? vars["after"].get<std::string>() : "";
    json nodes = json::array();
    auto it = after.empty() ? m_discounts.begin() : m_discounts.upper_bound(after);
    std::string last;
    for (; it != m_discounts.end() && static_cast<int>(nodes.size()) < first; ++it) {
        const Discount& d = it->second;
        json customers = json::array();
        if (!d.customer.empty()) customers.push_back({{"id", d.customer}});
        nodes.push_back({{"id", d.id},
                         {"codeDiscount", {{"__typename", "DiscountCodeBasic"}, {"title", d.title},
                                           {"usageLimit", d.usage_limit ? json(d.usage_limit) : json(nullptr)},
                                           {"asyncUsageCount", d.usage_count},
                                           {"codes", {{"nodes", json::array({{{"code", d.code}}})}}},
                                           {"customerGets", {{"value", {{"amount", {{"amount", d.amount},
                                                                                    {"currencyCode", "EUR"}}}}}}},
                                           {"minimumRequirement", minimum_requirement(d.minimum_subtotal)},
                                           {"context", {{"customers", customers}}}}}});
        last = it->first;
    }
    return {{"nodes", nodes}, {"pageInfo", {{"hasNextPage", it != m_discounts.end()}, {"endCursor", last}}}};
}

std::string FakeShopify::account_for(const std::string& customer, const std::string& currency) {
    auto& account = m_accounts[customer + "|" + currency];
    if (account.empty()) account = "gid://shopify/StoreCreditAccount/" + std::to_string(++m_next_id);
    return account;
}

// Oldest first, `first` at a time; the cursor is the index of the next transaction.
json FakeShopify::credit_page(const json& vars) const {
    const std::string account = vars.at("id");
    const int first = vars.value("first", 10);
    const std::size_t start = vars.contains("after") && vars["after"].is_string()
                                  ? std::stoul(vars["after"].get<std::string>()) : 0;
    std::vector<const Credit*> own;
    for (const auto& c : m_credits) {
        if (c.account == account) own.push_back(&c);
    }
    bool known = false;
    for (const auto& [slot, id] : m_accounts) known = known || id == account;
    if (!known) return nullptr;
    json nodes = json::array();
    std::size_t i = start;
    for (; i < own.size() && static_cast<int>(nodes.size()) < first; ++i) {
        nodes.push_back({{"id", own[i]->id}, {"amount", {{"amount", own[i]->amount}, {"currencyCode", own[i]->currency}}},
                         {"expiresAt", own[i]->expires_at.empty() ? json(nullptr) : json(own[i]->expires_at)}});
    }
    return {{"id", account},
            {"transactions", {{"nodes", nodes},
                              {"pageInfo", {{"hasNextPage", i < own.size()}, {"endCursor", std::to_string(i)}}}}}};
}

bool FakeShopify::set_discount_amount(const std::string& code, const std::string& amount) {
    std::lock_guard lock(m_mutex);
    const auto it = m_discounts.find(upper(code));
    if (it == m_discounts.end()) return false;
    it->second.amount = amount;
    return true;
}

bool FakeShopify::set_discount_minimum(const std::string& code, const std::string& subtotal) {
    std::lock_guard lock(m_mutex);
    const auto it = m_discounts.find(upper(code));
    if (it == m_discounts.end()) return false;
    it->second.minimum_subtotal = subtotal;
    return true;
}

bool FakeShopify::set_credit_amount(const std::string& transaction_id, const std::string& amount) {
    std::lock_guard lock(m_mutex);
    for (auto& c : m_credits) {
        if (c.id != transaction_id) continue;
        c.amount = amount;
        return true;
    }
    return false;
}

std::string FakeShopify::add_credit(const Credit& credit) {
    std::lock_guard lock(m_mutex);
    Credit c = credit;
    c.id = "gid://shopify/StoreCreditAccountCreditTransaction/" + std::to_string(++m_next_id);
    c.account = account_for(c.customer, c.currency);
    m_credits.push_back(c);
    return c.id;
}

bool FakeShopify::remove_credit(const std::string& transaction_id) {
    std::lock_guard lock(m_mutex);
    const auto before = m_credits.size();
    std::erase_if(m_credits, [&](const Credit& c) { return c.id == transaction_id; });
    return m_credits.size() < before;
}

bool FakeShopify::delete_discount(const std::string& code) {
    std::lock_guard lock(m_mutex);
    return m_discounts.erase(upper(code)) > 0;
}

bool FakeShopify::use_discount(const std::string& code) {
    std::lock_guard lock(m_mutex);
    const auto it = m_discounts.find(upper(code));
    if (it == m_discounts.end()) return false;
    ++it->second.usage_count;
    return true;
}

void FakeShopify::add_discount(const std::string& code, const std::string& title, const std::string& amount) {
    std::lock_guard lock(m_mutex);
    m_discounts[upper(code)] = Discount{"gid://shopify/DiscountCodeNode/" + std::to_string(++m_next_id), code, title,
                                        "", amount, "", 0};
}

std::vector<FakeShopify::Discount> FakeShopify::discounts() const {
    std::lock_guard lock(m_mutex);
    std::vector<Discount> out;
    for (const auto& [code, d] : m_discounts) out.push_back(d);
    return out;
}

std::vector<FakeShopify::Credit> FakeShopify::credits() const {
    std::lock_guard lock(m_mutex);
    return m_credits;
}

std::vector<FakeShopify::Subscription> FakeShopify::subscriptions() const {
    std::lock_guard lock(m_mutex);
    return m_subscriptions;
}

std::vector<std::string> FakeShopify::issued_tokens() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> out;
    for (const auto& [token, expiry] : m_tokens) {
        if (token != "!revoked") out.push_back(token);
    }
    return out;
}

int FakeShopify::token_requests() const {
    std::lock_guard lock(m_mutex);
    return m_token_requests;
}

int FakeShopify::throttled_answers() const {
    std::lock_guard lock(m_mutex);
    return m_throttled;
}

int FakeShopify::unauthorized_answers() const {
    std::lock_guard lock(m_mutex);
    return m_unauthorized;
}

int FakeShopify::wrong_version_requests() const {
    std::lock_guard lock(m_mutex);
    return m_wrong_version;
}

int FakeShopify::operations(const std::string& name) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_operations.find(name);
    return it == m_operations.end() ? 0 : it->second;
}

int FakeShopify::hangs_started() const {
    std::lock_guard lock(m_mutex);
    return m_hangs_started;
}

bool FakeShopify::wait_until(const std::function<bool()>& done, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

}  // namespace rewardd::test
