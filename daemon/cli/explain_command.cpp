// `rewardd explain CUSTOMER [--json] [--entries]`: the balance told as a story (books/balance_story),
// then, with --entries, every ledger entry behind it with the event and rule version that produced
// it and the running balance after it. --json is the stable entry list (docs/cli.md).
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <iomanip>
#include <iostream>

#include "books/balance_story.hpp"
#include "books/story_ledger.hpp"
#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "core/customer_walk.hpp"
#include "store/customer_outlook.hpp"
#include "store/rule_repository.hpp"
#include "views/customer_view.hpp"

namespace rewardd {
namespace {

struct ExplainOptions {
    CliContext context;
    std::string customer;
    bool json = false;
    bool entries = false;
};

std::string describe(const nlohmann::json& e) {
    const std::string kind = e["kind"];
    const std::string order = e["order"];
    if (kind == "earn_pending" && !e["refers_to"].get<std::string>().empty()) {  // a restore's re-earn
        return "order " + order + " line " + e["line"].get<std::string>() + ": " + e["reason"].get<std::string>();
    }
    if (kind == "earn_pending") {
        return "earned on order " + order + " line " + e["line"].get<std::string>() + ": " +
               std::to_string(e["base_minor"].get<std::int64_t>()) + " minor " + e["currency"].get<std::string>() +
               " at " + e["rate"].get<std::string>() + " (rules v" + std::to_string(e["rule_version"].get<int>()) +
               ", " + e["rounding"].get<std::string>() + "), pending";
    }
    if (kind == "release") return "order " + order + " points became available (" + e["reason"].get<std::string>() + ")";
    if (kind == "claw_back") {
        return "order " + order + " line " + e["line"].get<std::string>() + " " + e["reason"].get<std::string>() +
               ": refunded share " + e["rate"].get<std::string>();
    }
    if (kind == "reverse") return "order " + order + ": " + e["reason"].get<std::string>() + ", award reversed";
    if (kind == "adjust") return "manual adjustment: " + e["reason"].get<std::string>();
    // Every other kind (redemptions, expiries, cashback, referrals, tiers, negative balances) by
    // its own name: "reserve: …", "tier change: none -> silver".
    std::string label = kind;
    std::replace(label.begin(), label.end(), '_', ' ');
    return label + (order.empty() ? "" : " on order " + order) + ": " + e["reason"].get<std::string>();
}

// One line of the story to stdout. Written as told: a long ledger's story is megabytes, and a line
// freed once written leaves its memory for the next instead of new pages for each.
void print_line(const std::string& line) {
    std::cout.write(line.data(), static_cast<std::streamsize>(line.size())).put('\n');
}

// explain reads much of the file once (a long ledger is megabytes): mapped, SQLite reads its pages
// in place instead of a pread and a page-cache copy each. Read-only use, gone with the command;
// without it only speed is lost.
void map_for_reading(SQLite::Database& db) {
    try {
        db.exec("PRAGMA mmap_size = 268435456");
    } catch (const std::exception&) {
    }
}

// The story alone, from explain's own read of the ledger (books/story_ledger): the common case,
// and the one kept fast for a customer with tens of thousands of entries. Under expiry, the
// points still to expire come from the outlook the customer's last walk kept, while it holds for
// the ledger read (one read transaction for both); otherwise (nullopt) the caller walks the
// whole ledger.
std::optional<int> tell_story(SQLite::Database& db, const CustomerRecord& customer, const RuleBook& rules) {
    SQLite::Transaction reading(db);  // rolled back on return: it only reads
    std::vector<ExpiringPoints> expiring;
    if (rules.expiry_on()) {
        auto kept = kept_expiring(db, customer.key, rules.latest().version, now_utc());
        if (!kept) return fail(kept.error());
        if (!*kept) return std::nullopt;
        expiring = std::move(**kept);
    }
    auto ledger = books::read_story_ledger(db, customer.key);
    if (!ledger) return fail(ledger.error());
    const std::string& who = customer.email.empty() ? customer.key : customer.email;
    books::tell_balance_story(who, ledger->balance, ledger->entries, print_line);
    for (const auto& line : books::balance_outlook(ledger->tier, expiring)) print_line(line);
    return 0;
}

// --json, --entries, or expiring points no kept outlook tells (the walk needs every field of every
// entry).
int explain_view(const ExplainOptions& o, SqliteStore& store, const RuleBook& rules) {
    auto view = load_customer_view(store, o.customer);
    if (!view) return fail(view.error());
    if (o.json) {
        auto doc = explain_json(*view);
        doc["tier"] = recorded_tier(view->entries);
        add_expiring_json(doc, rules, *view, now_utc());
        std::cout << doc.dump(2) << "\n";
        return 0;
    }
    const std::string who = view->customer.email.empty() ? view->customer.key : view->customer.email;
    books::tell_balance_story(who, view->balance, view->entries, print_line);
    const auto expiring = upcoming_expiries(rules, *view, now_utc());
    for (const auto& line : books::balance_outlook(recorded_tier(view->entries), expiring)) print_line(line);
    if (!o.entries) return 0;
    const auto doc = explain_json(*view);
    std::cout << "\nentries:\n";
    for (const auto& e : doc["entries"]) {
        std::cout << e["effective_at"].get<std::string>() << "  " << std::setw(7) << std::showpos
                  << e["points"].get<std::int64_t>() << std::noshowpos << "  " << describe(e)
                  << "  [event " << e["event"].get<std::string>() << "; balance "
                  << e["available_after"].get<std::int64_t>() << " + " << e["pending_after"].get<std::int64_t>()
                  << " pending]\n";
    }
    return 0;
}

int explain(const ExplainOptions& o) {
    auto db = o.context.open();
    if (!db) return fail(db.error());
    map_for_reading(**db);
    SqliteStore store(*db);
    auto customer = find_customer_record(store, o.customer);
    if (!customer) return fail(customer.error());
    auto rules = RuleRepository(*db).load();
    if (!rules) return fail(rules.error());
    if (!o.json && !o.entries) {
        if (const auto told = tell_story(**db, *customer, *rules)) return *told;
    }
    return explain_view(o, store, *rules);
}

}  // namespace

void register_explain(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<ExplainOptions>();
    auto* cmd = app.add_subcommand("explain", "why a customer has their balance: the story of every ledger entry");
    cmd->add_option("customer", o->customer, "e-mail or internal id")->required();
    cmd->add_flag("--json", o->json, "JSON output");
    cmd->add_flag("--entries", o->entries, "every ledger entry with the running balance, after the story");
    o->context.add_options(*cmd);
    cmd->callback([o, &exit_code] { exit_code = explain(*o); });
}

}  // namespace rewardd
