/* Livestream e-commerce and the streamer academy, a second review: the scope of an enrolment
 * checked before the age rule (whose messages speak of the streamer's dates), a graduation not
 * before the practice it counts, the average followers of a past day over the register of that
 * day, and the writes whose checks could go stale before their transaction (a booking's
 * cancel, a practice session) decided inside it. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

/* A base (of township town when town > 0), a zone enterprise settled in 2023 (of organisation
 * org when org > 0) with a post, a course of 2 practice hours and an open cohort of it at the
 * base from 2024-03-01 to 2099-04-30. */
typedef struct fix {
    long long base, zone, post, course, cohort;
} fix;

static void fixture(th_server *s, const char *tok, const char *tag, long long town, long long org,
                    fix *f)
{
    char b[512], t[48] = "", o[48] = "";
    if (town > 0) snprintf(t, sizeof t, ",\"township_id\":%lld", town);
    if (org > 0) snprintf(o, sizeof o, ",\"organisation_id\":%lld", org);
    snprintf(b, sizeof b, "{\"name\":\"复审村播点%s\",\"tier\":\"village\"%s}", tag, t);
    f->base = NEW(s, tok, "/api/v1/ecommerce/bases", b);
    snprintf(b, sizeof b,
             "{\"name\":\"复审企业%s\",\"kind\":\"mcn\",\"settled_on\":\"2023-01-01\"%s}", tag, o);
    f->zone = NEW(s, tok, "/api/v1/ecommerce/zone-enterprises", b);
    snprintf(b, sizeof b, "{\"zone_enterprise_id\":%lld,\"title\":\"带货主播\",\"openings\":9}",
             f->zone);
    f->post = NEW(s, tok, "/api/v1/academy/posts", b);
    snprintf(b, sizeof b,
             "{\"title\":\"复审课%s\",\"category\":\"livestream_selling\",\"hours\":40,"
             "\"level\":5,\"practice_hours\":2}",
             tag);
    f->course = NEW(s, tok, "/api/v1/academy/courses", b);
    snprintf(b, sizeof b,
             "{\"course_id\":%lld,\"base_id\":%lld,\"name\":\"复审班%s\",\"starts_on\":"
             "\"2024-03-01\",\"ends_on\":\"2099-04-30\",\"capacity\":9}",
             f->course, f->base, tag);
    f->cohort = NEW(s, tok, "/api/v1/academy/cohorts", b);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/academy/cohorts/%lld/state", f->cohort);
    json_decref(CALL(s, "POST", tok, path, "{\"state\":\"open\",\"version\":1}", 200));
}

/* A streamer born 2007-06-01 (16 on 2024-03-10, 19 now) whose guardian consented on
 * 2024-05-01; extra: more fields (",\"organisation_id\":3"). */
static long long minor_then(th_server *s, const char *tok, const char *name, const char *extra)
{
    char b[512];
    snprintf(b, sizeof b,
             "{\"name\":\"%s\",\"birth_date\":\"2007-06-01\",\"skill_level\":5,"
             "\"guardian_name\":\"王芳\",\"guardian_relation\":\"母亲\","
             "\"guardian_consent_date\":\"2024-05-01\"%s}",
             name, extra);
    return NEW(s, tok, "/api/v1/ecommerce/streamers", b);
}

/* POST /academy/enrolments with enrolled_on 2024-03-10 as tok: must answer want at field and
 * write nothing; the error's message into msg. */
static void enrol_refused(th_server *s, const char *tok, const fix *f, long long sid, int want,
                          const char *field, char *msg, size_t size, int line)
{
    char b[256], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    snprintf(b, sizeof b,
             "{\"cohort_id\":%lld,\"streamer_id\":%lld,\"post_id\":%lld,\"enrolled_on\":"
             "\"2024-03-10\"}",
             f->cohort, sid, f->post);
    th_fingerprint(s, fp0, sizeof fp0);
    json_t *o = th_call_want(s, "POST", tok, "/api/v1/academy/enrolments", b, want, __FILE__, line);
    if (strcmp(th_err_field(o) ? th_err_field(o) : "", field))
        t_fail(__FILE__, line, "field %s, expected %s", th_err_field(o), field);
    snprintf(msg, size, "%s", th_err_message(o));
    json_decref(o);
    th_fingerprint(s, fp1, sizeof fp1);
    if (strcmp(fp0, fp1)) t_fail(__FILE__, line, "a refused enrolment wrote");
}
#define ENROL_REFUSED(s, tok, f, sid, want, field, msg)                                            \
    enrol_refused(s, tok, f, sid, want, field, msg, sizeof msg, __LINE__)

