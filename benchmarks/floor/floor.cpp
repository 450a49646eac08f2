// The physical floor: fetch a pod list with libcurl and parse it with simdjson.
// Usage: floor URL [limit]   (limit > 0 pages through continue tokens)
// Prints: items=N seconds=S
// Watch floor: floor --watch URL EVENTS  reads a watch stream until EVENTS lines arrived
// Prints: items=N seconds=S events_per_sec=R
#include <curl/curl.h>
#include <simdjson.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

static size_t on_data(char *p, size_t s, size_t n, void *ud) {
    static_cast<std::string *>(ud)->append(p, s * n);
    return s * n;
}

struct line_count { size_t lines, want; };

// memchr, not a byte loop: the loop (not vectorised at -O2) was half of this process's CPU and
// made the floor measure itself rather than the bytes arriving.
static size_t on_watch_data(char *p, size_t s, size_t n, void *ud) {
    auto *c = static_cast<line_count *>(ud);
    const char *at = p, *end = p + s * n;
    while (at < end && (at = static_cast<const char *>(memchr(at, '\n', end - at))) != nullptr) {
        c->lines++;
        at++;
    }
    return c->lines >= c->want ? 0 : s * n;  // 0 aborts the transfer: the server holds the stream open
}

static int watch_floor(const char *url, size_t want) {
    auto t0 = std::chrono::steady_clock::now();
    CURL *h = curl_easy_init();
    line_count c{0, want};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_watch_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &c);
    // The receive buffer kubeclient's transport uses (TransportOptions.receiveBufferSize): the
    // default 16 KiB means one recv and one callback per 16 KiB.
    curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 256L * 1024);
    curl_easy_perform(h);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    printf("items=%zu seconds=%.4f events_per_sec=%.0f\n", c.lines, s, c.lines / s);
    curl_easy_cleanup(h);
    return c.lines >= want ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc == 4 && std::string(argv[1]) == "--watch") return watch_floor(argv[2], strtoul(argv[3], nullptr, 10));
    if (argc < 2) { fprintf(stderr, "usage: floor URL [limit]\n"); return 2; }
    std::string base = argv[1];
    long limit = argc > 2 ? atol(argv[2]) : 0;
    auto t0 = std::chrono::steady_clock::now();
    CURL *h = curl_easy_init();
    simdjson::dom::parser parser;
    size_t items = 0;
    std::string cont;
    do {
        std::string url = base + "/api/v1/pods";
        if (limit > 0) url += "?limit=" + std::to_string(limit) + (cont.empty() ? "" : "&continue=" + cont);
        std::string body;
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
        if (curl_easy_perform(h) != CURLE_OK) { fprintf(stderr, "fetch failed\n"); return 1; }
        simdjson::dom::element doc;
        if (parser.parse(body).get(doc)) { fprintf(stderr, "parse failed\n"); return 1; }
        simdjson::dom::array arr;
        if (doc["items"].get_array().get(arr)) { fprintf(stderr, "no items\n"); return 1; }
        items += arr.size();
        std::string_view c;
        cont.clear();
        if (!doc["metadata"]["continue"].get_string().get(c)) cont = std::string(c);
    } while (!cont.empty());
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    printf("items=%zu seconds=%.4f\n", items, s);
    curl_easy_cleanup(h);
    return 0;
}
