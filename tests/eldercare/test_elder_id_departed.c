/* An elder recorded moved or deceased stops the helper records of the same person — linked ones
 * anywhere, unlinked ones of the ID number in the caller's scope. An unlinked one of that number
 * outside it stayed active, and no one was told: the district office could not learn that a
 * person recorded as departed still helped elsewhere. Now the departure raises, in its own
 * transaction, a helper_id_departed alert at that helper's grid and township — read by the
 * district office, that township and that grid's worker — and tells the recording grid worker
 * nothing. */
#include "core/util.h"
#include "el_fixture.h"

static long long shown(th_server *s, const char *tok, const char *path)
{
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    long long n = (long long)json_array_size(json_object_get(o, "items"));
    json_decref(o);
    return n;
}

static long long alerts_of(th_server *s, long long helper)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_alerts WHERE kind = 'helper_id_departed' AND"
             " helper_id = %lld",
             helper);
    return th_sql_int(s, sql);
}

/* The keys of an object, sorted, comma-joined into out. */
static void keys_of(json_t *o, char *out, size_t size)
{
    const char *k[64];
    size_t n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        if (n < 64) k[n++] = key;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(k[j - 1], k[j]) > 0; j--) {
            const char *t = k[j];
            k[j] = k[j - 1];
            k[j - 1] = t;
        }
    out[0] = 0;
    size_t len = 0;
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(out + len, size - len, "%s,", k[i]);
}

TEST_T(eldercare_departure_alerts_the_helper_of_its_number_elsewhere, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], town[80], adm[80], far[80], body[400], path[128], sql[400];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "admin", s.admin_pw, adm);
    long long grid = el_grid01_grid(&s);
    /* a grid of jinhaihu's township, not grid01's, and its own grid worker */
    long long there = el_grid_of_jinhaihu(&s);
    CHECK(there > 0);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM grid_workers w JOIN users u ON u.id = w.user_id WHERE"
             " u.username = 'grid01' AND w.region_id = %lld",
             there);
    CHECK_INT(th_sql_int(&s, sql), 0);
    snprintf(body, sizeof body,
             "{\"username\":\"gw_far\",\"role\":\"grid_worker\",\"grid_ids\":[%lld],"
             "\"password\":\"long-enough-pw-1\"}",
             there);
    json_decref(EL(&s, adm, "POST", "/api/v1/users", body, 201));
    th_login(&s, "gw_far", "long-enough-pw-1", far);
    char today[21];
    pj_time_iso(pj_now() + 8 * 3600, today);
    today[10] = 0;

    /* the person helps in jinhaihu's grid (unlinked); grid01 registers her as an elder */
    long long h = el_person_helper(&s, off, there, 40, 0);
    long long e = el_person_elder(&s, g, grid, 40);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);

    /* a refused departure writes nothing: no alert, no audit row */
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = EL(&s, g, "PATCH", path,
                   "{\"version\":1,\"status\":\"deceased\",\"left_on\":\"2999-01-01\"}", 422);
    CHECK_STR(th_err_field(o), "left_on");
    json_decref(o);
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":7,\"status\":\"deceased\"}", 409));
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(alerts_of(&s, h), 0);

    /* a departure of an elder with no helper record anywhere, for the shape of the answer */
    long long plain = el_person_elder(&s, g, grid, 41);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", plain);
    o = EL(&s, g, "PATCH", path, "{\"version\":1,\"status\":\"deceased\"}", 200);
    char keys0[1024], keys1[1024];
    keys_of(o, keys0, sizeof keys0);
    json_decref(o);

    /* the departure: the helper stays active (not the caller's), one alert at its grid */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    o = EL(&s, g, "PATCH", path, "{\"version\":1,\"status\":\"deceased\"}", 200);
    /* the recording worker's answer is that of any departure: nothing named, nothing added */
    keys_of(o, keys1, sizeof keys1);
    CHECK_STR(keys1, keys0);
    json_t *st = json_object_get(o, "helpers_stopped");
    CHECK(json_is_array(st) && json_array_size(st) == 0);
    json_decref(o);
    snprintf(sql, sizeof sql, "SELECT active FROM helpers WHERE id = %lld", h);
    CHECK_INT(th_sql_int(&s, sql), 1);
    CHECK_INT(alerts_of(&s, h), 1);
    snprintf(sql, sizeof sql,
             "SELECT id FROM elder_alerts WHERE kind = 'helper_id_departed' AND helper_id = %lld",
             h);
    long long aid = th_sql_int(&s, sql);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_alerts a JOIN helpers h ON h.id = a.helper_id WHERE"
             " a.id = %lld AND a.grid_id = h.grid_id AND a.township_id = h.township_id AND"
             " a.elder_id IS NULL AND a.state = 'open' AND a.level = 'grid'",
             aid);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* written with its audit row (by the recording worker, the name masked) */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'elder_alert' AND entity_id = %lld AND"
             " action = 'create' AND username = 'grid01' AND after_json LIKE"
             " '%%\"helper_name\":\"钱*\"%%' AND after_json NOT LIKE '%%钱秀兰%%'",
             aid);
    CHECK_INT(th_sql_int(&s, sql), 1);

    /* the recording worker reads nothing of it, in any list, and acts on nothing */
    CHECK_INT(shown(&s, g, "/api/v1/elder-alerts?kind=helper_id_departed&limit=500"), 0);
    CHECK_INT(shown(&s, g, "/api/v1/elder-alerts?kind=helper_id_departed&state=open&limit=500"), 0);
    o = EL(&s, g, "GET", "/api/v1/elder-alerts?limit=500", NULL, 200);
    char *dump = json_dumps(o, 0);
    CHECK(dump && !strstr(dump, "helper_id_departed"));
    free(dump);
    json_t *it;
    size_t ix;
    json_array_foreach(json_object_get(o, "items"), ix, it) CHECK(th_int(it, "id") != aid);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/elder-alerts/%lld/ack", aid);
    json_decref(EL(&s, g, "POST", path, "{\"version\":1}", 403));

    /* those who may act on the helper read it: the district office, its township, its grid */
    const char *readers[] = {off, town, far};
    for (int k = 0; k < 3; k++) {
        o = EL(&s, readers[k], "GET", "/api/v1/elder-alerts?kind=helper_id_departed&limit=500",
               NULL, 200);
        json_t *items = json_object_get(o, "items");
        CHECK_INT((long long)json_array_size(items), 1);
        json_t *a = json_array_get(items, 0);
        CHECK_INT(th_int(a, "id"), aid);
        CHECK_INT(th_int(a, "helper_id"), h);
        CHECK_STR(th_str(a, "helper_name"), "钱*");
        CHECK(json_is_null(json_object_get(a, "elder_id")));
        CHECK(json_is_null(json_object_get(a, "elder_name")));
        char want[96];
        snprintf(want, sizeof want, "an elder of the same ID number was recorded deceased on %s",
                 today);
        CHECK_STR(th_str(a, "detail"), want);
        json_decref(o);
    }
    CHECK_INT(shown(&s, far, "/api/v1/elder-alerts?kind=helper_id_departed&state=open&limit=500"),
              1);

    /* raised once: a correction of the status (deceased → moved) raises no other */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":2,\"status\":\"moved\"}", 200));
    CHECK_INT(alerts_of(&s, h), 1);

    /* acknowledged and resolved as any alert */
    snprintf(path, sizeof path, "/api/v1/elder-alerts/%lld/ack", aid);
    o = EL(&s, far, "POST", path, "{\"version\":1,\"note\":\"已联系乡镇\"}", 200);
    CHECK_STR(th_str(o, "state"), "acked");
    CHECK_STR(th_str(o, "helper_name"), "钱*");
    json_decref(o);
    /* the helper stopped by its township: the scan resolves the alert */
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h);
    json_decref(EL(&s, town, "PATCH", path, "{\"version\":1,\"active\":false}", 200));
    json_decref(EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200));
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_alerts WHERE id = %lld AND state = 'resolved' AND"
             " resolved_reason = 'the helper is inactive' AND resolved_by = 'system'",
             aid);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}