/* Regression: the age rule ran before the scope checks, so an enterprise enrolling another
 * firm's under-18 streamer (or on another firm's post) read the guardian's consent date in the
 * 422, and could probe the birthdays by enrolled_on. The scope is checked first (403, no
 * date); a caller allowed to enrol a streamer whose personal data it does not see (an
 * enterprise, a streamer no organisation signed; a township officer, one of another township)
 * learns the rule that failed but no date; the district sees the dates. */
TEST_T(academy_enrol_scope_before_the_age_rule, 90)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], town[80], msg[512];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long org2 = th_sql_int(&s, "SELECT MIN(id) FROM organisations WHERE type = 'enterprise'"
                                    " AND id <> (SELECT organisation_id FROM users WHERE"
                                    " username = 'jd')");
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char q[160];
    snprintf(q, sizeof q, "SELECT MIN(id) FROM regions WHERE type = 'township' AND id <> %lld",
             jhh);
    long long town2 = th_sql_int(&s, q);
    CHECK(org > 0 && org2 > 0 && jhh > 0 && town2 > 0);
    fix mine, other, home;
    fixture(&s, off, "J", 0, org, &mine);
    fixture(&s, off, "O", 0, 0, &other);
    fixture(&s, off, "H", jhh, 0, &home);
    char extra[64];
    snprintf(extra, sizeof extra, ",\"organisation_id\":%lld", org2);
    long long theirs = minor_then(&s, off, "他企少年", extra);
    long long unsigned_ = minor_then(&s, off, "无约少年", "");
    snprintf(extra, sizeof extra, ",\"township_id\":%lld", town2);
    long long afar = minor_then(&s, off, "外乡少年", extra);
    /* another firm's streamer: 403, not its consent date */
    ENROL_REFUSED(&s, jd, &mine, theirs, 403, "streamer_id", msg);
    CHECK(strstr(msg, "2024") == NULL);
    /* another firm's post: 403 as well */
    ENROL_REFUSED(&s, jd, &other, unsigned_, 403, "post_id", msg);
    CHECK(strstr(msg, "2024") == NULL);
    /* a cohort taught outside the township: 403 */
    ENROL_REFUSED(&s, town, &mine, unsigned_, 403, "cohort_id", msg);
    CHECK(strstr(msg, "2024") == NULL);
    /* in scope, personal data out of sight: the rule, no date */
    ENROL_REFUSED(&s, jd, &mine, unsigned_, 422, "streamer_id", msg);
    CHECK(strstr(msg, "2024") == NULL);
    CHECK(strstr(msg, "guardian") != NULL);
    ENROL_REFUSED(&s, town, &home, afar, 422, "streamer_id", msg);
    CHECK(strstr(msg, "2024") == NULL);
    /* the district sees the streamer's data: the dates are said */
    ENROL_REFUSED(&s, off, &mine, unsigned_, 422, "streamer_id", msg);
    CHECK(strstr(msg, "2024-05-01") != NULL);
    /* and the codes stand: guardian_consent_required for each */
    char b[256];
    snprintf(b, sizeof b,
             "{\"cohort_id\":%lld,\"streamer_id\":%lld,\"post_id\":%lld,\"enrolled_on\":"
             "\"2024-03-10\"}",
             mine.cohort, unsigned_, mine.post);
    json_t *o = CALL(&s, "POST", jd, "/api/v1/academy/enrolments", b, 422);
    CHECK_STR(th_err_code(o), "guardian_consent_required");
    json_decref(o);
    /* after the consent, the enterprise enrols the unsigned streamer */
    snprintf(b, sizeof b,
             "{\"cohort_id\":%lld,\"streamer_id\":%lld,\"post_id\":%lld,\"enrolled_on\":"
             "\"2024-05-01\"}",
             mine.cohort, unsigned_, mine.post);
    json_decref(CALL(&s, "POST", jd, "/api/v1/academy/enrolments", b, 201));
    th_stop(&s);
}

