// An engine event as the row the writer stores: the one mapping every intake route uses.
#pragma once

#include "core/event.hpp"
#include "core/ledger_store.hpp"

namespace rewardd {

InboxEvent to_inbox(const Event& e, Timestamp received_at);

}  // namespace rewardd