/* No alert where nothing was left active: a helper of the number in the caller's scope, or one
 * linked to the elder (stopped wherever it is), or any departure recorded by the district. */
TEST_T(eldercare_departure_alerts_no_helper_it_stopped, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[64];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long there = el_grid_outside_grid01(&s);
    /* unlinked, in grid01's grid */
    long long e1 = el_person_elder(&s, g, grid, 50), h1 = el_person_helper(&s, g, grid, 50, 0);
    /* linked, elsewhere */
    long long e2 = el_person_elder(&s, g, grid, 51), h2 = el_person_helper(&s, off, there, 51, e2);
    /* unlinked, elsewhere, the departure recorded by the district office */
    long long e3 = el_person_elder(&s, g, grid, 52), h3 = el_person_helper(&s, off, there, 52, 0);
    long long e[] = {e1, e2, e3}, h[] = {h1, h2, h3};
    const char *who[] = {g, g, off};
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "/api/v1/elders/%lld", e[k]);
        json_decref(EL(&s, who[k], "PATCH", path, "{\"version\":1,\"status\":\"moved\"}", 200));
        char sql[100];
        snprintf(sql, sizeof sql, "SELECT active FROM helpers WHERE id = %lld", h[k]);
        CHECK_INT(th_sql_int(&s, sql), 0);
        CHECK_INT(alerts_of(&s, h[k]), 0);
    }
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elder_alerts WHERE kind ="
                             " 'helper_id_departed'"),
              0);
    th_stop(&s);
}