/* A live session of streamer sid on day, as tok; its id. */
static long long session(th_server *s, const char *tok, long long sid, const char *day, int orders)
{
    char b[256];
    snprintf(b, sizeof b,
             "{\"streamer_id\":%lld,\"platform\":\"douyin\",\"date\":\"%s\",\"duration_min\":60,"
             "\"orders\":%d,\"gmv_fen\":%d}",
             sid, day, orders, orders * 1000);
    return NEW(s, tok, "/api/v1/ecommerce/sessions", b);
}

/* Regression: a graduation could be dated before the latest practice session it counts, so
 * that the practice (and its sales) came after it: a "first sale" a day after graduation in
 * the academy's median_days_to_first_sale. graduated_on before the latest practice session is
 * 422 invalid_value at graduated_on naming that session's date, nothing written — over the API
 * and the command line (graduate --on) alike; on that day it graduates. */
TEST_T(academy_graduation_not_before_the_practice, 90)
{
    th_server s;
    th_start(&s, 1);
    char off[80], path[96], b[128];
    th_login(&s, "officer", s.demo_pw, off);
    fix f;
    fixture(&s, off, "G", 0, 0, &f);
    long long sid = NEW(&s, off, "/api/v1/ecommerce/streamers",
                        "{\"name\":\"毕业学员\",\"birth_date\":\"1990-01-01\",\"skill_level\":5}");
    snprintf(b, sizeof b,
             "{\"cohort_id\":%lld,\"streamer_id\":%lld,\"post_id\":%lld,\"enrolled_on\":"
             "\"2024-03-10\"}",
             f.cohort, sid, f.post);
    long long eid = NEW(&s, off, "/api/v1/academy/enrolments", b);
    snprintf(path, sizeof path, "/api/v1/academy/cohorts/%lld", f.cohort);
    json_t *o = CALL(&s, "GET", off, path, NULL, 200);
    snprintf(b, sizeof b, "{\"state\":\"running\",\"version\":%lld}", th_int(o, "version"));
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/academy/cohorts/%lld/state", f.cohort);
    json_decref(CALL(&s, "POST", off, path, b, 200));
    long long s1 = session(&s, off, sid, "2024-04-01", 0);
    long long s2 = session(&s, off, sid, "2024-06-01", 5);
    snprintf(path, sizeof path, "/api/v1/academy/enrolments/%lld/practice", eid);
    long long ids[2] = {s1, s2};
    for (int i = 0; i < 2; i++) {
        snprintf(b, sizeof b, "{\"session_id\":%lld}", ids[i]);
        json_decref(CALL(&s, "POST", off, path, b, 200));
    }
    snprintf(path, sizeof path, "/api/v1/academy/enrolments/%lld", eid);
    o = CALL(&s, "GET", off, path, NULL, 200);
    long long v = th_int(o, "version");
    json_decref(o);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    /* the command line */
    char out[4096], ids_[24], vs[24];
    snprintf(ids_, sizeof ids_, "%lld", eid);
    snprintf(vs, sizeof vs, "%lld", v);
    CHECK_INT(
        RUN(out, "academy", "graduate", ids_, "--version", vs, "--on", "2024-05-01", "--db", s.db),
        1);
    CHECK(strstr(out, "invalid_value") != NULL);
    CHECK(strstr(out, "2024-06-01") != NULL);
    /* the API */
    snprintf(path, sizeof path, "/api/v1/academy/enrolments/%lld/graduate", eid);
    snprintf(b, sizeof b, "{\"version\":%lld,\"graduated_on\":\"2024-05-01\"}", v);
    o = CALL(&s, "POST", off, path, b, 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK_STR(th_err_field(o), "graduated_on");
    CHECK(strstr(th_err_message(o), "2024-06-01") != NULL);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* on the day of the latest practice it graduates */
    snprintf(b, sizeof b, "{\"version\":%lld,\"graduated_on\":\"2024-06-01\"}", v);
    o = CALL(&s, "POST", off, path, b, 200);
    CHECK_STR(th_str(o, "state"), "graduated");
    CHECK_STR(th_str(o, "graduated_on"), "2024-06-01");
    json_decref(o);
    th_stop(&s);
}

/* Regression: GET /ecommerce/kpi?to=PAST gave avg_followers as the followers of `to` over
 * today's register: streamers registered since counted, those deleted since dropped out of the
 * followers. The average of a past day is over the streamers on the register then — registered
 * by then (created, or with a count or a session dated by then) and not yet deleted — and the
 * followers total over the same streamers; followers_streamers says how many. */
TEST_T(ecommerce_kpi_avg_followers_of_a_past_day, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80], path[96], q[256];
    th_login(&s, "officer", s.demo_pw, off);
    const char *names[] = {"旧粉甲", "旧粉乙", "旧场丙", "新人丁", "早退戊", "旧档己"};
    long long id[6];
    for (int i = 0; i < 6; i++) {
        char b[160];
        snprintf(b, sizeof b, "{\"name\":\"%s\",\"birth_date\":\"1970-01-01\",\"skill_level\":3}",
                 names[i]);
        id[i] = NEW(&s, off, "/api/v1/ecommerce/streamers", b);
    }
    /* 甲 1000 and 乙 3000 followers in March 2001, 戊 5000; 丙 a session in April 2001 */
    const struct {
        int who;
        const char *body;
    } counts[] = {
        {0, "{\"platform\":\"douyin\",\"as_of\":\"2001-03-01\",\"followers\":1000}"},
        {1, "{\"platform\":\"douyin\",\"as_of\":\"2001-03-01\",\"followers\":3000}"},
        {1, "{\"platform\":\"douyin\",\"as_of\":\"2001-09-01\",\"followers\":9000}"},
        {4, "{\"platform\":\"kuaishou\",\"as_of\":\"2001-02-01\",\"followers\":5000}"},
    };
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld/followers",
                 id[counts[i].who]);
        json_decref(CALL(&s, "POST", off, path, counts[i].body, 201));
    }
    session(&s, off, id[2], "2001-04-01", 0);
    /* 乙 deleted today (after the day asked), 戊 deleted in May 2001 (before it) */
    int gone[] = {1, 4};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", id[gone[i]]);
        json_decref(CALL(&s, "DELETE", off, path, NULL, 204));
    }
    snprintf(q, sizeof q,
             "UPDATE audit SET at = 988675200 WHERE entity = 'ec_streamer' AND entity_id = %lld"
             " AND action = 'anonymise'; UPDATE ec_streamers SET updated_at = 988675200 WHERE"
             " id = %lld",
             id[4], id[4]);
    th_sql_exec(&s, q);
    /* 己 registered on 2001-01-01, nothing recorded of it; 丁 registered today */
    snprintf(q, sizeof q, "UPDATE ec_streamers SET created_at = 978307200 WHERE id = %lld", id[5]);
    th_sql_exec(&s, q);
    /* on 2001-06-30: 甲, 乙, 丙 and 己 were on the register, 4000 followers among them */
    json_t *k = CALL(&s, "GET", off, "/api/v1/ecommerce/kpi?to=2001-06-30", NULL, 200);
    CHECK_INT(th_int(k, "avg_followers"), 1000);
    CHECK_INT(th_int(k, "followers_total"), 4000);
    CHECK_INT(th_int(k, "followers_streamers"), 4);
    json_decref(k);
    /* before anything was recorded: 己 alone */
    k = CALL(&s, "GET", off, "/api/v1/ecommerce/kpi?to=2001-01-31", NULL, 200);
    CHECK_INT(th_int(k, "followers_streamers"), 1);
    CHECK_INT(th_int(k, "followers_total"), 0);
    CHECK_INT(th_int(k, "avg_followers"), 0);
    json_decref(k);
    /* without `to`: today's register, its followers */
    k = CALL(&s, "GET", off, "/api/v1/ecommerce/kpi", NULL, 200);
    long long n = th_int(k, "streamers");
    CHECK_INT(th_int(k, "followers_streamers"), n);
    CHECK_INT(th_int(k, "avg_followers"), (th_int(k, "followers_total") + n / 2) / n);
    json_decref(k);
    th_stop(&s);
}

