// The libcurl functions rewardd calls, looked up with dlsym (curl_library.hpp says why). Each
// pointer's type is taken from curl's own declaration, so a signature that differs from the header
// the build found is a compile error here, as it would be a link error with a linked libcurl.
#pragma once

#include <curl/curl.h>

namespace rewardd {

struct CurlFunctions {
    decltype(&curl_global_init) global_init = nullptr;
    decltype(&curl_global_cleanup) global_cleanup = nullptr;
    decltype(&curl_easy_init) easy_init = nullptr;
    decltype(&curl_easy_setopt) easy_setopt = nullptr;
    decltype(&curl_easy_perform) easy_perform = nullptr;
    decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
    decltype(&curl_easy_strerror) easy_strerror = nullptr;
    decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
    decltype(&curl_slist_append) slist_append = nullptr;
    decltype(&curl_slist_free_all) slist_free_all = nullptr;
};

}  // namespace rewardd
