// The WooCommerce order sweep's page (GET /wp-json/wc/v3/orders, INTEGRATION.md W3.2): the query
// asks for orders modified after a time in GMT, newest change first, all but the trash; an answer
// is a JSON array of orders in the webhook's shape, anything else is refused.
#include <doctest/doctest.h>

#include <map>

#include "adapters/woocommerce/order_listing.hpp"
#include "core/timestamp.hpp"

using namespace rewardd;
using namespace rewardd::woocommerce;

TEST_CASE("a sweep page asks for orders modified after a GMT time, most recently modified first") {
    const auto since = parse_timestamp("2026-12-07T19:55:00Z");
    REQUIRE(since);
    const auto query = orders_modified_since_query(*since, 3);
    const std::map<std::string, std::string> params(query.begin(), query.end());
    CHECK(params.size() == query.size());  // no parameter twice
    CHECK(params.at("modified_after") == "2026-12-07T19:55:00");  // no zone: dates_are_gmt says GMT
    CHECK(params.at("dates_are_gmt") == "true");
    CHECK(params.at("orderby") == "modified");
    CHECK(params.at("order") == "desc");
    CHECK(params.at("status") == "any");
    CHECK(params.at("per_page") == "50");
    CHECK(params.at("page") == "3");
}

TEST_CASE("a sweep page's orders are read from a JSON array, with each order's modification time") {
    const auto page = read_order_page(
        R"([{"id": 7, "date_modified_gmt": "2026-12-07T20:01:02"}, {"id": 8, "date_modified_gmt": null}, 5])");
    REQUIRE(page);
    REQUIRE(page->size() == 3);
    CHECK((*page)[0]["id"] == 7);
    const auto modified = order_modified_at((*page)[0]);
    REQUIRE(modified);
    CHECK(format_timestamp(*modified) == "2026-12-07T20:01:02Z");
    CHECK_FALSE(order_modified_at((*page)[1]));  // null: unknown
    CHECK_FALSE(order_modified_at((*page)[2]));  // not an order
    CHECK(read_order_page("[]")->empty());
}

TEST_CASE("a sweep page that is not a JSON array of orders is refused") {
    CHECK(read_order_page(R"({"code":"rest_invalid_param"})").error().code == ErrorCode::invalid_field);
    CHECK(read_order_page("[{\"id\": 7},").error().code == ErrorCode::malformed_json);
    CHECK(read_order_page("").error().code == ErrorCode::malformed_json);
}
