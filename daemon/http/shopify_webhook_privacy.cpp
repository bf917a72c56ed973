// The privacy worker thread. Requests are durable before the webhook is answered, so a crash
// only delays them; each is marked done (its body blanked) in the same place it is carried out.
#include "shopify_webhook_privacy.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "adapters/shopify/webhook_mapper.hpp"
#include "core/customer_key.hpp"
#include "net/pseudonym.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {
namespace {

std::string safe_name(std::string text) {
    for (char& c : text) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
    }
    return text.substr(0, 64);
}

}  // namespace

ShopifyPrivacyWorker::ShopifyPrivacyWorker(std::shared_ptr<SQLite::Database> db, std::string data_dir,
                                           std::function<Timestamp()> clock)
    : m_db(std::move(db)), m_data_dir(std::move(data_dir)), m_clock(std::move(clock)) {}

ShopifyPrivacyWorker::~ShopifyPrivacyWorker() { stop(); }

void ShopifyPrivacyWorker::start() {
    m_signalled = true;
    m_thread = std::thread([this] { run(); });
}

void ShopifyPrivacyWorker::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void ShopifyPrivacyWorker::notify() {
    {
        std::lock_guard lock(m_mutex);
        m_signalled = true;
    }
    m_wake.notify_all();
}

void ShopifyPrivacyWorker::run() {
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, std::chrono::seconds(30), [this] { return m_stopping || m_signalled; });
            if (m_stopping) return;
            m_signalled = false;
        }
        run_pending();
    }
}

std::size_t ShopifyPrivacyWorker::run_pending() {
    PrivacyStore store(*m_db);
    auto pending = store.pending(100);
    if (!pending) {
        spdlog::warn("shopify: cannot read privacy requests error={}", pending.error().message);
        return 0;
    }
    for (const auto& request : *pending) {
        auto done = carry_out(request);
        if (!done) {
            // Storage trouble is retried on the next wake-up; a request that cannot be read never will be.
            spdlog::error("shopify: privacy request failed shop={} topic={} request={} error={}", request.shop_id,
                          request.topic, request.id, done.error().message);
            if (done.error().code == ErrorCode::storage_unavailable) continue;
        }
        store.finish(request.id, done ? "done" : "failed", done ? *done : done.error().message, m_clock());
    }
    return pending->size();
}

Result<std::string> ShopifyPrivacyWorker::carry_out(const PrivacyRequest& request) {
    if (request.topic == "shop/redact") return redact_shop(request);
    if (request.topic == "customers/data_request") return export_data(request);
    auto subject = shopify::read_privacy_subject(request.body);
    if (!subject) return subject.error();
    auto erased = PrivacyStore(*m_db).erase_customer({request.shop_id, subject->customer_id, subject->email},
                                                     "shopify customers/redact", make_erasure_pseudonym, m_clock());
    if (!erased) return erased.error();
    spdlog::info("shopify: customer erased shop={} customer={} request={} events_scrubbed={}", request.shop_id,
                 mask_email(subject->email), request.id, erased->events_scrubbed);
    return "erased; events scrubbed: " + std::to_string(erased->events_scrubbed);
}

Result<std::string> ShopifyPrivacyWorker::export_data(const PrivacyRequest& request) {
    auto subject = shopify::read_privacy_subject(request.body);
    if (!subject) return subject.error();
    auto data = PrivacyStore(*m_db).export_customer({request.shop_id, subject->customer_id, subject->email});
    if (!data) return data.error();
    (*data)["request"] = {{"topic", request.topic}, {"webhook_id", request.webhook_id},
                          {"data_request_id", subject->request_id}, {"orders_requested", subject->order_ids}};
    const auto dir = std::filesystem::path(m_data_dir) / "exports";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const std::string id = subject->request_id.empty() ? request.webhook_id : subject->request_id;
    const auto path = dir / ("shopify-" + safe_name(request.shop_id) + "-data-request-" + safe_name(id) + ".json");
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << data->dump(2) << "\n";
        if (!out) return make_error(ErrorCode::storage_unavailable, "cannot write " + path.string());
    }
    ::chmod(path.c_str(), 0600);  // personal data: readable by the daemon's user only
    spdlog::info("shopify: customer data export written shop={} customer={} path={}", request.shop_id,
                 mask_email(subject->email), path.string());
    return "exported to " + path.string();
}

Result<std::string> ShopifyPrivacyWorker::redact_shop(const PrivacyRequest& request) {
    auto erased = PrivacyStore(*m_db).erase_shop_customers(request.shop_id, make_erasure_pseudonym, m_clock());
    if (!erased) return erased.error();
    ShopRegistry registry(m_db);
    auto found = registry.find(request.shop_id);
    if (!found) return found.error();
    if (*found) {
        Shop shop = **found;
        for (const char* key : {"client_secret", "previous_client_secret", "token", "access_token",
                                "access_token_expires_at", "client_id"}) {
            shop.settings.erase(key);
        }
        shop.settings["redacted_at"] = format_timestamp(m_clock());
        if (auto saved = registry.save(shop); !saved) return saved.error();
    }
    spdlog::info("shopify: shop redacted shop={} customers_erased={} events_scrubbed={}", request.shop_id,
                 erased->pseudonyms.size(), erased->events_scrubbed);
    return "shop redacted; customers erased: " + std::to_string(erased->pseudonyms.size());
}

}  // namespace rewardd
