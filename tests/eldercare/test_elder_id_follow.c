/* A helper record linked to an elder record (elder_id, 低龄助高龄) is the same person, its ID
 * number the elder's. Correcting the elder's number left the helper with the old one: the link
 * went stale (every later PATCH of the helper refused on elder_id), the old number stayed taken
 * in the helpers' register (the person who holds it could not be registered as a helper), and
 * a departure of that number's elder raised a helper_id_departed alert on the wrong person's
 * record. Now the linked helper takes the corrected number — and the birth date and sex it
 * encodes — in the elder's transaction, with its own version and audit row; when another
 * helper record holds the new number, the elder's PATCH is refused on id_number and writes
 * nothing. */
#include "core/util.h"
#include "el_fixture.h"

/* 1 when helper h is stored with ID number idn, birth date `birth` and sex F */
static long long helper_is(th_server *s, long long h, const char *idn, const char *birth)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM helpers WHERE id = %lld AND id_number = '%s' AND birth_date ="
             " '%s' AND sex = 'F'",
             h, idn, birth);
    return th_sql_int(s, sql);
}

/* The elder's number corrected (by a grid worker, the helper in another township, and again
 * with another birth date): the linked helper takes it each time, with its own version and a
 * masked audit row by the one who corrected it; the helper is then edited as any other, the
 * old number is free for its holder's helper record, and a departure of the old number's elder
 * alerts no one. */
TEST_T(eldercare_elder_number_correction_carries_the_linked_helper, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], town[80], path[64], body[300], sql[400], a[19], b[19], c2[19];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long grid = el_grid01_grid(&s), there = el_grid_of_jinhaihu(&s);
    long long e = el_person_elder(&s, g, grid, 80);
    /* linked by the district office, in jinhaihu's township: a record grid01 may not open */
    long long h = el_person_helper(&s, off, there, 80, e);
    el_id(a, "19580709", 80, 'F');
    el_id(b, "19580709", 81, 'F');
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    snprintf(body, sizeof body, "{\"version\":1,\"id_number\":\"%s\"}", b);
    json_decref(EL(&s, g, "PATCH", path, body, 200));
    CHECK_INT(helper_is(&s, h, b, "1958-07-09"), 1);
    snprintf(sql, sizeof sql, "SELECT version FROM helpers WHERE id = %lld", h);
    CHECK_INT(th_sql_int(&s, sql), 2);
    /* one audit row, by grid01, the numbers masked in it as in every row */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE action = 'update' AND entity = 'helper' AND"
             " entity_id = %lld AND username = 'grid01' AND json_extract(before_json,"
             " '$.id_number') = '110117************' AND json_extract(after_json, '$.id_number')"
             " = '110117************' AND before_json || after_json NOT LIKE '%%19580709%%'",
             h);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* the link holds: the helper is edited as any other (it was 422 on elder_id) */
    char hp[64];
    snprintf(hp, sizeof hp, "/api/v1/helpers/%lld", h);
    json_t *o = EL(&s, town, "PATCH", hp, "{\"version\":2,\"capacity\":3}", 200);
    CHECK_INT(th_int(o, "version"), 3);
    json_decref(o);
    /* the old number is free: its holder registers as a helper, and when that person's elder
     * record is recorded deceased, only their own helper record stops — no alert */
    long long e_a = el_person_elder(&s, g, grid, 80);
    long long h_a = el_person_helper(&s, g, grid, 80, 0);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e_a);
    o = EL(&s, g, "PATCH", path, "{\"version\":1,\"status\":\"deceased\"}", 200);
    json_t *st = json_object_get(o, "helpers_stopped");
    CHECK(json_array_size(st) == 1 && json_integer_value(json_array_get(st, 0)) == h_a);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elder_alerts WHERE kind = 'helper_id_departed'"),
              0);
    snprintf(sql, sizeof sql, "SELECT active FROM helpers WHERE id = %lld", h);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* corrected again, to another birth date: the helper's birth date follows (sex alike) */
    el_id(c2, "19580710", 82, 'F');
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    snprintf(body, sizeof body,
             "{\"version\":2,\"id_number\":\"%s\",\"birth_date\":\"1958-07-10\"}", c2);
    json_decref(EL(&s, g, "PATCH", path, body, 200));
    CHECK_INT(helper_is(&s, h, c2, "1958-07-10"), 1);
    snprintf(sql, sizeof sql, "SELECT version FROM helpers WHERE id = %lld", h);
    CHECK_INT(th_sql_int(&s, sql), 4);
    /* an elder update that keeps the number leaves the helper as it is */
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":3,\"phone\":\"13800009999\"}", 200));
    CHECK_INT(th_sql_int(&s, sql), 4);
    th_stop(&s);
}

/* The corrected number held by another helper record (unlinked, in another township): the
 * linked helper cannot take it, so the elder's PATCH is refused — 409 conflict on id_number,
 * nothing written, an id_clash row on the holder (tried from the linked helper), counted as
 * the day's clashes are. An elder without a linked helper takes such a number as before. */
TEST_T(eldercare_elder_number_taken_by_another_helper_is_refused, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[64], body[300], sql[400], a[19], d[19];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s), there = el_grid_of_jinhaihu(&s);
    long long e = el_person_elder(&s, g, grid, 90);
    long long h = el_person_helper(&s, g, grid, 90, e);
    long long holder = el_person_helper(&s, off, there, 91, 0);
    el_id(a, "19580709", 90, 'F');
    el_id(d, "19580709", 91, 'F');
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    snprintf(body, sizeof body, "{\"version\":1,\"id_number\":\"%s\",\"phone\":\"13800001111\"}",
             d);
    json_t *o = EL(&s, g, "PATCH", path, body, 409);
    CHECK_STR(th_err_code(o), "conflict");
    CHECK_STR(th_err_field(o), "id_number");
    CHECK(strstr(th_err_message(o), "helper") != NULL);
    json_decref(o);
    /* nothing written: the elder and the helper as they were */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elders WHERE id = %lld AND id_number = '%s' AND version = 1"
             " AND phone <> '13800001111'",
             e, a);
    CHECK_INT(th_sql_int(&s, sql), 1);
    CHECK_INT(helper_is(&s, h, a, "1958-07-09"), 1);
    snprintf(sql, sizeof sql, "SELECT version FROM helpers WHERE id = %lld", h);
    CHECK_INT(th_sql_int(&s, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity IN ('elder', 'helper') AND action ="
             " 'update' AND entity_id IN (%lld, %lld)",
             e, h);
    CHECK_INT(th_sql_int(&s, sql), 0);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE action = 'id_clash' AND entity = 'helper' AND"
             " entity_id = %lld AND username = 'grid01' AND json_extract(after_json,"
             " '$.tried_from') = %lld",
             holder, h);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* an elder with no helper record linked takes a number a helper holds, as before */
    long long e2 = el_person_elder(&s, g, grid, 92);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e2);
    snprintf(body, sizeof body, "{\"version\":1,\"id_number\":\"%s\"}", d);
    json_decref(EL(&s, g, "PATCH", path, body, 200));
    th_stop(&s);
}
