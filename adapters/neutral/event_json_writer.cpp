// The canonical JSON text of an event, written directly. Building an nlohmann document first
// (a map node and a string per field) and dumping it was about a twentieth of the daemon's CPU
// under Shopify ingest. The text is byte for byte what that document's dump() gives: keys in
// sorted order (nlohmann's objects are std::map), the same escapes, no spaces. Text with bytes
// outside ASCII goes through nlohmann, so its UTF-8 checking and output stay as they were.
#include "event_json.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace rewardd {
namespace {

using nlohmann::json;

bool ascii(const std::string& s) {
    for (const unsigned char c : s) {
        if (c >= 0x80) return false;
    }
    return true;
}

bool all_ascii(const Event& e) {
    bool ok = ascii(e.id);
    if (e.order) {
        const Order& o = *e.order;
        ok = ok && ascii(o.id) && ascii(o.currency) && ascii(o.customer.id) && ascii(o.customer.email);
        ok = ok && (!o.referral_code || ascii(*o.referral_code));
        for (const auto& c : o.codes) ok = ok && ascii(c);
        for (const auto& l : o.lines) {
            ok = ok && ascii(l.id) && ascii(l.product_id);
            for (const auto& c : l.categories) ok = ok && ascii(c);
        }
    }
    if (e.refund) {
        ok = ok && ascii(e.refund->id);
        for (const auto& l : e.refund->lines) ok = ok && ascii(l.line_id);
    }
    if (e.customer) ok = ok && ascii(e.customer->id) && ascii(e.customer->email);
    if (e.referral_code) ok = ok && ascii(*e.referral_code);
    if (e.adjustment) ok = ok && ascii(e.adjustment->reason);
    return ok;
}

class Writer {
public:
    explicit Writer(std::string& out) : m_out(out) {}

    void open() { m_out += '{', m_first = true; }
    void close() { m_out += '}', m_first = false; }
    void open_array() { m_out += '[', m_first = true; }
    void close_array() { m_out += ']', m_first = false; }

    // The next member's key, with the comma before it when it is not the first.
    Writer& key(const char* k) {
        comma();
        m_out += '"';
        m_out += k;
        m_out += "\":";
        m_first = true;  // the value right after a key takes no comma
        return *this;
    }
    void value(const std::string& s) {
        comma();
        string(s);
        m_first = false;
    }
    void value(std::int64_t n) {
        comma();
        char buffer[24];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, n).ptr;
        m_out.append(buffer, end);
        m_first = false;
    }
    void null() {
        comma();
        m_out += "null";
        m_first = false;
    }
    // An array element or member that is itself a container.
    void element() { comma(); }

private:
    void comma() {
        if (!m_first) m_out += ',';
    }
    // nlohmann's escapes for ASCII text: the short forms it knows, \u00xx for other controls.
    void string(const std::string& s) {
        m_out += '"';
        for (const char c : s) {
            switch (c) {
                case '"': m_out += "\\\""; break;
                case '\\': m_out += "\\\\"; break;
                case '\b': m_out += "\\b"; break;
                case '\f': m_out += "\\f"; break;
                case '\n': m_out += "\\n"; break;
                case '\r': m_out += "\\r"; break;
                case '\t': m_out += "\\t"; break;
                default:
                    if (static_cast<unsigned char>(c) < 0x20) {
                        static const char* hex = "0123456789abcdef";
                        m_out += "\\u00";
                        m_out += hex[(c >> 4) & 0xF];
                        m_out += hex[c & 0xF];
                    } else {
                        m_out += c;
                    }
            }
        }
        m_out += '"';
    }

    std::string& m_out;
    bool m_first = true;
};

void write_customer(Writer& w, const CustomerRef& c) {
    w.element();
    w.open();
    w.key("email").value(c.email);
    if (c.id.empty()) w.key("id").null();
    else w.key("id").value(c.id);
    w.close();
}

void write_strings(Writer& w, const std::vector<std::string>& items) {
    w.element();
    w.open_array();
    for (const auto& s : items) w.value(s);
    w.close_array();
}

void write_order(Writer& w, const Order& o) {
    w.element();
    w.open();
    if (!o.codes.empty()) write_strings(w.key("codes"), o.codes);  // absent when none: older bodies stay as they were
    w.key("currency").value(o.currency);
    write_customer(w.key("customer"), o.customer);
    w.key("discount").value(o.discount_minor);
    w.key("id").value(o.id);
    w.key("lines").element();
    w.open_array();
    for (const auto& l : o.lines) {
        w.element();
        w.open();
        write_strings(w.key("categories"), l.categories);
        w.key("id").value(l.id);
        w.key("product_id").value(l.product_id);
        w.key("quantity").value(l.quantity);
        w.key("total").value(l.total_minor);
        w.close();
    }
    w.close_array();
    if (o.referral_code) w.key("referral_code").value(*o.referral_code);
    else w.key("referral_code").null();
    w.key("shipping").value(o.shipping_minor);
    w.key("tax").value(o.tax_minor);
    w.key("total").value(o.total_minor);
    w.close();
}

void write_refund(Writer& w, const Refund& r) {
    w.element();
    w.open();
    w.key("amount").value(r.amount_minor);
    w.key("id").value(r.id);
    w.key("lines").element();
    w.open_array();
    for (const auto& l : r.lines) {
        w.element();
        w.open();
        w.key("line_id").value(l.line_id);
        w.key("quantity").value(l.quantity);
        w.key("total").value(l.total_minor);
        w.close();
    }
    w.close_array();
    w.close();
}

}  // namespace

std::string event_to_json(const Event& event) {
    if (!all_ascii(event)) return event_to_json_document(event);
    std::string out;
    out.reserve(512);
    Writer w(out);
    w.open();
    if (event.adjustment) {
        w.key("adjustment").element();
        w.open();
        w.key("points").value(event.adjustment->points);
        w.key("reason").value(event.adjustment->reason);
        w.close();
    }
    if (event.customer) write_customer(w.key("customer"), *event.customer);
    w.key("id").value(event.id);
    w.key("occurred_at").value(format_timestamp(event.occurred_at));
    if (event.order) write_order(w.key("order"), *event.order);
    if (event.referral_code) w.key("referral_code").value(*event.referral_code);
    if (event.refund) write_refund(w.key("refund"), *event.refund);
    w.key("type").value(std::string(event_type_id(event.type)));
    w.close();
    return out;
}

}  // namespace rewardd
