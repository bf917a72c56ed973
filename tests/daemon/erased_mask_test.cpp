// What `rewardd export` shows of an erased customer's e-mail inside text: their pseudonym where the
// e-mail is a whole segment of a key, a reference or an import id; another customer's address that
// merely ends the same way stays as it is.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>

#include "views/erased_mask.hpp"

using namespace rewardd;

TEST_CASE("the export names an erased customer by pseudonym, and leaves a longer address that ends the same") {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE erased_customers (customer TEXT PRIMARY KEY, pseudonym TEXT NOT NULL)");
    db.exec("INSERT INTO erased_customers VALUES ('ann@example.com', 'erased-7f@erased.invalid')");
    const ErasedMask mask(db);
    struct Row {
        const char* text;
        const char* shown;
    };
    for (const Row& row : std::initializer_list<Row>{
             {"ann@example.com", "erased-7f@erased.invalid"},
             {"tier:ann@example.com:1795341600", "tier:erased-7f@erased.invalid:1795341600"},
             {"demo:referral:ann@example.com:welcome", "demo:referral:erased-7f@erased.invalid:welcome"},
             {"import-csv-ann@example.com", "import-csv-erased-7f@erased.invalid"},
             {"demo:import-shop-2024-ann@example.com", "demo:import-shop-2024-erased-7f@erased.invalid"},
             {"tier:jo-ann@example.com:1795341600", "tier:jo-ann@example.com:1795341600"},
             {"jo-ann@example.com", "jo-ann@example.com"},
             {"{\"email\":\"jo-ann@example.com\",\"by\":\"ann@example.com\"}",
              "{\"email\":\"jo-ann@example.com\",\"by\":\"erased-7f@erased.invalid\"}"},
         }) {
        CAPTURE(row.text);
        CHECK(mask.apply(row.text) == row.shown);
    }
}
