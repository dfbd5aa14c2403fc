/* docs/openapi.yaml describes every route of the router table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/server.h"
#include "t.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = 0;
    fclose(f);
    return s;
}

TEST(openapi_lists_every_route)
{
    char *doc = slurp("docs/openapi.yaml");
    CHECK(doc != NULL);
    /* the reference is docs/api.md plus one docs/api-<module>.md per module */
    char *api = slurp("docs/api.md");
    CHECK(api != NULL);
    static const char *const more[] = {"docs/api-dualuse.md", "docs/api-eldercare.md",
                                       "docs/api-enterprise.md", "docs/api-planner.md",
                                       "docs/api-development.md"};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        char *extra = slurp(more[i]);
        if (!extra) continue;
        size_t a = strlen(api), b = strlen(extra);
        api = realloc(api, a + b + 1);
        memcpy(api + a, extra, b + 1);
        free(extra);
    }
    int n;
    const pj_route *r = pj_routes(&n);
    CHECK(n > 20);
    for (int i = 0; i < n; i++) {
        char key[160], method[32];
        snprintf(key, sizeof key, "\n  %s:", r[i].path);
        char *at = strstr(doc, key);
        if (!at) t_fail(__FILE__, __LINE__, "openapi.yaml lacks path %s", r[i].path);
        /* the method must appear under this path, before the next path key */
        char *end = strstr(at + 1, "\n  /");
        size_t k = 0;
        for (const char *m = r[i].method; *m && k + 1 < sizeof method; m++)
            method[k++] = (char)(*m | 0x20);
        method[k] = 0;
        char mkey[48];
        snprintf(mkey, sizeof mkey, "\n    %s:", method);
        char *mat = strstr(at, mkey);
        if (!mat || (end && mat > end))
            t_fail(__FILE__, __LINE__, "openapi.yaml lacks %s %s", r[i].method, r[i].path);
        /* each operation has its operationId, before the next operation or path */
        char *next_op = strstr(mat + 1, "\n    ");
        while (next_op && next_op[5] == ' ') next_op = strstr(next_op + 1, "\n    ");
        char *opid = strstr(mat, "\n      operationId: ");
        if (!opid || (next_op && opid > next_op))
            t_fail(__FILE__, __LINE__, "openapi.yaml: %s %s has no operationId", r[i].method,
                   r[i].path);
        /* a path with {id} declares it: for the whole path, or in the operation */
        if (strchr(r[i].path, '{')) {
            char *pp = strstr(at, "\n    parameters:"), *op = strstr(mat, "\n      parameters:");
            int whole = pp && (!end || pp < end) && pp < strstr(at + 1, "\n    ") + 1;
            int own = op && (!next_op || op < next_op);
            if (!whole && !own)
                t_fail(__FILE__, __LINE__, "openapi.yaml: %s %s does not declare its {id}",
                       r[i].method, r[i].path);
        }
        /* and the reference names it */
        if (!strstr(api, r[i].path)) t_fail(__FILE__, __LINE__, "docs/api.md lacks %s", r[i].path);
    }
    free(doc);
    free(api);
}
