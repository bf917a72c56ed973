// `rewardd report`: the bookkeeper's figures for a period (definitions in docs/report.md):
// members, repeat-purchase rate and average order value of members against everyone else, points
// issued / redeemed / expired, redemption rate, outstanding liability in points and in currency
// with a journal to post, tiers, referrals, campaigns against the same length of time before them,
// and cashback against the revenue of the orders that earned it. build_report is pure.
#pragma once

#include <SQLiteCpp/Database.h>

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "core/ledger_entry.hpp"
#include "core/result.hpp"
#include "core/rules.hpp"

namespace rewardd::books {

struct ReportRequest {
    Timestamp from = 0;
    Timestamp to = std::numeric_limits<Timestamp>::max();
    std::string shop_id;   // empty: every shop
    std::string currency;  // what points are valued in; empty: no money values for points
};

// An order as the report counts it: when it was first paid and its total then.
struct OrderFact {
    std::string shop_id;
    std::string order_id;
    std::string customer;  // customer key; empty for an anonymous guest
    Timestamp paid_at = 0;
    std::string currency;
    std::int64_t total_minor = 0;
};

using PerCurrency = std::map<std::string, std::int64_t>;

struct GroupFigures {
    std::int64_t customers = 0;         // with at least one order in the period
    std::int64_t repeat_customers = 0;  // with two or more
    PerCurrency orders;                 // by the order's currency
    PerCurrency revenue_minor;
};

struct WindowFigures {
    Timestamp from = 0, to = 0;  // [from, to)
    std::int64_t orders = 0;
    PerCurrency revenue_minor;
    std::int64_t points_earned = 0;
    PerCurrency cashback_minor;
};

struct CampaignFigures {
    std::string id;
    WindowFigures during, before;
};

// Referrals by what happened to them in the period, each counted once per referee.
struct ReferralFigures {
    std::int64_t referred = 0;   // accepted: the referee's first order paid with a known code
    std::int64_t converted = 0;  // the rewards released: that order is past its pending period
    std::int64_t reversed = 0;   // the rewards taken back: that order cancelled or refunded before
    std::int64_t refused = 0;    // codes refused (unknown, their own, not a first order, referred before)
};

struct JournalLine {
    std::string movement;  // accrual, reversal, redemption, expiry
    std::string debit, credit;
    std::int64_t points = 0;
    std::int64_t amount_minor = 0;  // at the redemption rate, in the report currency
};

struct Report {
    ReportRequest request;
    std::int64_t members = 0, active_members = 0;
    GroupFigures member_orders, other_orders;
    std::int64_t points_issued = 0, points_redeemed = 0, points_expired = 0, points_reversed = 0;
    std::int64_t liability_available = 0, liability_pending = 0;
    std::int64_t liability_minor = 0;  // (available + pending) at the redemption rate
    std::vector<JournalLine> journal;
    std::map<std::string, std::int64_t> tiers;  // members per tier at the end ("" = none)
    ReferralFigures referrals;
    std::vector<CampaignFigures> campaigns;
    PerCurrency cashback_minor, cashback_order_revenue_minor;
};

Report build_report(const std::vector<OrderFact>& orders, const std::vector<LedgerEntry>& entries,
                    const RuleBook& rules, const ReportRequest& request);

// Reads the paid orders from the stored events and the ledger (erased customers under their
// pseudonym), then builds the report.
Result<Report> load_report(SQLite::Database& db, const RuleBook& rules, const ReportRequest& request);

// Redemption rate in basis points of the points issued (0 when none were issued).
std::int64_t redemption_rate_bp(const Report& report);

}  // namespace rewardd::books
