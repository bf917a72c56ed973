#include "order_listing.hpp"

#include "adapters/woocommerce/order_snapshot.hpp"

namespace rewardd::woocommerce {

std::vector<std::pair<std::string, std::string>> orders_modified_since_query(Timestamp since, int page,
                                                                             int per_page) {
    return {{"modified_after", format_gmt(since)},  // GMT by dates_are_gmt, as the *_gmt fields
            {"dates_are_gmt", "true"},
            {"orderby", "modified"},
            {"order", "desc"},
            {"status", "any"},
            {"per_page", std::to_string(per_page)},
            {"page", std::to_string(page)}};
}

Result<std::vector<nlohmann::json>> read_order_page(std::string_view body) {
    nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded()) return make_error(ErrorCode::malformed_json, "the order listing is not valid JSON");
    if (!doc.is_array()) return make_error(ErrorCode::invalid_field, "the order listing is not a JSON array");
    std::vector<nlohmann::json> orders;
    orders.reserve(doc.size());
    for (auto& order : doc) orders.push_back(std::move(order));
    return orders;
}

std::optional<Timestamp> order_modified_at(const nlohmann::json& order) {
    if (!order.is_object()) return std::nullopt;
    auto at = read_gmt(order, "date_modified_gmt");
    if (!at) return std::nullopt;
    return *at;
}

}  // namespace rewardd::woocommerce
