// Batch application of stored events.
#include "ledger_applier.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "adapters/neutral/event_json.hpp"
#include "core/customer_key.hpp"
#include "core/customer_walk.hpp"
#include "core/redemption.hpp"
#include "core/tier_timeline.hpp"
#include "core/wakeup_kinds.hpp"

namespace rewardd {
namespace {

std::string order_customer(const std::vector<Event>& events) {
    for (const auto& e : events) {
        if (e.order) return customer_key(e.shop_id, e.order->customer);
    }
    return {};
}

// The referral code an order carries (any snapshot of it), when no decision is recorded yet.
std::optional<std::string> undecided_referral_code(const std::vector<Event>& events,
                                                   const std::vector<LedgerEntry>& existing) {
    for (const auto& e : existing) {
        if (e.kind == EntryKind::referral_reward || e.kind == EntryKind::referral_refused) return std::nullopt;
    }
    for (const auto& e : events) {
        if (e.order && e.order->referral_code && !e.order->referral_code->empty()) return e.order->referral_code;
    }
    return std::nullopt;
}

}  // namespace

Wakeup code_expiry_wakeup(const std::string& shop_id, const std::string& code, Timestamp expires_at) {
    return {std::string(k_code_wakeup_prefix) + shop_id, code, expires_at};
}

Result<ApplyStats> LedgerApplier::apply_next(std::size_t limit, Timestamp now) {
    ApplyStats stats;
    auto done = in_batch([&]() -> Result<bool> {
        auto cursor = m_store.applied_cursor();
        if (!cursor) return cursor.error();
        auto events = m_store.events_after(*cursor, limit);
        if (!events) return events.error();
        if (events->empty()) return true;
        // The batch's steps: an order-less event (a registration, an adjustment) where it came, each
        // order once where its first event came, however many of its events the batch holds.
        std::set<OrderRef> seen;
        std::vector<std::pair<const InboxEvent*, OrderRef>> steps;  // (the event, or null and the order)
        for (const auto& stored : *events) {
            if (stored.order_id.empty()) {
                steps.emplace_back(&stored, OrderRef{});
            } else if (OrderRef order{stored.shop_id, stored.order_id}; seen.insert(order).second) {
                steps.emplace_back(nullptr, std::move(order));
            }
        }
        if (m_batch_order == BatchOrder::order_id) {  // before v9: order-less events first, then orders by id
            const auto orders = std::stable_partition(steps.begin(), steps.end(), [](const auto& s) { return s.first; });
            std::sort(orders, steps.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        }
        for (const auto& [other, order] : steps) {
            if (auto r = other ? apply_other(*other, now, stats) : apply_order(order, now, stats); !r) return r;
        }
        stats.events = events->size();
        return m_store.set_applied_cursor(events->back().seq, now);
    });
    forget_batch();
    if (!done) {
        m_referrals.clear();
        return done.error();
    }
    return stats;
}

Result<ApplyStats> LedgerApplier::release_due(std::size_t limit, Timestamp now) {
    ApplyStats stats;
    auto done = in_batch([&]() -> Result<bool> {
        auto due = m_store.due_wakeups(now, limit);
        if (!due) return due.error();
        for (const auto& w : *due) {
            auto r = w.shop_id == k_customer_wakeup_shop          ? walk_customer_entries(w.order_id, now, stats)
                     : w.shop_id.rfind(k_code_wakeup_prefix, 0) == 0 ? release_expired_code(w, now, stats)
                                                                   : apply_order({w.shop_id, w.order_id}, now, stats);
            if (!r) return r;
        }
        return true;
    });
    forget_batch();
    if (!done) {
        m_referrals.clear();
        return done.error();
    }
    return stats;
}

Result<ApplyStats> LedgerApplier::apply_all(std::size_t batch, Timestamp now) {
    ApplyStats total;
    for (;;) {
        auto step = apply_next(batch, now);
        if (!step) return step.error();
        total.events += step->events;
        total.entries_written += step->entries_written;
        total.conflicts += step->conflicts;
        if (step->events == 0) return total;
    }
}

Result<bool> LedgerApplier::apply_order(const OrderRef& order, Timestamp now, ApplyStats& stats) {
    auto stored = m_store.order_events(order.first, order.second);
    if (!stored) return stored.error();
    std::vector<Event> events = parse_order_events(*stored);
    std::optional<Timestamp> look_again;
    for (const auto& prepare : m_order_preparers) {
        auto wait = prepare(events, now);
        if (!wait) return wait.error();
        if (*wait && (!look_again || **wait < *look_again)) look_again = *wait;
    }
    if (look_again) return m_store.set_wakeup({order.first, order.second, *look_again});
    auto existing = order_entries(order);
    if (!existing) return existing.error();
    // The customer's other orders decide the tier this order earns at.
    const std::string customer = order_customer(events);
    CustomerHistory history;
    if (!customer.empty()) {
        auto entries = customer_ledger(customer);
        if (!entries) return entries.error();
        history = history_for_order(**entries, order.first + ":order:" + order.second);
        if (const auto code = undecided_referral_code(events, **existing)) {
            auto referrer = resolve_referrer(order.first, *code);
            if (!referrer) return referrer.error();
            history.referrer = *referrer;
        }
    }
    const auto outcome = m_engine->apply_order(events, **existing, history, now);
    for (const auto& key : outcome.conflicts) {
        ++stats.conflicts;
        spdlog::warn("engine: exists_with_different_content key={} (kept the recorded entry)", key);
    }
    for (const auto& refund : outcome.unweighed_refunds) {
        spdlog::warn("engine: refund {} of order {} shop={} is in a currency the order tells no rate for "
                     "(nothing taken back; see docs/shopify.md, Refunds in the buyer's currency)",
                     refund, order.second, order.first);
    }
    // The order's customer, a referrer the order rewarded, and whoever's code it used: each walked
    // once, after everything the order wrote.
    std::set<std::string> customers;
    if (!customer.empty()) customers.insert(customer);
    for (const auto& entry : outcome.new_entries) {
        if (auto r = write(entry, now, stats); !r) return r;
        if (!entry.customer.empty()) customers.insert(entry.customer);
    }
    if (auto r = commit_used_codes(events, now, stats, customers); !r) return r;
    for (const auto& c : customers) {
        if (auto r = walk_customer_entries(c, now, stats); !r) return r;
    }
    if (outcome.next_release_at) return m_store.set_wakeup({order.first, order.second, *outcome.next_release_at});
    return m_store.clear_wakeup(order.first, order.second);
}

std::vector<Event> LedgerApplier::parse_order_events(const std::vector<InboxEvent>& stored) {
    std::vector<Event> events;
    events.reserve(stored.size());
    for (const auto& s : stored) {
        const ParsedEvent* parsed = m_parsed.find(s.seq, m_batch_number);
        if (!parsed || parsed->body != s.body) {
            ParsedEvent fresh{s.body, std::nullopt, {}};
            auto event = parse_event_json(s.body, s.shop_id);
            if (event) {
                fresh.event = std::move(*event);
            } else {
                fresh.error = event.error().message;
            }
            parsed = &m_parsed.keep(s.seq, std::move(fresh), m_batch_number);
        }
        if (!parsed->event) {
            spdlog::error("engine: stored event unreadable seq={} error={}", s.seq, parsed->error);
            continue;
        }
        events.push_back(*parsed->event);
    }
    return events;
}

Result<bool> LedgerApplier::commit_used_codes(const std::vector<Event>& events, Timestamp now, ApplyStats& stats,
                                              std::set<std::string>& to_walk) {
    if (!m_code_lookup) return true;
    for (const auto& use : code_uses(events)) {
        auto issued = m_code_lookup(use.shop_id, use.code);
        if (!issued) return issued.error();
        if (!*issued) continue;  // the shop's own coupon
        auto entries = customer_ledger((*issued)->customer);
        if (!entries) return entries.error();
        auto commit =
            commit_redemption(use.shop_id, (*issued)->redemption_id, **entries, use.order_id, use.at, use.event_id);
        if (!commit) {
            ++stats.conflicts;
            spdlog::warn("engine: {} shop={} order={} code={} redemption={} (no commit written)",
                         error_id(commit.error().code), use.shop_id, use.order_id, use.code, (*issued)->redemption_id);
            continue;
        }
        if (auto r = write(*commit, now, stats); !r) return r;
        if (commit->available_delta != 0) {  // a released code used after all: its points are taken again
            spdlog::warn("engine: code used after its release shop={} order={} code={} points={} (taken again)",
                         use.shop_id, use.order_id, use.code, -commit->available_delta);
        }
        // A commit is the customer's activity (inactivity expiry starts again) and, for a released
        // code, takes points: their walk, its wake-up and its kept outlook follow it.
        to_walk.insert(commit->customer);
    }
    return true;
}

Result<bool> LedgerApplier::release_expired_code(const Wakeup& wakeup, Timestamp now, ApplyStats& stats) {
    const std::string shop_id = wakeup.shop_id.substr(k_code_wakeup_prefix.size());
    if (auto c = m_store.clear_wakeup(wakeup.shop_id, wakeup.order_id); !c) return c.error();
    if (!m_code_lookup) return true;
    auto issued = m_code_lookup(shop_id, wakeup.order_id);
    if (!issued) return issued.error();
    if (!*issued || !(*issued)->expires_at) {
        spdlog::warn("engine: code expiry for an unknown or unexpiring code shop={} code={}", shop_id, wakeup.order_id);
        return true;
    }
    const IssuedCode& code = **issued;
    if (*code.expires_at > now) return m_store.set_wakeup(code_expiry_wakeup(shop_id, wakeup.order_id, *code.expires_at));
    auto entries = customer_ledger(code.customer);
    if (!entries) return entries.error();
    auto release = release_expired_redemption(shop_id, code.redemption_id, **entries, *code.expires_at, now);
    if (!release) {
        spdlog::warn("engine: {} shop={} code={} (nothing released)", error_id(release.error().code), shop_id,
                     wakeup.order_id);
        return true;
    }
    if (!*release) return true;  // an order used it: the commit stands
    if (auto r = write(**release, now, stats); !r) return r;
    return walk_customer_entries(code.customer, now, stats);
}

// Only an order carrying a code with no decision recorded yet asks.
Result<std::optional<Referrer>> LedgerApplier::resolve_referrer(const std::string& shop_id, const std::string& code) {
    auto found = m_referrals.find(m_store, shop_id, code);
    if (!found) return found.error();
    if (!*found) return std::optional<Referrer>{};
    // An erased referrer's record has no e-mail left; their former one still tells a self-referral.
    std::string email = (*found)->email;
    for (const auto& former : (*found)->former_keys) {
        if (email.empty() && former.find('@') != std::string::npos) email = former;
    }
    return std::optional<Referrer>{Referrer{(*found)->key, email}};
}

Result<bool> LedgerApplier::walk_customer_entries(const std::string& customer, Timestamp now, ApplyStats& stats) {
    auto entries = customer_ledger(customer);
    if (!entries) return entries.error();
    const auto outcome = walk_customer(m_engine->rules(), customer, **entries, now);
    const std::size_t conflicts = stats.conflicts;
    for (const auto& entry : outcome.new_entries) {
        if (auto r = write(entry, now, stats); !r) return r;
    }
    // The outlook holds for the ledger as the walk saw it, its own entries written: not when one
    // of them met a recorded entry of other content. Without expiry there is none to keep.
    if (stats.conflicts == conflicts && m_engine->rules().expiry_on()) {
        auto kept = m_store.keep_outlook(customer, {outcome.expiring, now, m_engine->rules().latest().version});
        if (!kept) return kept;
    }
    const std::string walk_shop(k_customer_wakeup_shop);
    if (outcome.next_check_at) return m_store.set_wakeup({walk_shop, customer, *outcome.next_check_at});
    return m_store.clear_wakeup(walk_shop, customer);
}

Result<bool> LedgerApplier::apply_other(const InboxEvent& stored, Timestamp now, ApplyStats& stats) {
    auto event = parse_event_json(stored.body, stored.shop_id);
    if (!event) {
        spdlog::error("engine: stored event unreadable seq={} error={}", stored.seq, event.error().message);
        return true;
    }
    if (event->type == EventType::points_adjusted) {
        const LedgerEntry entry = m_engine->adjustment_entry(*event);
        if (auto r = write(entry, now, stats); !r || entry.customer.empty()) return r;
        return walk_customer_entries(entry.customer, now, stats);
    }
    if (event->type == EventType::customer_created && event->customer) {
        const auto key = customer_key(event->shop_id, *event->customer);
        if (!key.empty()) {
            auto r = m_store.remember_customer(key, event->customer->email, event->occurred_at);
            if (!r) return r.error();
        }
    }
    return true;
}

Result<const std::vector<LedgerEntry>*> LedgerApplier::customer_ledger(const std::string& customer) {
    if (const auto* kept = m_ledgers.find(customer, m_batch_number)) return kept;
    auto entries = m_store.customer_entries(customer);
    if (!entries) return entries.error();
    return &m_ledgers.keep(customer, std::move(*entries), m_batch_number);
}

Result<const std::vector<LedgerEntry>*> LedgerApplier::order_entries(const OrderRef& order) {
    if (const auto* kept = m_order_entries.find(order, m_batch_number)) return kept;
    auto entries = m_store.order_entries(order.first, order.second);
    if (!entries) return entries.error();
    return &m_order_entries.keep(order, std::move(*entries), m_batch_number);
}

Result<bool> LedgerApplier::in_batch(const std::function<Result<bool>()>& work) {
    ++m_batch_number;
    std::optional<LedgerMark> end;
    auto done = m_store.write_transaction([&]() -> Result<bool> {
        auto start = m_store.ledger_mark();
        if (!start) return start.error();
        if (!*start || *start != m_ledgers_mark) drop_kept_ledgers();
        auto worked = work();
        if (!worked) return worked;
        auto after = m_store.ledger_mark();
        if (!after) return after.error();
        end = *after;
        return worked;
    });
    m_parsed.trim();
    if (done && end) {
        m_ledgers_mark = end;
        m_ledgers.trim();
        m_order_entries.trim();
    } else {  // rolled back: what was kept may hold entries that are not in the store
        drop_kept_ledgers();
    }
    return done;
}

void LedgerApplier::shed_kept() {
    m_ledgers.release();
    m_order_entries.release();
    m_parsed.release();
    m_ledgers_mark.reset();
    m_referrals.clear();
}

void LedgerApplier::drop_kept_ledgers() {
    m_ledgers.clear();
    m_order_entries.clear();
    m_ledgers_mark.reset();
}

void LedgerApplier::forget_batch() {
    m_batch_customers.clear();
}

Result<bool> LedgerApplier::write(const LedgerEntry& entry, Timestamp now, ApplyStats& stats) {
    if (entry.customer.empty()) return true;
    if (m_batch_customers.insert(entry.customer).second) {
        auto customer = m_store.remember_customer(
            entry.customer, entry.customer.find('@') != std::string::npos ? entry.customer : "", entry.effective_at);
        if (!customer) return customer.error();
    }
    auto written = m_store.append_entry(entry, now);
    if (!written) return written.error();
    if (*written == EntryWrite::inserted) {
        ++stats.entries_written;
        // A ledger already read stays what the store would answer now.
        if (auto* kept = m_ledgers.peek(entry.customer)) {
            kept->push_back(entry);
            m_ledgers.grew(1);
        }
        if (auto* kept = m_order_entries.peek({entry.shop_id, entry.order_id})) {
            kept->push_back(entry);
            m_order_entries.grew(1);
        }
        if (m_entry_hook) {
            if (auto r = m_entry_hook(entry, now); !r) return r;
        }
    }
    if (*written == EntryWrite::conflict) {
        ++stats.conflicts;
        spdlog::warn("engine: exists_with_different_content key={} (not applied)", entry.key);
    }
    return true;
}

}  // namespace rewardd
