// `rewardd gdpr export CUSTOMER` (everything held about them, as JSON) and
// `rewardd gdpr erase CUSTOMER` (personal data replaced by a pseudonym; ledger rows and sums stay;
// the erasure itself recorded with its reason in erased_customers).
#include <iostream>

#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "core/customer_key.hpp"
#include "net/pseudonym.hpp"
#include "store/privacy_store.hpp"

namespace rewardd {
namespace {

struct GdprOptions {
    CliContext context;
    std::string email;
    std::string shop;
    std::string customer_id;
    std::string reason = "operator request (rewardd gdpr erase)";
};

Result<PrivacyTarget> target_of(const GdprOptions& o) {
    PrivacyTarget t{o.shop, o.customer_id, normalise_email(o.email)};
    if (t.email.empty() && t.customer_id.empty()) {
        return make_error(ErrorCode::missing_field, "give the customer's e-mail (or --shop and --customer-id)", "CUSTOMER");
    }
    if (!t.customer_id.empty() && t.shop_id.empty()) {
        return make_error(ErrorCode::missing_field, "--customer-id needs --shop", "--shop");
    }
    return t;
}

int run_export(const GdprOptions& o) {
    auto target = target_of(o);
    if (!target) return fail(target.error());
    auto db = o.context.open();
    if (!db) return fail(db.error());
    auto data = PrivacyStore(**db).export_customer(*target);
    if (!data) return fail(data.error());
    std::cout << data->dump(2) << "\n";
    return 0;
}

int run_erase(const GdprOptions& o) {
    auto target = target_of(o);
    if (!target) return fail(target.error());
    auto db = o.context.open();
    if (!db) return fail(db.error());
    PrivacyStore privacy(**db);
    auto known = privacy.knows(*target);
    if (!known) return fail(known.error());
    if (!*known) return fail(make_error(ErrorCode::not_found, "no such customer (nothing erased)", "CUSTOMER"));
    auto erased = privacy.erase_customer(*target, o.reason, make_erasure_pseudonym, now_utc());
    if (!erased) return fail(erased.error());
    std::cout << "erased: now known as " << erased->pseudonyms.front() << "; stored events scrubbed: "
              << erased->events_scrubbed << "; ledger sums unchanged\n";
    return 0;
}

void add_target_options(CLI::App& cmd, GdprOptions& o) {
    cmd.add_option("customer", o.email, "the customer's e-mail");
    cmd.add_option("--shop", o.shop, "shop id (with --customer-id, for customers known without e-mail)");
    cmd.add_option("--customer-id", o.customer_id, "the platform's customer id");
    o.context.add_options(cmd);
}

}  // namespace

void register_gdpr(CLI::App& app, int& exit_code) {
    auto* gdpr = app.add_subcommand("gdpr", "data protection requests: export or erase a customer's personal data");
    gdpr->require_subcommand(1);

    auto ex = std::make_shared<GdprOptions>();
    auto* e = gdpr->add_subcommand("export", "everything held about a customer, as JSON");
    add_target_options(*e, *ex);
    e->callback([ex, &exit_code] { exit_code = run_export(*ex); });

    auto er = std::make_shared<GdprOptions>();
    auto* r = gdpr->add_subcommand("erase", "replace a customer's personal data with a pseudonym; sums stay");
    add_target_options(*r, *er);
    r->add_option("--reason", er->reason, "recorded with the erasure");
    r->callback([er, &exit_code] { exit_code = run_erase(*er); });
}

}  // namespace rewardd