/* A write from the command line whose checks go stale before its transaction. The server's
 * requests run inside a write transaction from the start, but a pingji command checks first and
 * then begins: the test holds the database's write lock, starts the command (it passes its
 * checks and waits for the lock), commits `sql` — what another process did meanwhile — and lets
 * go. Returns the command's exit status, its output in out. */
static int stale_command(th_server *s, const char *const *args, const char *sql, char *out,
                         size_t size)
{
    sqlite3 *db;
    if (sqlite3_open(s->db, &db) != SQLITE_OK) t_fail(__FILE__, __LINE__, "open %s", s->db);
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        t_fail(__FILE__, __LINE__, "begin");
    int pfd[2];
    if (pipe(pfd)) t_fail(__FILE__, __LINE__, "pipe");
    fflush(NULL);
    pid_t kid = fork();
    if (kid == 0) {
        static char text[1 << 14];
        int rc = th_run(text, sizeof text, args);
        size_t n = strlen(text);
        if (write(pfd[1], &rc, sizeof rc) != sizeof rc || write(pfd[1], text, n) != (ssize_t)n)
            _exit(2);
        _exit(0);
    }
    close(pfd[1]);
    struct timespec pause = {0, 700 * 1000 * 1000}; /* the command reaches its BEGIN meanwhile */
    nanosleep(&pause, NULL);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK)
        t_fail(__FILE__, __LINE__, "meanwhile: %s", msg ? msg : "?");
    sqlite3_close(db);
    int rc = -1;
    if (read(pfd[0], &rc, sizeof rc) != sizeof rc) rc = -1;
    size_t got = 0;
    ssize_t k;
    while (got + 1 < size && (k = read(pfd[0], out + got, size - 1 - got)) > 0) got += (size_t)k;
    out[got] = 0;
    waitpid(kid, NULL, 0);
    close(pfd[0]);
    return rc;
}

