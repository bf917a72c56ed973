#include "request_id.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <random>

namespace rewardd {
namespace {

thread_local std::string t_request_id;

bool is_sane_id(const std::string& id) {
    if (id.empty() || id.size() > 128) return false;
    for (const unsigned char c : id) {
        const bool ok = std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
        if (!ok) return false;
    }
    return true;
}

// A random prefix per process and a counter: unique within a run, distinct across restarts.
std::string generated_id() {
    static const std::uint64_t prefix = std::random_device{}() & 0xffffffffu;
    static std::atomic<std::uint64_t> next{1};
    char text[40];
    std::snprintf(text, sizeof text, "r-%08llx-%llu", static_cast<unsigned long long>(prefix),
                  static_cast<unsigned long long>(next.fetch_add(1, std::memory_order_relaxed)));
    return text;
}

class RequestIdFlag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
        if (t_request_id.empty()) return;
        static constexpr std::string_view k_field = " request=";
        dest.append(k_field.data(), k_field.data() + k_field.size());
        dest.append(t_request_id.data(), t_request_id.data() + t_request_id.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<RequestIdFlag>(); }
};

}  // namespace

std::string request_id_for(const httplib::Request& req) {
    for (const char* header : {"X-Shopify-Webhook-Id", "Shopify-Webhook-Id", "X-WC-Webhook-Delivery-ID", "X-Request-Id"}) {
        std::string id = req.get_header_value(header);
        if (is_sane_id(id)) return id;
    }
    return generated_id();
}

const std::string& current_request_id() { return t_request_id; }

void set_current_request_id(std::string id) { t_request_id = std::move(id); }

void install_request_log_format() {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<RequestIdFlag>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%e [%l] %v%*");
    spdlog::set_formatter(std::move(formatter));
}

}  // namespace rewardd
