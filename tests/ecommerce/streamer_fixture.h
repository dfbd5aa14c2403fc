/* The streamer-list tests' fixtures: a created record's id, every streamer a list query gives
 * paged to the end, and a streamer of an organisation and township. */
#ifndef PJ_TEST_STREAMER_FIXTURE_H
#define PJ_TEST_STREAMER_FIXTURE_H

#include <stdio.h>

#include "t.h"
#include "th.h"

static long long new_id(th_server *s, const char *tok, const char *path, const char *body, int line)
{
    json_t *o = th_call_want(s, "POST", tok, path, body, 201, __FILE__, line);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}
#define NEW(s, tok, path, body) new_id(s, tok, path, body, __LINE__)

#define MAXS 4096

/* Every streamer a list query gives, paged to the end `limit` at a time, into ids (sorted:
 * the list is by id); returns how many, and the pages it took into *pages. */
static int all_pages(th_server *s, const char *tok, const char *query, int limit, long long *ids,
                     int *pages)
{
    char path[300], cursor[32] = "";
    int n = 0;
    *pages = 0;
    for (;;) {
        snprintf(path, sizeof path, "/api/v1/ecommerce/streamers?%s%slimit=%d%s%s", query,
                 *query ? "&" : "", limit, *cursor ? "&cursor=" : "", cursor);
        json_t *o = CALL(s, "GET", tok, path, NULL, 200);
        json_t *items = json_object_get(o, "items");
        CHECK((int)json_array_size(items) <= limit);
        for (size_t k = 0; k < json_array_size(items) && n < MAXS; k++)
            ids[n++] = th_int(json_array_get(items, k), "id");
        (*pages)++;
        const char *next = json_string_value(json_object_get(o, "next_cursor"));
        if (next) snprintf(cursor, sizeof cursor, "%s", next);
        json_decref(o);
        if (!next || *pages > 1000) break;
    }
    for (int i = 1; i < n; i++) CHECK(ids[i] > ids[i - 1]);
    return n;
}

static int has(const long long *ids, int n, long long id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id) return 1;
    return 0;
}

static long long streamer(th_server *s, const char *tok, const char *name, long long org,
                          long long town)
{
    char body[400];
    snprintf(body, sizeof body,
             "{\"name\":\"%s\",\"birth_date\":\"1990-01-01\",\"skill_level\":3%s%.0lld%s%.0lld}",
             name, org ? ",\"organisation_id\":" : "", org, town ? ",\"township_id\":" : "", town);
    return NEW(s, tok, "/api/v1/ecommerce/streamers", body);
}

#endif