/* Regression: a booking's cancel checked "still booked" before its transaction and its UPDATE
 * had no condition on the state, so a cancel committed meanwhile by another process was
 * cancelled again: a second audit row, the version moved. The UPDATE is conditional inside the
 * transaction: 409 invalid_state, nothing written. Over the API, a cancel of a cancelled
 * booking is 409 and writes no audit row. */
TEST_T(ecommerce_booking_cancel_decided_inside_the_transaction, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80], path[96], b[256], q[512];
    th_login(&s, "officer", s.demo_pw, off);
    long long base =
        NEW(&s, off, "/api/v1/ecommerce/bases", "{\"name\":\"撤约村播点\",\"tier\":\"village\"}");
    snprintf(path, sizeof path, "/api/v1/ecommerce/bases/%lld/studios", base);
    long long studio = NEW(&s, off, path, "{\"name\":\"一号间\"}");
    snprintf(b, sizeof b,
             "{\"studio_id\":%lld,\"starts_at\":\"2030-05-01T08:00:00Z\","
             "\"ends_at\":\"2030-05-01T10:00:00Z\"}",
             studio);
    long long id = NEW(&s, off, "/api/v1/ecommerce/bookings", b);
    /* another process cancels it while the command waits for the lock */
    snprintf(q, sizeof q,
             "DELETE FROM ec_booking_slots WHERE booking_id = %lld; UPDATE ec_bookings SET"
             " state = 'cancelled', version = version + 1 WHERE id = %lld; INSERT INTO audit (at,"
             " username, action, entity, entity_id) VALUES (strftime('%%s', 'now'), 'officer',"
             " 'cancel', 'ec_booking', %lld)",
             id, id, id);
    char out[4096], ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *args[] = {"ecommerce", "booking-cancel", ids, "--db", s.db, NULL};
    CHECK_INT(stale_command(&s, args, q, out, sizeof out), 1);
    CHECK(strstr(out, "invalid_state") != NULL);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ec_booking' AND entity_id = %lld AND"
             " action = 'cancel'",
             id);
    CHECK_INT(th_sql_int(&s, q), 1);
    char v[96];
    snprintf(v, sizeof v, "SELECT version FROM ec_bookings WHERE id = %lld", id);
    CHECK_INT(th_sql_int(&s, v), 2);
    /* the API: a cancelled booking is not cancelled again */
    snprintf(path, sizeof path, "/api/v1/ecommerce/bookings/%lld", id);
    json_t *o = CALL(&s, "DELETE", off, path, NULL, 409);
    CHECK_STR(th_err_code(o), "invalid_state");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, q), 1);
    CHECK_INT(th_sql_int(&s, v), 2);
    th_stop(&s);
}

