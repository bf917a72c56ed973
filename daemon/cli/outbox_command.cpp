// `rewardd outbox list [--status S] [--json]` and `rewardd outbox retry ID`: what the outbox holds
// (pending, delivered, parked with the reason) and an operator's retry of a parked item. The
// running daemon's worker picks a retried item up within its poll interval.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "core/customer_key.hpp"
#include "core/money.hpp"
#include "outbox/outbox_store.hpp"
#include "outbox/outbox_worker.hpp"

namespace rewardd {
namespace {

struct ListOptions {
    CliContext context;
    std::string status;
    bool json = false;
};

std::string amount_text(const RewardGrant& g) {
    return format_minor(g.amount_minor, currency_exponent(g.currency).value_or(2)) + " " + g.currency;
}

nlohmann::json item_json(const OutboxItem& item) {
    const RewardGrant& g = item.grant;
    return {{"id", item.id}, {"status", outbox_status_id(item.status)}, {"attempts", item.attempts},
            {"grant_id", g.grant_id}, {"shop", g.shop_id}, {"kind", reward_kind_id(g.kind)}, {"code", g.code},
            {"amount_minor", g.amount_minor}, {"currency", g.currency}, {"customer", mask_email(g.customer_email)},
            {"next_attempt_at_ms", item.next_attempt_at_ms}, {"last_error", item.last_error},
            {"platform_ref", item.platform_ref}, {"created_at", format_timestamp(item.created_at)},
            {"updated_at", format_timestamp(item.updated_at)}};
}

int list_items(const ListOptions& o) {
    std::optional<OutboxStatus> status;
    if (!o.status.empty()) {
        status = parse_outbox_status(o.status);
        if (!status) {
            return fail(make_error(ErrorCode::invalid_field, "--status must be pending, delivered or parked", "--status"));
        }
    }
    auto db = o.context.open();
    if (!db) return fail(db.error());
    auto items = OutboxStore(*db).list(status);
    if (!items) return fail(items.error());
    if (o.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : *items) out.push_back(item_json(item));
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    if (items->empty()) std::cout << "outbox is empty\n";
    for (const auto& item : *items) {
        std::cout << item.id << "\t" << outbox_status_id(item.status) << "\tattempts=" << item.attempts << "\t"
                  << item.grant.shop_id << "\t" << reward_kind_id(item.grant.kind) << " " << item.grant.code << "\t"
                  << amount_text(item.grant) << "\t" << mask_email(item.grant.customer_email);
        if (!item.platform_ref.empty()) std::cout << "\tref=" << item.platform_ref;
        if (!item.last_error.empty()) std::cout << "\t" << item.last_error;
        std::cout << "\n";
    }
    return 0;
}

int retry_item(const CliContext& context, std::int64_t id) {
    auto db = context.open();
    if (!db) return fail(db.error());
    OutboxStore store(*db);
    auto found = store.find(id);
    if (!found) return fail(found.error());
    if (!found->has_value()) return fail(make_error(ErrorCode::not_found, "no outbox item " + std::to_string(id)));
    if ((*found)->status == OutboxStatus::delivered) {
        return fail(make_error(ErrorCode::invalid_field,
                               "outbox item " + std::to_string(id) + " was already delivered (" +
                                   (*found)->platform_ref + ")", "ID"));
    }
    auto requeued = store.requeue(id, unix_ms_now(), now_utc());
    if (!requeued) return fail(requeued.error());
    std::cout << "outbox item " << id << " queued for delivery\n";
    return 0;
}

}  // namespace

void register_outbox(CLI::App& app, int& exit_code) {
    auto* outbox = app.add_subcommand("outbox", "rewards waiting for, or parked from, delivery to shops");
    outbox->require_subcommand(1);

    auto list = std::make_shared<ListOptions>();
    auto* list_cmd = outbox->add_subcommand("list", "list outbox items with status, attempts and last error");
    list_cmd->add_option("--status", list->status, "pending | delivered | parked");
    list_cmd->add_flag("--json", list->json, "JSON output");
    list->context.add_options(*list_cmd);
    list_cmd->callback([list, &exit_code] { exit_code = list_items(*list); });

    auto retry_context = std::make_shared<CliContext>();
    auto retry_id = std::make_shared<std::int64_t>(0);
    auto* retry_cmd = outbox->add_subcommand("retry", "deliver a parked item again (attempts start over)");
    retry_cmd->add_option("id", *retry_id, "outbox item id (from `rewardd outbox list`)")->required();
    retry_context->add_options(*retry_cmd);
    retry_cmd->callback([retry_context, retry_id, &exit_code] { exit_code = retry_item(*retry_context, *retry_id); });
}

}  // namespace rewardd
