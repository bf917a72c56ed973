// Rules file reading with toml++: one small handler per key, tables and arrays of tables read
// by the same walker, so every error names file, key and line. Decimals are written as strings
// or integers ("1.5", 2) and parsed exactly; a TOML float is refused rather than rounded.
#include "rules_file.hpp"

#include <toml++/toml.h>

#include <functional>
#include <map>
#include <sstream>

#include "core/earning_plan.hpp"
#include "toml_reader.hpp"

namespace rewardd {
namespace {

template <class T>
using Handler = std::function<std::optional<Error>(const TomlReader&, const std::string&, const toml::node&, T&)>;
template <class T>
using Handlers = std::map<std::string, Handler<T>>;

template <class T>
std::optional<Error> read_table(const TomlReader& r, const toml::node& node, const std::string& key,
                                const Handlers<T>& handlers, T& target) {
    const auto* table = node.as_table();
    if (!table) return r.fail(key, node, "must be a table");
    for (const auto& [k, child] : *table) {
        const std::string name(k.str());
        const std::string path = key.empty() ? name : key + "." + name;
        const auto it = handlers.find(name);
        if (it == handlers.end()) return r.fail(path, child, "unknown key");
        if (auto e = it->second(r, path, child, target)) return e;
    }
    return std::nullopt;
}

template <class T>
Handler<T> integer(std::int64_t lo, std::int64_t hi, std::function<void(T&, std::int64_t)> set) {
    return [=](const TomlReader& r, const std::string& key, const toml::node& node, T& t) -> std::optional<Error> {
        const auto v = node.value<std::int64_t>();
        if (!node.is_integer() || !v) return r.fail(key, node, "must be an integer");
        if (*v < lo || *v > hi) return r.fail(key, node, "must be " + std::to_string(lo) + ".." + std::to_string(hi));
        set(t, *v);
        return std::nullopt;
    };
}

// An exact decimal with `exponent` places, as an integer or a string: "1.5" -> 150 for 2 places.
Result<std::int64_t> decimal_of(const TomlReader& r, const std::string& key, const toml::node& node, int exponent) {
    if (node.is_floating_point()) return r.fail(key, node, "write a decimal as a string, e.g. \"1.5\"");
    std::string text;
    if (node.is_integer()) {
        text = std::to_string(*node.value<std::int64_t>());
    } else if (const auto s = node.value<std::string>()) {
        text = *s;
    } else {
        return r.fail(key, node, "must be a number or a decimal string");
    }
    auto parsed = parse_decimal_minor(text, exponent);
    if (!parsed) return r.fail(key, node, parsed.error().message);
    if (*parsed < 0) return r.fail(key, node, "must not be negative");
    return *parsed;
}

template <class T>
Handler<T> decimal(int exponent, std::function<void(T&, std::int64_t)> set) {
    return [=](const TomlReader& r, const std::string& key, const toml::node& node, T& t) -> std::optional<Error> {
        auto v = decimal_of(r, key, node, exponent);
        if (!v) return v.error();
        set(t, *v);
        return std::nullopt;
    };
}

template <class T>
Handler<T> decimal_map(int exponent, std::function<std::map<std::string, std::int64_t>&(T&)> get) {
    return [=](const TomlReader& r, const std::string& key, const toml::node& node, T& t) -> std::optional<Error> {
        const auto* table = node.as_table();
        if (!table) return r.fail(key, node, "must be a table of name = value");
        for (const auto& [k, child] : *table) {
            auto v = decimal_of(r, key + "." + std::string(k.str()), child, exponent);
            if (!v) return v.error();
            get(t)[std::string(k.str())] = *v;
        }
        return std::nullopt;
    };
}

template <class T>
Handler<T> text(std::function<void(T&, const std::string&)> set) {
    return [=](const TomlReader& r, const std::string& key, const toml::node& node, T& t) -> std::optional<Error> {
        const auto v = node.value<std::string>();
        if (!node.is_string() || !v) return r.fail(key, node, "must be a string");
        set(t, *v);
        return std::nullopt;
    };
}

template <class T, class E>
Handler<T> choice(std::optional<E> (*parse)(std::string_view), const char* allowed, std::function<void(T&, E)> set) {
    return [=](const TomlReader& r, const std::string& key, const toml::node& node, T& t) -> std::optional<Error> {
        const auto v = node.value<std::string>();
        const auto parsed = v ? parse(*v) : std::nullopt;
        if (!parsed) return r.fail(key, node, std::string("must be one of: ") + allowed);
        set(t, *parsed);
        return std::nullopt;
    };
}

template <class T>
Handler<T> instant(std::function<void(T&, Timestamp)> set) {
    return [=](const TomlReader& r, const std::string& key, const toml::node& node, T& t) -> std::optional<Error> {
        const auto v = node.value<std::string>();
        if (!node.is_string() || !v) return r.fail(key, node, "must be a UTC time string, e.g. \"2026-11-28T00:00:00Z\"");
        auto parsed = parse_timestamp(*v);
        if (!parsed) return r.fail(key, node, parsed.error().message);
        set(t, *parsed);
        return std::nullopt;
    };
}

template <class T, class Item>
Handler<T> array_of(const Handlers<Item>& item_handlers, std::function<std::vector<Item>&(T&)> get) {
    return [=](const TomlReader& r, const std::string& key, const toml::node& node, T& t) -> std::optional<Error> {
        const auto* array = node.as_array();
        if (!array) return r.fail(key, node, "must be an array of tables ([[" + key + "]])");
        for (std::size_t i = 0; i < array->size(); ++i) {
            Item item;
            const std::string path = key + "[" + std::to_string(i) + "]";
            if (auto e = read_table(r, *array->get(i), path, item_handlers, item)) return e;
            get(t).push_back(std::move(item));
        }
        return std::nullopt;
    };
}

template <class T, class Sub>
Handler<T> sub_table(const Handlers<Sub>& handlers, std::function<Sub&(T&)> get) {
    return [=](const TomlReader& r, const std::string& key, const toml::node& node, T& t) -> std::optional<Error> {
        return read_table(r, node, key, handlers, get(t));
    };
}

const Handlers<Tier>& tier_keys() {
    static const Handlers<Tier> keys{
        {"name", text<Tier>([](Tier& t, const std::string& v) { t.name = v; })},
        {"threshold", decimal<Tier>(3, [](Tier& t, std::int64_t v) { t.threshold_milli = v; })},
        {"multiplier", decimal<Tier>(2, [](Tier& t, std::int64_t v) { t.multiplier_percent = v; })},
    };
    return keys;
}

const Handlers<Campaign>& campaign_keys() {
    static const Handlers<Campaign> keys{
        {"id", text<Campaign>([](Campaign& c, const std::string& v) { c.id = v; })},
        {"starts", instant<Campaign>([](Campaign& c, Timestamp v) { c.starts_at = v; })},
        {"ends", instant<Campaign>([](Campaign& c, Timestamp v) { c.ends_at = v; })},
        {"multiplier", decimal<Campaign>(2, [](Campaign& c, std::int64_t v) { c.multiplier_percent = v; })},
        {"cashback", decimal<Campaign>(2, [](Campaign& c, std::int64_t v) { c.cashback_bp = v; })},
        {"category", text<Campaign>([](Campaign& c, const std::string& v) { c.category = v; })},
        {"min_order", decimal<Campaign>(3, [](Campaign& c, std::int64_t v) { c.min_order_milli = v; })},
    };
    return keys;
}

const Handlers<EarnRate>& rate_keys() {
    static const Handlers<EarnRate> keys{
        {"points", integer<EarnRate>(0, 1000000, [](EarnRate& e, std::int64_t v) { e.points = v; })},
        {"per_units", integer<EarnRate>(1, 1000000, [](EarnRate& e, std::int64_t v) { e.per_units = v; })},
    };
    return keys;
}

std::optional<Error> read_currency_rates(const TomlReader& r, const std::string& key, const toml::node& node, Rules& rules) {
    const auto* table = node.as_table();
    if (!table) return r.fail(key, node, "must be a table: CURRENCY = { points = N, per_units = M }");
    for (const auto& [k, child] : *table) {
        EarnRate rate;
        if (auto e = read_table(r, child, key + "." + std::string(k.str()), rate_keys(), rate)) return e;
        rules.currency_rates[std::string(k.str())] = rate;
    }
    return std::nullopt;
}

const Handlers<Rules>& rule_keys();

const Handlers<Rules>& program_keys() {
    static const Handlers<Rules> keys{
        {"multipliers", sub_table<Rules, Rules>(Handlers<Rules>{
             {"products", decimal_map<Rules>(2, [](Rules& r) -> auto& { return r.product_multipliers; })},
             {"categories", decimal_map<Rules>(2, [](Rules& r) -> auto& { return r.category_multipliers; })},
         }, [](Rules& r) -> Rules& { return r; })},
        {"tiers", array_of<Rules, Tier>(tier_keys(), [](Rules& r) -> auto& { return r.tiers; })},
        {"campaigns", array_of<Rules, Campaign>(campaign_keys(), [](Rules& r) -> auto& { return r.campaigns; })},
        {"cashback", sub_table<Rules, CashbackRules>(Handlers<CashbackRules>{
             {"rate", decimal<CashbackRules>(2, [](CashbackRules& c, std::int64_t v) { c.rate_bp = v; })},
             {"min_order", decimal<CashbackRules>(3, [](CashbackRules& c, std::int64_t v) { c.min_order_milli = v; })},
             {"categories", decimal_map<CashbackRules>(2, [](CashbackRules& c) -> auto& { return c.category_bp; })},
         }, [](Rules& r) -> CashbackRules& { return r.cashback; })},
        {"referral", sub_table<Rules, ReferralRules>(Handlers<ReferralRules>{
             {"referee_points", integer<ReferralRules>(0, 100000000, [](ReferralRules& x, std::int64_t v) { x.referee_points = v; })},
             {"referrer_points", integer<ReferralRules>(0, 100000000, [](ReferralRules& x, std::int64_t v) { x.referrer_points = v; })},
         }, [](Rules& r) -> ReferralRules& { return r.referral; })},
        {"expiry", sub_table<Rules, ExpiryRules>(Handlers<ExpiryRules>{
             {"inactive_days", integer<ExpiryRules>(0, 36500, [](ExpiryRules& x, std::int64_t v) { x.inactive_days = v; })},
             {"lifetime_days", integer<ExpiryRules>(0, 36500, [](ExpiryRules& x, std::int64_t v) { x.lifetime_days = v; })},
         }, [](Rules& r) -> ExpiryRules& { return r.expiry; })},
    };
    return keys;
}

const Handlers<Rules>& rule_keys() {
    static const Handlers<Rules> keys = [] {
        Handlers<Rules> k{
            {"earn_points", integer<Rules>(0, 1000000, [](Rules& r, std::int64_t v) { r.earn_rate.points = v; })},
            {"earn_per_units", integer<Rules>(1, 1000000, [](Rules& r, std::int64_t v) { r.earn_rate.per_units = v; })},
            {"earn_currency_rates", read_currency_rates},
            {"earn_rounding", choice<Rules, Rounding>(parse_rounding, "floor, half_up",
                                                      [](Rules& r, Rounding v) { r.earn_rounding = v; })},
            {"pending_mode", choice<Rules, PendingMode>(parse_pending_mode, "days_after_paid, on_completion",
                                                        [](Rules& r, PendingMode v) { r.pending_mode = v; })},
            {"pending_days", integer<Rules>(0, 3650, [](Rules& r, std::int64_t v) { r.pending_days = v; })},
            {"redeem_points_per_unit", integer<Rules>(1, 1000000, [](Rules& r, std::int64_t v) { r.redeem_points_per_unit = v; })},
            {"redeem_minimum_points", integer<Rules>(0, 100000000, [](Rules& r, std::int64_t v) { r.redeem_minimum_points = v; })},
            {"redeem_cart_share_max", decimal<Rules>(2, [](Rules& r, std::int64_t v) { r.redeem_cart_share_max_bp = v; })},
            {"min_order", decimal<Rules>(3, [](Rules& r, std::int64_t v) { r.min_order_milli = v; })},
            {"discounted_part", choice<Rules, DiscountedPart>(parse_discounted_part, "excluded, included",
                                                              [](Rules& r, DiscountedPart v) { r.discounted_part = v; })},
            {"negative_policy", choice<Rules, NegativePolicy>(parse_negative_policy, "carry, write_off",
                                                              [](Rules& r, NegativePolicy v) { r.negative_policy = v; })},
            {"tier_window_days", integer<Rules>(1, 3650, [](Rules& r, std::int64_t v) { r.tier_window_days = v; })},
        };
        for (const auto& [name, handler] : program_keys()) k.emplace(name, handler);
        return k;
    }();
    return keys;
}

}  // namespace

Result<RulesFile> load_rules_file(const std::string& path) {
    toml::table table;
    try {
        table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        return make_error(ErrorCode::bad_config, path + " (line " + std::to_string(e.source().begin.line) +
                                                     "): " + std::string(e.description()));
    }
    const TomlReader reader{path, ErrorCode::invalid_rules};
    RulesFile out;
    Handlers<RulesFile> top{{"effective_from", instant<RulesFile>([](RulesFile& f, Timestamp v) { f.effective_from = v; })}};
    for (const auto& [name, handler] : rule_keys()) {
        // An init-capture: clang 14 (the fuzz build, tests/fuzz) cannot capture a structured binding.
        top.emplace(name, [handler = handler](const TomlReader& r, const std::string& key, const toml::node& node, RulesFile& f) {
            return handler(r, key, node, f.rules);
        });
    }
    if (auto e = read_table(reader, table, "", top, out)) return *e;
    if (auto valid = validate_rules(out.rules); !valid) {
        return make_error(ErrorCode::invalid_rules, path + ": key " + valid.error().message, valid.error().field);
    }
    return out;
}

namespace {

std::string milli_text(std::int64_t milli) {
    std::string t = format_minor(milli, 3);
    while (t.back() == '0') t.pop_back();
    if (t.back() == '.') t.pop_back();
    return t;
}

toml::table decimal_table(const std::map<std::string, std::int64_t>& values) {
    toml::table t;
    for (const auto& [name, v] : values) t.insert(name, format_percent_factor(v));
    return t;
}

}  // namespace

std::string rules_file_text(const Rules& r) {
    toml::table t;
    t.insert("earn_points", r.earn_rate.points);
    t.insert("earn_per_units", r.earn_rate.per_units);
    toml::table rates;
    for (const auto& [currency, rate] : r.currency_rates) {
        rates.insert(currency, toml::table{{"points", rate.points}, {"per_units", rate.per_units}});
    }
    t.insert("earn_currency_rates", rates);
    t.insert("earn_rounding", rounding_id(r.earn_rounding));
    t.insert("pending_mode", pending_mode_id(r.pending_mode));
    t.insert("pending_days", r.pending_days);
    t.insert("redeem_points_per_unit", r.redeem_points_per_unit);
    t.insert("redeem_minimum_points", r.redeem_minimum_points);
    t.insert("redeem_cart_share_max", format_percent_factor(r.redeem_cart_share_max_bp));
    t.insert("min_order", milli_text(r.min_order_milli));
    t.insert("discounted_part", discounted_part_id(r.discounted_part));
    t.insert("negative_policy", negative_policy_id(r.negative_policy));
    t.insert("tier_window_days", r.tier_window_days);
    t.insert("multipliers", toml::table{{"products", decimal_table(r.product_multipliers)},
                                        {"categories", decimal_table(r.category_multipliers)}});
    toml::array tiers;
    for (const auto& tier : r.tiers) {
        tiers.push_back(toml::table{{"name", tier.name}, {"threshold", milli_text(tier.threshold_milli)},
                                    {"multiplier", format_percent_factor(tier.multiplier_percent)}});
    }
    t.insert("tiers", tiers);
    toml::array campaigns;
    for (const auto& c : r.campaigns) {
        campaigns.push_back(toml::table{{"id", c.id}, {"starts", format_timestamp(c.starts_at)},
                                        {"ends", format_timestamp(c.ends_at)},
                                        {"multiplier", format_percent_factor(c.multiplier_percent)},
                                        {"cashback", format_percent_factor(c.cashback_bp)}, {"category", c.category},
                                        {"min_order", milli_text(c.min_order_milli)}});
    }
    t.insert("campaigns", campaigns);
    t.insert("cashback", toml::table{{"rate", format_percent_factor(r.cashback.rate_bp)},
                                     {"min_order", milli_text(r.cashback.min_order_milli)},
                                     {"categories", decimal_table(r.cashback.category_bp)}});
    t.insert("referral", toml::table{{"referee_points", r.referral.referee_points},
                                     {"referrer_points", r.referral.referrer_points}});
    t.insert("expiry", toml::table{{"inactive_days", r.expiry.inactive_days},
                                   {"lifetime_days", r.expiry.lifetime_days}});
    std::ostringstream out;
    out << t << "\n";
    return out.str();
}

}  // namespace rewardd
