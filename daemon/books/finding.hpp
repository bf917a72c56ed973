// What reconcile reports: one disagreement between the ledger, the outbox and the platforms, with
// the entries or rewards involved, and whether `reconcile --fix` may repair it. Rendered as a
// table for people and as JSON (stable ids, docs/cli.md) for scripts. No storage, no I/O.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/ledger_entry.hpp"
#include "outbox/reward_deliverer.hpp"

namespace rewardd::books {

enum class FindingKind {
    entry_missing,            // replay writes an entry the ledger does not have
    entry_extra,              // the ledger has an entry replay does not write
    entry_changed,            // same key, other content
    reward_not_queued,        // a reward entry (redemption, due cashback) without its outbox grant
    reward_parked,            // the grant's delivery was given up on; `outbox retry` after fixing why
    reward_missing,           // delivered, but the platform no longer has it
    reward_differs,           // on the platform with another amount, customer or usage limit
    reward_trashed,           // delivered and unused, but the shop owner moved it to the trash
    reward_duplicated,        // paid more than once: store credit transactions carrying one grant
    reward_unknown,           // a code with rewardd's prefix on the platform that rewardd never issued
    reward_used_not_redeemed, // the platform says the code was used; the ledger has no redeem_commit
    platform_unreachable,     // the platform could not be listed: nothing about it was checked
};

const char* finding_kind_id(FindingKind kind);

// What `--fix` does for a finding; only the safe repairs exist.
struct Repair {
    enum class Action { enqueue_grant, requeue_delivery, commit_redemption };
    Action action = Action::enqueue_grant;
    RewardGrant grant;            // enqueue_grant: rebuilt from its ledger entry
    std::int64_t outbox_id = 0;   // requeue_delivery
    std::string reserve_key;      // commit_redemption: the reservation whose code was used
};

struct Finding {
    FindingKind kind = FindingKind::entry_missing;
    std::string shop_id;
    std::string subject;   // the ledger key, grant id or platform code concerned
    std::string detail;    // one sentence a person can act on
    nlohmann::json items = nlohmann::json::array();  // the entries / rewards involved
    std::optional<Repair> repair;  // set when `--fix` may repair it
};

nlohmann::json findings_json(const std::vector<Finding>& findings);
// One line per finding: kind, shop, subject, detail; "fixable" marked.
void print_findings_table(std::ostream& out, const std::vector<Finding>& findings);

}  // namespace rewardd::books
