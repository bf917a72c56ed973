// A SAX handler that builds the DOM itself: nlohmann hands number_float the raw token text, which
// is stored as a string. Integers stay integers (ids are 64-bit and fit int64/uint64 exactly).
#include "literal_json.hpp"

#include <vector>

namespace rewardd::shopify {
namespace {

using nlohmann::json;

class LiteralBuilder : public json::json_sax_t {
public:
    explicit LiteralBuilder(int depth_max) : m_depth_max(depth_max) {}

    bool null() override { return put(json(nullptr)); }
    bool boolean(bool v) override { return put(json(v)); }
    bool number_integer(number_integer_t v) override { return put(json(v)); }
    bool number_unsigned(number_unsigned_t v) override { return put(json(v)); }
    bool number_float(number_float_t, const string_t& literal) override { return put(json(literal)); }
    bool string(string_t& v) override { return put(json(std::move(v))); }
    bool binary(binary_t&) override { return false; }
    bool start_object(std::size_t) override { return open(json::object()); }
    bool key(string_t& k) override {
        m_key = std::move(k);
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(json::array()); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
        m_error = "at byte " + std::to_string(position) + ": " + e.what();
        return false;
    }

    json& root() { return m_root; }
    const std::string& error() const { return m_error; }
    bool too_deep() const { return m_too_deep; }

private:
    // Places a value in the current container (or as the root) and returns where it now lives.
    json* place(json value) {
        if (m_stack.empty()) {
            m_root = std::move(value);
            return &m_root;
        }
        json& top = *m_stack.back();
        if (top.is_array()) {
            top.push_back(std::move(value));
            return &top.back();
        }
        json& slot = top[m_key];
        slot = std::move(value);
        return &slot;
    }
    bool put(json value) {
        place(std::move(value));
        return true;
    }
    bool open(json container) {
        if (static_cast<int>(m_stack.size()) >= m_depth_max) {
            m_too_deep = true;
            return false;
        }
        m_stack.push_back(place(std::move(container)));
        return true;
    }
    bool close() {
        m_stack.pop_back();
        return true;
    }

    int m_depth_max;
    json m_root;
    std::vector<json*> m_stack;
    std::string m_key;
    std::string m_error;
    bool m_too_deep = false;
};

}  // namespace

Result<nlohmann::json> parse_literal_json(std::string_view body, int depth_max) {
    LiteralBuilder builder(depth_max);
    bool ok = false;
    try {
        ok = json::sax_parse(body.begin(), body.end(), &builder);
    } catch (const json::exception& e) {
        return make_error(ErrorCode::malformed_json, std::string("body is not valid JSON: ") + e.what());
    }
    if (builder.too_deep()) {
        return make_error(ErrorCode::malformed_json, "body nests deeper than " + std::to_string(depth_max) + " levels");
    }
    if (!ok) return make_error(ErrorCode::malformed_json, "body is not valid JSON " + builder.error());
    return std::move(builder.root());
}

}  // namespace rewardd::shopify
