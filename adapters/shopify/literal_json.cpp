// A SAX handler that builds the DOM itself: nlohmann hands number_float the raw token text, which
// is stored as a string. Integers stay integers (ids are 64-bit and fit int64/uint64 exactly).
#include "literal_json.hpp"

#include <vector>

namespace rewardd::shopify {
namespace {

using nlohmann::json;

class LiteralBuilder : public json::json_sax_t {
public:
    LiteralBuilder(int depth_max, const KeptMembers* keep) : m_depth_max(depth_max), m_keep(keep) {}

    bool null() override { return skipped() || put(json(nullptr)); }
    bool boolean(bool v) override { return skipped() || put(json(v)); }
    bool number_integer(number_integer_t v) override { return skipped() || put(json(v)); }
    bool number_unsigned(number_unsigned_t v) override { return skipped() || put(json(v)); }
    bool number_float(number_float_t, const string_t& literal) override { return skipped() || put(json(literal)); }
    bool string(string_t& v) override { return skipped() || put(json(std::move(v))); }
    bool binary(binary_t&) override { return false; }
    bool start_object(std::size_t) override { return open(json::object()); }
    bool key(string_t& k) override {
        if (m_skip_depth > 0) return true;
        m_skip_next = !kept(k);
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
        if (static_cast<int>(m_stack.size()) + m_skip_depth >= m_depth_max) {
            m_too_deep = true;
            return false;
        }
        if (m_skip_depth > 0 || m_skip_next) {
            m_skip_next = false;
            ++m_skip_depth;
            return true;
        }
        m_stack.push_back(place(std::move(container)));
        if (m_keep && m_stack.size() == 2 && m_stack.front()->is_object() && m_stack.back()->is_array() &&
            m_key == m_keep->array) {
            m_filtered_array = m_stack.back();
        }
        return true;
    }
    bool close() {
        if (m_skip_depth > 0) {
            --m_skip_depth;
            return true;
        }
        m_stack.pop_back();
        return true;
    }
    // True (and the value dropped) inside a skipped member or for the value of one.
    bool skipped() {
        const bool skip = m_skip_depth > 0 || m_skip_next;
        m_skip_next = false;
        return skip;
    }
    // Whether the member `k` of the object being built goes into the document. key() is only
    // called inside an object, so one level down is the top-level object's own members.
    bool kept(const std::string& k) const {
        if (!m_keep) return true;
        const auto listed = [&k](const std::vector<std::string_view>& names) {
            for (const auto name : names) {
                if (name == k) return true;
            }
            return false;
        };
        if (m_stack.size() == 1) return listed(m_keep->top);
        if (m_stack.size() == 3 && m_stack[1] == m_filtered_array) return listed(m_keep->element);
        return true;
    }

    int m_depth_max;
    const KeptMembers* m_keep;
    json* m_filtered_array = nullptr;  // the top-level array member whose elements are filtered
    int m_skip_depth = 0;              // containers open inside a member being skipped
    bool m_skip_next = false;          // the next value is a member to skip
    json m_root;
    std::vector<json*> m_stack;
    std::string m_key;
    std::string m_error;
    bool m_too_deep = false;
};

}  // namespace

Result<nlohmann::json> parse_literal_json(std::string_view body, int depth_max, const KeptMembers* keep) {
    LiteralBuilder builder(depth_max, keep);
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
