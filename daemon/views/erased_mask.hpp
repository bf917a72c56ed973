// The e-mails of erased customers inside exported text. The ledger is append-only, so keys,
// references and event ids made before an erasure still spell the e-mail (a tier change
// "tier:<e-mail>:<time>", a referral "<shop>:referral:<e-mail>:…", an import
// "import-<source>-<e-mail>"); what leaves the machine names the customer's pseudonym instead.
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>
#include <unordered_map>

namespace rewardd {

class ErasedMask {
public:
    explicit ErasedMask(SQLite::Database& db);  // reads erased_customers once
    // `text` with every erased customer's e-mail replaced by their pseudonym.
    std::string apply(std::string text) const;
    bool empty() const { return m_pseudonyms.empty(); }

private:
    std::unordered_map<std::string, std::string> m_pseudonyms;  // e-mail -> pseudonym
};

}  // namespace rewardd
