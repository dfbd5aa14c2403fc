/* libFuzzer target for eldercare's parsers of outside input. The first byte chooses:
 *   0 — the GB 11643 ID number check: a number accepted has 18 characters, its check
 *       character is the one computed, and its birth date is a real date;
 *   1 — the date parser: a date accepted formats back to the same text;
 *   else — the rest is a request body for registering an elder (POST /api/v1/elders) on an
 *       in-memory database with one grid: it is accepted with a valid ID number matching
 *       the birth date, or refused with a 4xx, never anything else. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/elder.h"
#include "domain/elder_int.h"
#include "http/parse.h"

static pj_db *db;

static void setup(void)
{
    pj_err err;
    pj_err_clear(&err);
    if (pj_db_open(&db, ":memory:", &err)) abort();
    if (pj_db_exec(db,
                   "INSERT INTO regions (id, parent_id, code, name, type, lat, lon, created_at,"
                   " updated_at) VALUES (1, NULL, '110117', '平谷区', 'district', 40.14, 117.12,"
                   " 0, 0), (2, 1, 't', '镇', 'township', 40.1, 117.1, 0, 0),"
                   " (3, 2, 'v', '村', 'village', 40.1, 117.1, 0, 0),"
                   " (4, 3, 'g', '第1网格', 'grid', 40.1, 117.1, 0, 0)",
                   &err))
        abort();
}

static void id_number(const char *s)
{
    if (!pj_id_number_valid(s)) return;
    if (strlen(s) != 18 || pj_id_check_char(s) != s[17]) abort();
    char d[11] = {s[6], s[7], s[8], s[9], '-', s[10], s[11], '-', s[12], s[13], 0};
    if (pj_el_day(d) == INT64_MIN) abort();
}

static void date(const char *s)
{
    int64_t day = pj_el_day(s);
    if (day == INT64_MIN) return;
    char back[11];
    pj_el_date(day, back);
    if (strcmp(back, s) != 0) abort();
}

static void elder_body(const char *s, size_t n)
{
    if (!db) setup();
    pj_arena a;
    pj_arena_init(&a, 8192);
    pj_settings st;
    pj_settings_default(&st);
    pj_ctx c = {.db = db, .arena = &a, .settings = &st};
    c.actor.role = PJ_ROLE_ADMIN;
    c.actor.username = "fuzz";
    pj_err err;
    pj_err_clear(&err);
    json_t *body = NULL;
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    if (pj_json_decode(s, n, &body, &err) == 0) {
        if (pj_elder_create(&c, body, &w, &err) == 0) {
            json_t *o = json_loadb(out.data, out.len, 0, NULL);
            /* accepted: the number shown masked, the one stored valid and matching */
            pj_stmt *q = pj_db_prepare(db, "SELECT id_number, birth_date FROM elders", NULL);
            if (!o || !q || pj_stmt_step(q, NULL) != 1) abort();
            const char *idn = pj_col_text(q, 0), *birth = pj_col_text(q, 1);
            if (!pj_id_number_valid(idn) || memcmp(idn + 6, birth, 4) ||
                memcmp(idn + 10, birth + 5, 2) || memcmp(idn + 12, birth + 8, 2))
                abort();
            pj_stmt_done(q);
            json_decref(o);
            pj_db_exec(db, "DELETE FROM elder_pairs; DELETE FROM elders; DELETE FROM audit", NULL);
        } else if (err.status < 400 || err.status > 499) {
            abort(); /* bad input is a 4xx, never a 5xx */
        }
        json_decref(body);
    }
    pj_buf_free(&out);
    pj_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096) return 0;
    char *s = malloc(size);
    if (!s) return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = 0;
    if (data[0] == 0)
        id_number(s);
    else if (data[0] == 1)
        date(s);
    else
        elder_body(s, size - 1);
    free(s);
    return 0;
}