/* Regression: logging a practice session checked "enrolled" and "cohort running" before its
 * transaction, so a withdrawal or the cohort's graduation committed meanwhile by another
 * process still took the practice. Both are decided inside the transaction (a conditional
 * UPDATE of the enrolment): 409 invalid_state, no practice row, no audit row. */
TEST_T(academy_practice_decided_inside_the_transaction, 60)
{
    th_server s;
    th_start(&s, 1);
    char off[80], path[96], b[256], q[512];
    th_login(&s, "officer", s.demo_pw, off);
    fix f;
    fixture(&s, off, "P", 0, 0, &f);
    long long sid[2], eid[2], ses[2];
    for (int i = 0; i < 2; i++) {
        snprintf(b, sizeof b,
                 "{\"name\":\"实训学员%d\",\"birth_date\":\"1990-01-01\",\"skill_level\":5}",
                 i + 1);
        sid[i] = NEW(&s, off, "/api/v1/ecommerce/streamers", b);
        snprintf(b, sizeof b,
                 "{\"cohort_id\":%lld,\"streamer_id\":%lld,\"post_id\":%lld,\"enrolled_on\":"
                 "\"2024-03-10\"}",
                 f.cohort, sid[i], f.post);
        eid[i] = NEW(&s, off, "/api/v1/academy/enrolments", b);
        ses[i] = session(&s, off, sid[i], "2024-04-01", 0);
    }
    snprintf(path, sizeof path, "/api/v1/academy/cohorts/%lld", f.cohort);
    json_t *o = CALL(&s, "GET", off, path, NULL, 200);
    snprintf(b, sizeof b, "{\"state\":\"running\",\"version\":%lld}", th_int(o, "version"));
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/academy/cohorts/%lld/state", f.cohort);
    json_decref(CALL(&s, "POST", off, path, b, 200));
    /* while the cohort runs, practice counts */
    long long more = session(&s, off, sid[1], "2024-04-02", 0);
    snprintf(path, sizeof path, "/api/v1/academy/enrolments/%lld/practice", eid[1]);
    snprintf(b, sizeof b, "{\"session_id\":%lld}", more);
    json_decref(CALL(&s, "POST", off, path, b, 200));
    char sql[2][512];
    /* the first student withdrawn meanwhile */
    snprintf(sql[0], sizeof sql[0],
             "UPDATE ac_enrolments SET state = 'withdrawn', version = version + 1 WHERE id ="
             " %lld; UPDATE ac_cohorts SET enrolled = enrolled - 1 WHERE id = %lld; UPDATE"
             " ac_posts SET filled = filled - 1 WHERE id = %lld",
             eid[0], f.cohort, f.post);
    /* the cohort graduated meanwhile */
    snprintf(sql[1], sizeof sql[1],
             "UPDATE ac_cohorts SET state = 'graduated', version = version + 1 WHERE id = %lld",
             f.cohort);
    for (int i = 0; i < 2; i++) {
        snprintf(q, sizeof q,
                 "SELECT (SELECT COUNT(*) FROM ac_practice WHERE enrolment_id = %lld) * 1000 +"
                 " (SELECT COUNT(*) FROM audit WHERE entity = 'ac_enrolment' AND entity_id ="
                 " %lld AND action = 'practice') * 100 + (SELECT version FROM ac_enrolments"
                 " WHERE id = %lld)",
                 eid[i], eid[i], eid[i]);
        long long was = th_sql_int(&s, q);
        char out[4096], ids[24], ss[24];
        snprintf(ids, sizeof ids, "%lld", eid[i]);
        snprintf(ss, sizeof ss, "%lld", ses[i]);
        const char *args[] = {"academy", "practice", ids, "--session-id", ss, "--db", s.db, NULL};
        CHECK_INT(stale_command(&s, args, sql[i], out, sizeof out), 1);
        CHECK(strstr(out, "invalid_state") != NULL);
        /* the version moved by the withdrawal alone */
        CHECK_INT(th_sql_int(&s, q), was + (i == 0));
    }
    th_stop(&s);
}
