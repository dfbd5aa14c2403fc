/* Idempotency-Key: a write sent again with its key (the answer lost on a rural network, the
 * button pressed again after a timeout) is answered as the first time and done once. A time
 * bank redemption sent twice with one key debits once; the same key with another write is
 * 422 and changes nothing; keys are the caller's own; a refused write keeps no key; a key is
 * kept with the write through a crash and forgotten after a day; a malformed key is 400. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "eldercare/el_fixture.h"

/* A POST as tok with header (NULL: none): the status; the answer into *out, the head into
 * head (of head_size). */
static int post_keyed(th_server *s, const char *tok, const char *path, const char *body,
                      const char *header, json_t **out, char *head, size_t head_size)
{
    return th_call_hdr(s, "POST", path, tok, body, -1, NULL, header, out, head, head_size);
}

static long long balance(th_server *s, const char *tok, long long account)
{
    char path[80];
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld", account);
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    long long b = th_int(o, "balance_min");
    json_decref(o);
    return b;
}

static int replayed(const char *head)
{
    char v[16];
    th_header(head, head + strlen(head), "Idempotent-Replayed", v, sizeof v);
    return !strcmp(v, "true");
}

TEST_T(http_idempotency_key_redeems_once, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[128], body[256], head[4096], fp0[TH_FINGERPRINT_SIZE],
        fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s), eid, hid;
    long long acc = el_earned(&s, g, off, grid, 240, &eid, &hid); /* a helper of 76 */
    CHECK_INT(balance(&s, off, acc), 240);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/redeem", acc);
    const char *k1 = "Idempotency-Key: 6f1c2a8e-redeem-1";

    /* the first time: done */
    json_t *a = NULL, *b = NULL;
    CHECK_INT(
        post_keyed(&s, off, path, "{\"minutes\":30,\"note\":\"助浴\"}", k1, &a, head, sizeof head),
        200);
    CHECK(!replayed(head));
    CHECK_INT(th_int(a, "balance_min"), 210);
    long long redeems =
        th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'redeem' AND entity ="
                       " 'credit_account'");
    CHECK_INT(redeems, 1);

    /* sent again with the key: the same answer, said to be the first one's; nothing written */
    th_fingerprint(&s, fp0, sizeof fp0);
    CHECK_INT(
        post_keyed(&s, off, path, "{\"minutes\":30,\"note\":\"助浴\"}", k1, &b, head, sizeof head),
        200);
    CHECK(replayed(head));
    CHECK(json_equal(a, b));
    json_decref(b);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(balance(&s, off, acc), 210);

    /* the key with another body, or on another path: refused, nothing written */
    b = NULL;
    CHECK_INT(
        post_keyed(&s, off, path, "{\"minutes\":20,\"note\":\"助浴\"}", k1, &b, head, sizeof head),
        422);
    CHECK_STR(th_err_code(b), "idempotency_key_reused");
    CHECK_STR(th_err_field(b), "Idempotency-Key");
    CHECK(strstr(th_err_message(b), "with another body") != NULL);
    json_decref(b);
    char tpath[128], tbody[160];
    snprintf(tpath, sizeof tpath, "/api/v1/credit-accounts/%lld/transfer", acc);
    snprintf(tbody, sizeof tbody, "{\"minutes\":30,\"to_elder_id\":%lld,\"relation\":\"spouse\"}",
             eid);
    b = NULL;
    CHECK_INT(post_keyed(&s, off, tpath, tbody, k1, &b, head, sizeof head), 422);
    CHECK_STR(th_err_code(b), "idempotency_key_reused");
    CHECK(strstr(th_err_message(b), "/redeem") != NULL);
    json_decref(b);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);

    /* keys are each account's own: grid01's write with the same key is done */
    snprintf(body, sizeof body,
             "{\"entries\":[{\"elder_id\":%lld,\"kind\":\"meal\",\"helper_id\":%lld,"
             "\"minutes\":30}]}",
             eid, hid);
    b = NULL;
    int st = post_keyed(&s, g, "/api/v1/service-logs", body, k1, &b, head, sizeof head);
    if (st != 201) t_fail(__FILE__, __LINE__, "grid01 with the key: %d %s", st, th_err_message(b));
    CHECK(!replayed(head));
    json_decref(b);
    CHECK_INT(balance(&s, off, acc), 240);

    /* without a key, two redemptions are two */
    json_decref(EL(&s, off, "POST", path, "{\"minutes\":10}", 200));
    json_decref(EL(&s, off, "POST", path, "{\"minutes\":10}", 200));
    CHECK_INT(balance(&s, off, acc), 220);

    /* a refused write keeps no key: corrected, it is done under the same key */
    const char *k2 = "Idempotency-Key: 6f1c2a8e-redeem-2";
    b = NULL;
    CHECK_INT(post_keyed(&s, off, path, "{\"minutes\":100000}", k2, &b, head, sizeof head), 409);
    json_decref(b);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM idempotency_keys WHERE key ="
                             " '6f1c2a8e-redeem-2'"),
              0);
    b = NULL;
    CHECK_INT(post_keyed(&s, off, path, "{\"minutes\":20}", k2, &b, head, sizeof head), 200);
    CHECK(!replayed(head));
    CHECK_INT(th_int(b, "balance_min"), 200);
    json_decref(b);

    /* kept with the write through a crash: answered again from the restarted server */
    th_crash_restart(&s);
    b = NULL;
    CHECK_INT(post_keyed(&s, off, path, "{\"minutes\":20}", k2, &b, head, sizeof head), 200);
    CHECK(replayed(head));
    CHECK_INT(th_int(b, "balance_min"), 200);
    json_decref(b);
    CHECK_INT(balance(&s, off, acc), 200);

    /* forgotten after a day: the same write under the old key is done again */
    th_sql_exec(&s, "UPDATE idempotency_keys SET created_at = created_at - 86401");
    b = NULL;
    CHECK_INT(post_keyed(&s, off, path, "{\"minutes\":20}", k2, &b, head, sizeof head), 200);
    CHECK(!replayed(head));
    CHECK_INT(th_int(b, "balance_min"), 180);
    json_decref(b);
    json_decref(a);

    /* a malformed key: 400, nothing written */
    th_fingerprint(&s, fp0, sizeof fp0);
    char longkey[300] = "Idempotency-Key: ";
    memset(longkey + strlen(longkey), 'k', 256);
    const char *bad[] = {"Idempotency-Key: two words", "Idempotency-Key: 键", longkey};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        b = NULL;
        CHECK_INT(post_keyed(&s, off, path, "{\"minutes\":5}", bad[i], &b, head, sizeof head), 400);
        CHECK_STR(th_err_code(b), "bad_idempotency_key");
        CHECK_STR(th_err_field(b), "Idempotency-Key");
        json_decref(b);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(balance(&s, off, acc), 180);
    th_stop(&s);
}

