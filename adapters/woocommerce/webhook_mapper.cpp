// Snapshot -> events. Business times: placed at date_created_gmt, paid at date_paid_gmt, completed
// at date_completed_gmt; refunds and cancellations carry no date in the order JSON, so they take
// the snapshot's date_modified_gmt (the first snapshot that shows them wins, as its event is stored
// first).
#include "webhook_mapper.hpp"

#include <array>
#include <utility>

#include "core/customer_key.hpp"

namespace rewardd::woocommerce {
namespace {

constexpr std::array<std::pair<const char*, Topic>, 5> k_topics{{
    {"order.created", Topic::order_created},
    {"order.updated", Topic::order_updated},
    {"order.deleted", Topic::order_deleted},
    {"order.restored", Topic::order_restored},
    {"customer.created", Topic::customer_created},
}};

Event order_event(const std::string& shop_id, const OrderSnapshot& s, EventType type, const std::string& suffix,
                  Timestamp at) {
    Event e;
    e.shop_id = shop_id;
    e.id = order_event_id(shop_id, s.order.id, suffix);
    e.type = type;
    e.occurred_at = at;
    e.order = s.order;
    return e;
}

Event refund_event(const std::string& shop_id, const OrderSnapshot& s, const RefundSummary& r) {
    // The order JSON has no per-line refund detail (INTEGRATION.md W2): an amount-only refund,
    // which the engine spreads over the lines in proportion.
    Event e = order_event(shop_id, s, EventType::order_refunded, "refund:" + r.id, s.modified_at);
    e.refund = Refund{r.id, r.amount_minor, {}};
    return e;
}

Result<json> parse_body(std::string_view body) {
    try {
        return json::parse(body);
    } catch (const json::exception& e) {
        return make_error(ErrorCode::malformed_json, std::string("body is not valid JSON: ") + e.what());
    }
}

Result<DeliveryPlan> customer_plan(const json& doc, const std::string& shop_id) {
    if (!doc.is_object()) return field_error(ErrorCode::invalid_field, "customer", "must be an object");
    auto id = read_id(doc, "id", "id");
    if (!id) return id.error();
    auto created = read_gmt(doc, "date_created_gmt");
    if (!created) return created.error();
    Event e;
    e.shop_id = shop_id;
    e.id = "woocommerce:" + shop_id + ":customer:" + *id + ":created";
    e.type = EventType::customer_created;
    e.occurred_at = created->value_or(0);
    e.customer = CustomerRef{*id, normalise_email(read_string(doc, "email"))};
    if (e.customer->email.find('@') == std::string::npos) e.customer->email.clear();
    if (const auto meta = doc.find("meta_data"); meta != doc.end() && meta->is_array()) {
        for (const auto& m : *meta) {
            if (!m.is_object() || read_string(m, "key") != k_referral_meta_key) continue;
            const std::string code = read_string(m, "value");
            if (fits_referral_code(code)) e.referral_code = code;
        }
    }
    DeliveryPlan plan;
    plan.events.push_back(std::move(e));
    return plan;
}

}  // namespace

std::optional<Topic> parse_topic(std::string_view text) {
    for (const auto& [name, topic] : k_topics) {
        if (text == name) return topic;
    }
    return std::nullopt;
}

bool is_ping(std::string_view body) {
    constexpr std::string_view prefix = "webhook_id=";
    if (body.size() <= prefix.size() || body.size() > prefix.size() + 20 || body.substr(0, prefix.size()) != prefix) {
        return false;
    }
    for (const char c : body.substr(prefix.size())) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

std::string order_event_id(const std::string& shop_id, const std::string& order_id, const std::string& suffix) {
    return "woocommerce:" + shop_id + ":order:" + order_id + ":" + suffix;
}

std::vector<Event> order_events(const OrderSnapshot& s, const std::string& shop_id, const StatusMap& statuses) {
    const StatusMeaning meaning = statuses.meaning(s.status);
    std::vector<Event> events;
    if (meaning == StatusMeaning::ignore) return events;
    events.push_back(order_event(shop_id, s, EventType::order_placed, "placed", s.created_at));
    // A cancelled order that had been paid was paid first: coalesced deliveries may never show
    // the paid state, and the ledger must explain the reversal with the earning it undoes.
    const bool paid = meaning == StatusMeaning::paid || meaning == StatusMeaning::completed ||
                      meaning == StatusMeaning::full_refund || (meaning == StatusMeaning::cancelled && s.paid_at);
    if (paid) events.push_back(order_event(shop_id, s, EventType::order_paid, "paid", s.paid_at.value_or(s.modified_at)));
    // Likewise a refunded or cancelled order that shows date_completed_gmt had been completed: the
    // release it caused must not depend on whether the completed snapshot was ever delivered.
    const bool voided = meaning == StatusMeaning::full_refund || meaning == StatusMeaning::cancelled;
    if (meaning == StatusMeaning::completed || (voided && s.completed_at)) {
        events.push_back(order_event(shop_id, s, EventType::order_completed, "completed",
                                     s.completed_at.value_or(s.modified_at)));
    }
    std::int64_t refunded = 0;
    for (const auto& r : s.refunds) {
        events.push_back(refund_event(shop_id, s, r));
        refunded += r.amount_minor;
    }
    if (meaning == StatusMeaning::full_refund && refunded < s.order.total_minor) {
        // Marked refunded without refunds covering the total: the rest counts as refunded too.
        events.push_back(refund_event(shop_id, s, {"status-refunded", s.order.total_minor - refunded}));
    }
    if (meaning == StatusMeaning::cancelled) {
        events.push_back(order_event(shop_id, s, EventType::order_cancelled, "cancelled", s.modified_at));
    }
    return events;
}

std::optional<Event> restore_event(const OrderSnapshot& s, const std::string& shop_id, const StatusMap& statuses) {
    const StatusMeaning meaning = statuses.meaning(s.status);
    if (meaning != StatusMeaning::paid && meaning != StatusMeaning::completed) return std::nullopt;
    return order_event(shop_id, s, EventType::order_restored, "restored:" + format_timestamp(s.modified_at),
                       s.modified_at);
}

Result<DeliveryPlan> plan_delivery(Topic topic, std::string_view body, const std::string& shop_id,
                                   const StatusMap& statuses) {
    auto doc = parse_body(body);
    if (!doc) return doc.error();
    if (topic == Topic::customer_created) return customer_plan(*doc, shop_id);
    DeliveryPlan plan;
    if (topic == Topic::order_deleted) {
        if (!doc->is_object()) return field_error(ErrorCode::invalid_field, "body", "must be an object");
        auto id = read_id(*doc, "id", "id");
        if (!id) return id.error();
        plan.deleted_order_id = *id;
        return plan;
    }
    auto snapshot = read_order(*doc);
    if (!snapshot) return snapshot.error();
    plan.events = order_events(*snapshot, shop_id, statuses);
    if (topic == Topic::order_restored) {
        if (auto restored = restore_event(*snapshot, shop_id, statuses)) plan.events.push_back(std::move(*restored));
    }
    if (plan.events.empty()) plan.note = "status " + snapshot->status + " is not an order yet";
    return plan;
}

}  // namespace rewardd::woocommerce
