// Numbered schema migrations. The schema version lives in SQLite's user_version; a database made
// by a newer rewardd is refused with a clear message instead of being misread.
#pragma once

#include <SQLiteCpp/Database.h>

#include "core/result.hpp"

namespace rewardd {

int latest_schema_version();
Result<int> migrate(SQLite::Database& db);

}  // namespace rewardd
