// `rewardd adjust CUSTOMER --points N --reason TEXT [--id ID]`: a manual adjustment, stored as an
// event in the log (so replay reproduces it) and applied at once. With --id a retry (after an
// error, or a run twice by a script) adjusts once.
#include <SQLiteCpp/Statement.h>

#include <iostream>

#include "adapters/neutral/event_json.hpp"
#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "core/customer_key.hpp"
#include "ingest/ledger_applier.hpp"
#include "rewards/applier_wiring.hpp"
#include "net/signature.hpp"
#include "store/erased_ledger.hpp"
#include "store/rule_repository.hpp"

namespace rewardd {
namespace {

constexpr const char* k_manual_shop = "manual";

struct AdjustOptions {
    CliContext context;
    std::string customer;
    std::int64_t points = 0;
    std::string reason;
    std::string id;  // the caller's idempotency key; empty: a new one
};

// The adjustment stored under `event_id` before, when it asked for other points or another
// reason: the same id must not stand for two adjustments.
Result<bool> same_as_stored(SQLite::Database& db, const Event& event) {
    try {
        SQLite::Statement q(db, "SELECT body FROM events WHERE shop_id = ? AND event_id = ?");
        q.bind(1, event.shop_id);
        q.bind(2, event.id);
        if (!q.executeStep()) return false;
        const auto stored = parse_event_json(q.getColumn(0).getString(), event.shop_id);
        return stored && stored->adjustment && event.adjustment && stored->customer && event.customer &&
               stored->adjustment->points == event.adjustment->points &&
               stored->adjustment->reason == event.adjustment->reason &&
               customer_key(event.shop_id, *stored->customer) == customer_key(event.shop_id, *event.customer);
    } catch (const std::exception& e) {
        return make_error(ErrorCode::storage_unavailable, e.what());
    }
}

// Whose books an adjustment credits: the engine keys them by customer_key(shop, customer), so the
// event must name the customer as their key was made. A record without an e-mail is an erased
// customer (the key is their pseudonym) or one a shop knows only by id ("shop:<shop>:customer:<id>").
struct Target {
    std::string shop_id;
    CustomerRef customer;
};

Result<Target> target_of(const CustomerRecord& record) {
    if (!record.email.empty()) return Target{k_manual_shop, {"", record.email}};
    if (is_erasure_pseudonym(record.key)) return Target{k_manual_shop, {"", record.key}};
    constexpr std::string_view prefix = "shop:", middle = ":customer:";
    const auto at = record.key.find(middle);
    if (record.key.starts_with(prefix) && at != std::string::npos && at > prefix.size()) {
        Target t{record.key.substr(prefix.size(), at - prefix.size()), {record.key.substr(at + middle.size()), ""}};
        if (customer_key(t.shop_id, t.customer) == record.key) return t;
    }
    return make_error(ErrorCode::invalid_field, "customer " + record.key + " cannot be credited: no e-mail or shop id");
}

int adjust(const AdjustOptions& o) {
    if (o.points == 0) return fail(make_error(ErrorCode::invalid_field, "--points must not be 0", "--points"));
    if (o.reason.empty()) return fail(make_error(ErrorCode::invalid_field, "--reason is required", "--reason"));
    if (!o.id.empty() && !is_caller_id(o.id)) {
        return fail(make_error(ErrorCode::invalid_field, "--id must be 1-100 of [A-Za-z0-9_.-]", "--id"));
    }
    auto db = o.context.open();
    if (!db) return fail(db.error());
    SqliteStore store(*db);
    const std::string query = normalise_email(o.customer);
    auto found = store.find_customer(query);
    if (!found) return fail(found.error());
    Target target{k_manual_shop, {"", query}};
    if (found->has_value()) {
        auto known = target_of(**found);
        if (!known) return fail(known.error());
        target = std::move(*known);
    } else if (query.find('@') == std::string::npos) {
        return fail(make_error(ErrorCode::not_found, "no customer " + query + " (give an e-mail to create one)"));
    }

    Event event;
    event.shop_id = target.shop_id;
    event.id = "adjust-" + (o.id.empty() ? std::to_string(now_utc()) + "-" + random_token(8) : o.id);
    event.type = EventType::points_adjusted;
    event.occurred_at = now_utc();
    event.customer = target.customer;
    event.adjustment = Adjustment{o.points, o.reason};
    InboxEvent stored{0, event.shop_id, event.id, event_type_id(event.type), "", event.occurred_at,
                      event.occurred_at, event_to_json(event)};
    const std::string key = customer_key(event.shop_id, target.customer);
    const std::string who = key.find('@') == std::string::npos ? key : mask_email(key);
    auto appended = store.append_events({stored});
    if (!appended) return fail(appended.error());
    if (appended->front() == Appended::duplicate) {
        auto same = same_as_stored(**db, event);
        if (!same) return fail(same.error());
        if (!*same) {
            return fail(make_error(ErrorCode::exists_with_different_content,
                                   "adjustment " + o.id + " was already made with other points, reason or customer",
                                   "--id"));
        }
        std::cout << "already adjusted " << who << " by " << o.points << " points (" << event.id << "), unchanged\n";
        return 0;
    }

    // Stored: from here the adjustment is made, whatever follows (the daemon applies it if this
    // command cannot), so a failure below is a warning, not an error inviting a second one.
    auto rules = RuleRepository(*db).load();
    if (rules) {
        LedgerApplier applier(store, std::make_shared<RewardEngine>(*rules));
        // Waiting events of the daemon are applied too: with its hooks, or their cashback is never queued.
        wire_daemon_applier(applier, *db, *rules);
        if (auto r = applier.apply_all(512, now_utc()); !r) rules = r.error();
    }
    if (!rules) {
        std::cerr << "rewardd: warning: adjustment " << event.id << " is stored but not applied yet ("
                  << rules.error().message << "): serve applies it\n";
    }
    std::cout << "adjusted " << who << " by " << o.points << " points (" << event.id << ")\n";
    return 0;
}

}  // namespace

void register_adjust(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<AdjustOptions>();
    auto* cmd = app.add_subcommand("adjust", "manual adjustment, recorded with its reason");
    cmd->add_option("customer", o->customer, "e-mail or internal id")->required();
    cmd->add_option("--points", o->points, "points to add (negative to remove)")->required()->allow_extra_args(false);
    cmd->add_option("--reason", o->reason, "why (kept in the ledger)")->required();
    cmd->add_option("--id", o->id, "adjustment id: the same id never adjusts twice (default: a new one)");
    o->context.add_options(*cmd);
    cmd->callback([o, &exit_code] { exit_code = adjust(*o); });
}

}  // namespace rewardd