/* A kept answer is committed: a write sent again is answered at once while another program
 * holds the database's write lock (it waited up to 5 s for a lock it does not need, then 503
 * busy, which the console took for "not made"); two keys in one request are 400; the keys past
 * their day are removed by the server's own timer, keyed writes or not (their answers hold
 * what the writes answered). */
TEST_T(http_idempotency_key_replay_needs_no_lock_and_keys_expire, 120)
{
    th_server s;
    th_opts o = {.demo = 1, .session_prune_s = 1};
    th_start_opts(&s, &o);
    char g[80], off[80], path[128], head[4096];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s), eid, hid;
    long long acc = el_earned(&s, g, off, grid, 120, &eid, &hid);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/redeem", acc);
    const char *k = "Idempotency-Key: 3b1d-lock-1";
    json_t *a = NULL, *b = NULL;
    CHECK_INT(post_keyed(&s, off, path, "{\"minutes\":15}", k, &a, head, sizeof head), 200);

    /* another program holds the write lock: the resend is answered from what is committed */
    sqlite3 *h = NULL;
    CHECK(sqlite3_open(s.db, &h) == SQLITE_OK);
    CHECK(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_INT(post_keyed(&s, off, path, "{\"minutes\":15}", k, &b, head, sizeof head), 200);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    CHECK(replayed(head));
    CHECK(json_equal(a, b));
    if (ms > 2500) t_fail(__FILE__, __LINE__, "the resend waited %.0f ms for the lock", ms);
    json_decref(b);
    sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h);
    CHECK_INT(balance(&s, off, acc), 105);

    /* two keys in one request: which one is not guessed */
    char req[1024], out[8192];
    snprintf(req, sizeof req,
             "POST %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\nContent-Type:"
             " application/json\r\nIdempotency-Key: 3b1d-lock-1\r\nIdempotency-Key: 3b1d-x\r\n"
             "Content-Length: 14\r\nConnection: close\r\n\r\n{\"minutes\":15}",
             path, off);
    int fd = th_dial(s.port, NULL, 10000);
    CHECK(write(fd, req, strlen(req)) == (ssize_t)strlen(req));
    th_read_all(fd, out, sizeof out);
    close(fd);
    CHECK(!strncmp(out, "HTTP/1.1 400", 12));
    CHECK(strstr(out, "\"bad_idempotency_key\"") != NULL);
    CHECK_INT(balance(&s, off, acc), 105);

    /* past its day, the key is removed by the server's timer (every second here) */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM idempotency_keys"), 1);
    th_sql_exec(&s, "UPDATE idempotency_keys SET created_at = created_at - 86401");
    for (int i = 0; i < 50 && th_sql_int(&s, "SELECT COUNT(*) FROM idempotency_keys"); i++)
        usleep(100000);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM idempotency_keys"), 0);
    json_decref(a);
    th_stop(&s);
}