/* A departure recorded by mistake and put back: the alert it raised on the helper of the number
 * elsewhere was left open (and escalated) although no elder of that number is off the register
 * any more; the scan resolves it now. */
TEST_T(eldercare_departure_alert_resolved_once_the_elder_is_back, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[128], sql[400];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long there = el_grid_of_jinhaihu(&s);
    long long h = el_person_helper(&s, off, there, 42, 0);
    long long e = el_person_elder(&s, g, grid, 42);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":1,\"status\":\"moved\"}", 200));
    CHECK_INT(alerts_of(&s, h), 1);
    /* while the elder is off the register, the scan keeps it open */
    json_decref(EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200));
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_alerts WHERE kind = 'helper_id_departed' AND helper_id ="
             " %lld AND state = 'open'",
             h);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* put back: the next scan resolves it, saying why */
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":2,\"status\":\"active\"}", 200));
    json_decref(EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200));
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_alerts WHERE kind = 'helper_id_departed' AND helper_id ="
             " %lld AND state = 'resolved' AND resolved_by = 'system' AND resolved_reason = 'no"
             " elder of the helper''s ID number is moved or deceased any more'",
             h);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}

/* A helper record of the departed elder's ID number linked to another elder record (its link
 * made when that record had the number, the record's number corrected since by an older build,
 * which left the helper's number as it was) was neither
 * stopped — not linked to the elder who left — nor alerted — not unlinked — so the person
 * recorded as departed went on helping with no one told. Its own elder record is still on the
 * register: the departure does not stop it (which record is the person's is not settled by it),
 * whoever records it, but raises the alert at the helper's grid and township, in grid01's
 * scope too and for a departure recorded by the district office. */
TEST_T(eldercare_departure_alerts_the_helper_of_its_number_linked_elsewhere, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], town[80], path[64], sql[300], id[19];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long grid = el_grid01_grid(&s);
    long long there = el_grid_of_jinhaihu(&s);
    /* the helper elsewhere (recorded by grid01), in grid01's grid (grid01), elsewhere
     * (recorded by the district office) */
    long long where[] = {there, grid, there};
    const char *who[] = {g, g, off};
    long long hs[3];
    for (int k = 0; k < 3; k++) {
        int seq = 70 + 2 * k;
        /* the other record: registered with the number, the helper linked to it, then its
         * number corrected as an older build did it (a PATCH now carries the linked helper's
         * number with it, test_elder_id_follow.c); the departing elder registered with the
         * number after */
        long long other = el_person_elder(&s, g, grid, seq);
        long long h = el_person_helper(&s, off, where[k], seq, other);
        hs[k] = h;
        el_id(id, "19580709", seq + 1, 'F');
        snprintf(sql, sizeof sql,
                 "UPDATE elders SET id_number = '%s', version = version + 1 WHERE id = %lld", id,
                 other);
        th_sql_exec(&s, sql);
        long long e = el_person_elder(&s, g, grid, seq);
        snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
        json_t *o = EL(&s, who[k], "PATCH", path, "{\"version\":1,\"status\":\"deceased\"}", 200);
        json_t *st = json_object_get(o, "helpers_stopped");
        CHECK(json_is_array(st) && json_array_size(st) == 0);
        json_decref(o);
        /* not stopped, its pairs and link as they were; one alert at its own grid */
        snprintf(sql, sizeof sql, "SELECT active FROM helpers WHERE id = %lld AND elder_id = %lld",
                 h, other);
        CHECK_INT(th_sql_int(&s, sql), 1);
        CHECK_INT(alerts_of(&s, h), 1);
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM elder_alerts a JOIN helpers h ON h.id = a.helper_id WHERE"
                 " a.helper_id = %lld AND a.kind = 'helper_id_departed' AND a.grid_id = h.grid_id"
                 " AND a.township_id = h.township_id AND a.elder_id IS NULL AND a.state = 'open'",
                 h);
        CHECK_INT(th_sql_int(&s, sql), 1);
    }
    /* read by those who may act on each helper: grid01 the one in its grid only */
    json_t *o =
        EL(&s, g, "GET", "/api/v1/elder-alerts?kind=helper_id_departed&limit=500", NULL, 200);
    json_t *items = json_object_get(o, "items");
    CHECK_INT((long long)json_array_size(items), 1);
    CHECK_INT(th_int(json_array_get(items, 0), "helper_id"), hs[1]);
    json_decref(o);
    CHECK_INT(shown(&s, off, "/api/v1/elder-alerts?kind=helper_id_departed&limit=500"), 3);
    /* settled by the helper's township (the link taken off, the record stopped): resolved */
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", hs[0]);
    json_decref(
        EL(&s, town, "PATCH", path, "{\"version\":1,\"elder_id\":null,\"active\":false}", 200));
    json_decref(EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200));
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_alerts WHERE helper_id = %lld AND state = 'resolved' AND"
             " resolved_reason = 'the helper is inactive'",
             hs[0]);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}
