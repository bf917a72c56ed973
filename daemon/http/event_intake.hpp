// POST /api/v1/events: verify the shop's signature in constant time, validate the event, hand it
// to the writer and answer only once it is durably stored. Nothing is stored on any error.
#pragma once

#include <httplib.h>

#include "http/shop_directory.hpp"
#include "ingest/batch_writer.hpp"

namespace rewardd {

class EventIntake {
public:
    EventIntake(ShopDirectory& shops, BatchWriter& writer, BatchWriter::Clock clock)
        : m_shops(shops), m_writer(writer), m_clock(std::move(clock)) {}

    void handle(const httplib::Request& req, httplib::Response& res);

private:
    ShopDirectory& m_shops;
    BatchWriter& m_writer;
    BatchWriter::Clock m_clock;
};

}  // namespace rewardd
