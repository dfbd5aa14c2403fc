#include "domain/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/input.h"
#include "domain/render.h"
#include "domain/rows.h"

#include "core/banned.h"

int pj_auth_init(pj_err *err)
{
    if (sodium_init() < 0) return pj_fail(err, 500, "internal", "", "libsodium cannot start");
    return 0;
}

/* ---- failed log-ins, per user name and client address (in memory) ----
 * A lockout stops one client address guessing one name; the owner elsewhere logs in as
 * usual. Names that do not exist are counted alike, so the answers tell nothing about which
 * names exist. A lock holds while the password it guarded is the stored one: a new password
 * lifts it. 4-way sets; a locked entry is the last to give way. */
#define FAIL_SETS 1024
#define FAIL_WAYS 4
typedef struct fail_entry {
    uint64_t key;              /* hash of name and address, 0 = empty */
    uint64_t name_h;           /* hash of the name */
    unsigned char name_id[16]; /* the name's keyed BLAKE2b: names of any length compare whole */
    uint64_t pw_tag;           /* hash of the stored password hash (0: no such user) */
    int64_t last;              /* the latest failure, unix s */
    int64_t locked_until;
    int failures;
    char addr[48];
} fail_entry;
static fail_entry fails[FAIL_SETS][FAIL_WAYS];
static int fails_locked; /* entries locked at some point and not yet seen expired: 0 = none */

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static uint64_t fail_seed(void)
{
    static uint64_t seed;
    while (!seed) pj_random_bytes(&seed, sizeof seed);
    return seed;
}

/* The keyed hash a name is told apart by (the whole name, however long). */
static void name_id_of(const char *name, unsigned char out[16])
{
    static unsigned char key[crypto_generichash_KEYBYTES];
    static int keyed;
    if (!keyed) pj_random_bytes(key, sizeof key), keyed = 1;
    crypto_generichash(out, 16, (const unsigned char *)name, strlen(name), key, sizeof key);
}

static uint64_t fail_key(const char *name, const char *addr)
{
    uint64_t h = fnv(fnv(fail_seed(), name) * 31 + 1, addr);
    return h ? h : 1;
}

/* The entry of (name, addr); with make, a new one (evicting the stalest) when there is none. */
static fail_entry *fail_find(const char *name, const char *addr, int make)
{
    uint64_t k = fail_key(name, addr);
    unsigned char id[16];
    name_id_of(name, id);
    fail_entry *set = fails[k % FAIL_SETS], *victim = NULL;
    int64_t now = pj_now();
    for (int i = 0; i < FAIL_WAYS; i++) {
        fail_entry *e = &set[i];
        if (e->key == k && !memcmp(e->name_id, id, sizeof id) && !strcmp(e->addr, addr)) return e;
        /* an empty slot first, then an unlocked one, then the locked; the oldest of a kind */
        int rank = !e->key ? 0 : e->locked_until > now ? 2 : 1;
        int vrank = !victim ? 3 : !victim->key ? 0 : victim->locked_until > now ? 2 : 1;
        if (rank < vrank || (rank == vrank && e->last < victim->last)) victim = e;
    }
    if (!make) return NULL;
    memset(victim, 0, sizeof *victim);
    victim->key = k;
    victim->name_h = fnv(fail_seed(), name);
    memcpy(victim->name_id, id, sizeof id);
    snprintf(victim->addr, sizeof victim->addr, "%s", addr);
    return victim;
}

/* 1 when some client address is locked out of the name now (for the password tagged). */
static int locked_anywhere(const char *name, uint64_t pw_tag)
{
    if (!fails_locked) return 0;
    uint64_t nh = fnv(fail_seed(), name);
    unsigned char id[16];
    name_id_of(name, id);
    int64_t now = pj_now();
    int any = 0, left = 0;
    for (int i = 0; i < FAIL_SETS; i++)
        for (int j = 0; j < FAIL_WAYS; j++) {
            const fail_entry *e = &fails[i][j];
            if (e->locked_until <= now) continue;
            left++;
            if (e->name_h == nh && e->pw_tag == pw_tag && !memcmp(e->name_id, id, sizeof id))
                any = 1;
        }
    fails_locked = left;
    return any;
}

static uint64_t pw_tag_of(const char *hash)
{
    return hash && *hash ? fnv(fail_seed(), hash) : 0;
}

const char *const pj_user_roles[] = {
    "admin",       "district_officer", "township_officer", "facility_operator",
    "grid_worker", "enterprise",       "viewer",           NULL};

/* Passwords everyone tries first (lower case; compared without regard to case): the ones of
 * 10 characters or more that the length rule lets through. */
static const char *const common_passwords[] = {
    "1234567890", "0123456789",   "9876543210",    "12345678910", "123456789a",   "a123456789",
    "1q2w3e4r5t", "1qaz2wsx3edc", "qwertyuiop",    "qwerty1234",  "qwerty123456", "asdfghjkl;",
    "password12", "password123",  "password1234",  "passw0rd123", "p@ssw0rd123",  "p@ssword123",
    "abc1234567", "abcd123456",   "abcdefghij",    "iloveyou12",  "woaini1314",   "woaini520",
    "admin12345", "admin123456",  "administrator", "pingji1234",  "pingji123456", NULL};

/* 1 when s runs up or down by one character each step (abcdefghij, 9876543210; 1234567890
 * with 0 after 9), as a keyboard run or a count is typed. */
static int straight_run(const char *s)
{
    size_t n = strlen(s);
    int up = 1, down = 1;
    for (size_t i = 1; i < n; i++) {
        int a = (unsigned char)s[i - 1], b = (unsigned char)s[i];
        if (!(b == a + 1 || (a == '9' && b == '0'))) up = 0;
        if (!(b == a - 1 || (a == '0' && b == '9'))) down = 0;
    }
    return up || down;
}

int pj_password_rules(const char *username, const char *password, pj_err *err)
{
    if (pj_utf8_len(password, strlen(password)) < 10)
        return pj_fail(err, 422, "weak_password", "password",
                       "the password must have at least 10 characters");
    if (strlen(password) > 256)
        return pj_fail(err, 422, "too_long", "password", "the password is too long");
    if (username && *username && strcasestr(password, username))
        return pj_fail(err, 422, "weak_password", "password",
                       "the password must not contain the user name");
    /* fewer than 4 different characters (ten spaces, aaaaabbbbb) guesses in no time */
    int distinct = 0;
    for (const char *p = password; *p && distinct < 4;) {
        size_t n = 1; /* a character: its lead byte and continuation bytes */
        while (((unsigned char)p[n] & 0xC0) == 0x80) n++;
        int again = 0;
        for (const char *q = password; q < p && !again; q++)
            again = ((unsigned char)*q & 0xC0) != 0x80 && !strncmp(q, p, n) &&
                    ((unsigned char)q[n] & 0xC0) != 0x80;
        distinct += !again;
        p += n;
    }
    if (distinct < 4)
        return pj_fail(err, 422, "weak_password", "password",
                       "the password must use at least 4 different characters");
    int common = straight_run(password);
    for (int i = 0; !common && common_passwords[i]; i++)
        common = !strcasecmp(password, common_passwords[i]);
    if (common)
        return pj_fail(err, 422, "weak_password", "password",
                       "the password is one of the first ones guessed; choose another");
    return 0;
}

void pj_password_generate(const char *username, char out[21])
{
    /* drawn again while the rules refuse it: a name of hex digits ("007", "fed") is inside one
     * draw in about 230, and the operator, who typed no password, was told to choose another */
    pj_err weak = {0};
    do {
        unsigned char raw[10];
        pj_random_bytes(raw, sizeof raw);
        pj_hex(raw, sizeof raw, out);
    } while (pj_password_rules(username, out, &weak));
}

/* The argon2id hash of pw at the product's cost, or with fast at the least (tests): 0, or -1
 * when libsodium fails (out of memory). */
static int hash_at(int fast, const char *pw, char out[crypto_pwhash_STRBYTES])
{
    unsigned long long ops = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        out[0] = 0;
        return -1;
    }
    return 0;
}

static int fast_hash(const pj_ctx *c)
{
    return c->settings && c->settings->fast_hash;
}

static int hash_password(const pj_ctx *c, const char *pw, char out[crypto_pwhash_STRBYTES],
                         pj_err *err)
{
    if (hash_at(fast_hash(c), pw, out))
        return pj_fail(err, 500, "internal", "", "password hashing failed");
    return 0;
}

/* ---- passwords hashed off the caller's thread (pj_pwjob) ---- */

/* Fills j with copies of the new password and, for a change of one's own, of the old one and
 * the stored hash it is to match. */
static int pwjob_fill(pj_pwjob *j, const pj_ctx *c, const char *pw, const char *old,
                      const char *old_hash, pj_err *err)
{
    memset(j, 0, sizeof *j);
    j->fast = fast_hash(c);
    j->password = strdup(pw);
    j->old_password = old ? strdup(old) : NULL;
    if (old_hash) snprintf(j->old_hash, sizeof j->old_hash, "%s", old_hash);
    if (!j->password || (old && !j->old_password)) {
        pj_pwjob_clear(j);
        return pj_fail(err, 500, "internal", "", "out of memory");
    }
    return 0;
}

void pj_pwjob_run(pj_pwjob *j)
{
    j->old_ok = 1;
    if (j->old_password) {
        size_t n = strlen(j->old_password);
        j->old_ok = crypto_pwhash_str_verify(j->old_hash, j->old_password, n) == 0;
        sodium_memzero(j->old_password, n);
    }
    if (j->password) {
        /* no hash for a change the old password does not allow */
        if (j->old_ok) hash_at(j->fast, j->password, j->hash);
        sodium_memzero(j->password, strlen(j->password));
    }
}

void pj_pwjob_clear(pj_pwjob *j)
{
    if (j->password) sodium_memzero(j->password, strlen(j->password));
    if (j->old_password) sodium_memzero(j->old_password, strlen(j->old_password));
    free(j->password);
    free(j->old_password);
    j->password = j->old_password = NULL;
}

/* The hash j made, or 500 when it made none. */
static const char *pwjob_hash(const pj_pwjob *j, pj_err *err)
{
    if (!j || !j->hash[0]) {
        pj_fail(err, 500, "internal", "", "password hashing failed");
        return NULL;
    }
    return j->hash;
}

static void token_hash(const char *token, char out[PJ_TOKEN_HEX + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    pj_hex(h, sizeof h, out);
}

/* Renders one user as JSON (grid ids included). */
/* A user's fields into the object open in w (user_render opens and closes it). */
static int user_render_fields(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(c,
                              "SELECT id, username, display_name, role, township_id, facility_id,"
                              " organisation_id, disabled, password_hash, created_at, updated_at,"
                              " version, (SELECT type FROM organisations o WHERE o.id ="
                              " users.organisation_id), locked_until FROM users WHERE id = ?",
                              id, "user", err);
    if (!s) return -1;
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kstr(w, "username", pj_col_text(s, 1));
    pj_jw_kstr(w, "display_name", pj_col_text(s, 2));
    pj_jw_kstr(w, "role", pj_col_text(s, 3));
    pj_render_ref(w, "township_id", s, 4);
    pj_render_ref(w, "facility_id", s, 5);
    pj_render_ref(w, "organisation_id", s, 6);
    /* what the organisation is (enterprise, bank, …): a bank's user acts on its products and
     * matches, not as an enterprise (no appeals, needs or board posts of its own) */
    pj_render_text(w, "organisation_type", s, 12);
    pj_jw_kbool(w, "disabled", (int)pj_col_int(s, 7));
    /* the server's lock, or the end of one kept with the account (seen by the command line) */
    pj_jw_kbool(w, "locked",
                locked_anywhere(pj_col_text(s, 1), pw_tag_of(pj_col_text(s, 8))) ||
                    pj_col_int(s, 13) > pj_now());
    pj_render_time(w, "created_at", pj_col_int(s, 9));
    pj_render_time(w, "updated_at", pj_col_int(s, 10));
    pj_jw_kint(w, "version", pj_col_int(s, 11));
    pj_stmt_done(s);
    pj_jw_key(w, "grid_ids");
    pj_jw_arr(w);
    s = pj_db_prepare(
        c->db, "SELECT region_id FROM grid_workers WHERE user_id = ? ORDER BY region_id", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) pj_jw_int(w, pj_col_int(s, 0));
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    return rc < 0 ? -1 : 0;
}

static int user_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    pj_jw_obj(w);
    if (user_render_fields(c, id, w, err)) return -1;
    pj_jw_obj_end(w);
    return 0;
}

static char *user_json(pj_ctx *c, int64_t id, pj_err *err)
{
    return pj_render_to_string(c, id, user_render, err);
}

char *pj_user_snapshot(pj_ctx *c, int64_t id, pj_err *err)
{
    return user_json(c, id, err);
}

static int new_session(pj_ctx *c, int64_t user_id, char token[PJ_TOKEN_HEX + 1], pj_err *err)
{
    unsigned char raw[32];
    pj_random_bytes(raw, sizeof raw);
    pj_hex(raw, sizeof raw, token);
    char th[PJ_TOKEN_HEX + 1];
    token_hash(token, th);
    pj_stmt *s = pj_db_prepare(
        c->db, "INSERT INTO sessions (user_id, token_hash, created_at, last_seen) VALUES (?,?,?,?)",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, user_id);
    pj_stmt_text(s, 2, th);
    pj_stmt_int(s, 3, pj_now());
    pj_stmt_int(s, 4, pj_now());
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* Removes at most PJ_SESSION_PRUNE sessions idle for longer than the idle time and a day more;
 * returns how many, or -1. The day is the longest idle time a server takes (--idle-minutes
 * 1440), so that another server on the same database with a longer idle time never loses a
 * live session, and a token expired within the day still gets session_expired rather than
 * unauthorized. Logged-out sessions and those of a changed password or a disabled user are
 * deleted when that happens. The one rule of both removals: in a log-in's transaction, and
 * in a transaction of its own (pj_sessions_prune, the server's timer). A batch at a time: a
 * backlog (rows from before this rule) goes over the next runs rather than holding up one. */
/* Sessions last seen before this are removed (the idle time and the grace day ago). */
static int64_t stale_before(const pj_ctx *c)
{
    return pj_now() - c->settings->session_idle_s - PJ_SESSION_GRACE_S;
}

static int prune_sessions(pj_ctx *c, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions"
                               " WHERE last_seen < ? LIMIT ?)",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, stale_before(c));
    pj_stmt_int(s, 2, PJ_SESSION_PRUNE);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc < 0 ? -1 : pj_db_changes(c->db);
}

int pj_sessions_prune(pj_ctx *c, pj_err *err)
{
    /* a read first (WAL: no lock): the write lock is asked for only when there is something to
     * remove, so an idle server never waits on another connection's write (a command-line
     * import) for nothing */
    pj_stmt *s = pj_db_prepare(c->db, "SELECT 1 FROM sessions WHERE last_seen < ? LIMIT 1", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, stale_before(c));
    int any = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (any <= 0) return any;
    if (pj_db_begin(c->db, err)) return -1;
    int n = prune_sessions(c, err);
    if (n <= 0) {
        /* nothing removed: no commit, so that the server's caches stay valid */
        pj_db_rollback(c->db);
        return n;
    }
    return pj_db_commit(c->db, err) ? -1 : n;
}

/* The hash an unknown name's password is checked against, made once (at the cost settings
 * asks for). */
static const char *dummy_hash(const pj_settings *settings)
{
    static char dummy[crypto_pwhash_STRBYTES];
    if (!dummy[0]) {
        pj_ctx c = {.settings = settings};
        hash_password(&c, "pingji-timing-equaliser", dummy, NULL);
    }
    return dummy;
}

void pj_auth_prepare(const pj_settings *settings)
{
    dummy_hash(settings);
}

/* The user of a name: id (0: none), stored hash, disabled flag and role. */
static int user_of(pj_ctx *c, const char *username, int64_t *id, char hash[crypto_pwhash_STRBYTES],
                   int64_t *disabled, char role[32], pj_err *err)
{
    *id = *disabled = 0;
    hash[0] = role[0] = 0;
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT id, password_hash, disabled, role FROM users WHERE username = ?", err);
    if (!s) return -1;
    pj_stmt_text(s, 1, username);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        *id = pj_col_int(s, 0);
        snprintf(hash, crypto_pwhash_STRBYTES, "%s", pj_col_text(s, 1));
        *disabled = pj_col_int(s, 2);
        snprintf(role, 32, "%s", pj_col_text(s, 3));
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* What failures are counted by: the client's address, an IPv6 one's /64 ("local" outside
 * HTTP). */
static const char *fail_addr(const pj_ctx *c)
{
    return c->client && *c->client ? c->client : "local";
}

static const char *fail_key_of(const pj_ctx *c)
{
    return c->client_key && *c->client_key ? c->client_key : fail_addr(c);
}

/* 423 when the name is locked for the client key (for the password tagged): the same answer
 * whether the name exists. *fe_out (may be NULL) gets the name's failure entry, if any. */
static int lock_check(const char *name, const char *key, uint64_t tag, fail_entry **fe_out,
                      pj_err *err)
{
    int64_t now = pj_now();
    fail_entry *fe = fail_find(name, key, 0);
    if (fe_out) *fe_out = fe;
    if (fe && fe->pw_tag == tag && fe->locked_until > now)
        return pj_fail(err, 423, "locked", "username",
                       "too many failed logins; try again in %lld minutes",
                       (long long)((fe->locked_until - now + 59) / 60));
    return 0;
}

_Static_assert(PJ_PWHASH_MAX == crypto_pwhash_STRBYTES, "pj_login's hash holds a stored hash");

int pj_login_start(pj_ctx *c, const char *username, const char *password, pj_login *l, pj_err *err)
{
    memset(l, 0, sizeof *l);
    int64_t id, disabled;
    char role[32];
    if (user_of(c, username, &id, l->hash, &disabled, role, err)) return -1;
    l->tag = pw_tag_of(id ? l->hash : NULL);
    if (lock_check(username, fail_key_of(c), l->tag, NULL, err)) return -1;
    /* an unknown name costs as much as a wrong password, so timing tells nothing */
    if (!id) snprintf(l->hash, sizeof l->hash, "%s", dummy_hash(c->settings));
    l->fast = fast_hash(c);
    l->username = strdup(username);
    l->password = strdup(password);
    if (!l->username || !l->password) {
        pj_login_clear(l);
        return pj_fail(err, 500, "internal", "", "out of memory");
    }
    return 0;
}

int pj_login_verify(pj_login *l)
{
    size_t n = strlen(l->password);
    l->verified = crypto_pwhash_str_verify(l->hash, l->password, n) == 0;
    /* a hash made at a lower cost (a server run with --fast-hash, an older setting) is
     * replaced at the first log-in that knows the password */
    if (l->verified && !l->fast &&
        crypto_pwhash_str_needs_rehash(l->hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                       crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        hash_at(0, l->password, l->rehash);
    sodium_memzero(l->password, n);
    return l->verified;
}

void pj_login_clear(pj_login *l)
{
    if (l->password) sodium_memzero(l->password, strlen(l->password));
    free(l->password);
    free(l->username);
    l->password = l->username = NULL;
}

/* The end of a lock of user id, kept with the account (the latest of its locks): the user
 * object's "locked" read by another process (the command line) as by the server. */
static int keep_lock_end(pj_ctx *c, int64_t id, int64_t until, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db, "UPDATE users SET locked_until = MAX(locked_until, ?) WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, until);
    pj_stmt_int(s, 2, id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_auth_forget_locks(pj_db *db, pj_err *err)
{
    return pj_db_exec(db, "UPDATE users SET locked_until = 0 WHERE locked_until <> 0", err);
}

/* A wrong password for name from the address keyed key (tag: the stored password's), counted
 * toward the name's lock there, with its audit row (a security record, committed although the
 * request fails; what names the check, e.g. "old_password", or NULL for a log-in). 1 when this
 * failure locked the name, 0 when not, -1 on error. */
static int note_failure(pj_ctx *c, const char *username, const char *key, uint64_t tag, int64_t id,
                        const char *what, pj_err *err)
{
    int64_t now = pj_now();
    fail_entry *fe = fail_find(username, key, 1);
    if (fe->pw_tag != tag || (fe->locked_until && fe->locked_until <= now)) {
        fe->failures = 0; /* a new password, or an expired lock: counting starts anew */
        fe->locked_until = 0;
    }
    fe->pw_tag = tag;
    fe->last = now;
    int lock = ++fe->failures >= c->settings->lockout_failures;
    if (lock) {
        fe->failures = 0;
        fe->locked_until = now + c->settings->lockout_s;
        fails_locked++;
    }
    json_t *after = json_pack("{s:s, s:s}", "username", username, "client", fail_addr(c));
    if (after && what) json_object_set_new(after, "check", json_string(what));
    char *aj = after ? json_dumps(after, JSON_COMPACT) : NULL;
    json_decref(after);
    if (pj_db_begin(c->db, err)) {
        free(aj);
        return -1;
    }
    int bad = pj_audit_add(c, lock ? "login_locked" : "login_failed", "user", id, NULL, aj, err) ||
              (lock && id && keep_lock_end(c, id, fe->locked_until, err)) ||
              pj_db_commit(c->db, err);
    free(aj);
    if (bad) {
        pj_db_rollback(c->db);
        return -1;
    }
    return lock;
}

/* The last hashes replaced by a stronger hash of the same password (tags, from → to): a log-in
 * whose check began against the old hash while another log-in replaced it checked the same
 * password, and is not failed as one checked against a replaced password would be. */
enum { REHASHED = 16 };
static struct {
    uint64_t from, to;
} rehashed[REHASHED];
static unsigned rehashed_next;

static int same_password(uint64_t checked, uint64_t now)
{
    if (checked == now) return 1;
    for (int i = 0; i < REHASHED; i++)
        if (rehashed[i].from == checked && rehashed[i].to == now) return 1;
    return 0;
}

/* Replaces user id's stored hash old by the same password's stronger hash nh (its sessions
 * stay: the password is the same). */
static int rehash(pj_ctx *c, int64_t id, const char *old, const char *nh, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db, "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?", err);
    if (!s) return -1;
    pj_stmt_text(s, 1, nh);
    pj_stmt_int(s, 2, id);
    pj_stmt_text(s, 3, old);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_login_finish(pj_ctx *c, const pj_login *l, pj_jw *w, char token_out[PJ_TOKEN_HEX + 1],
                    pj_err *err)
{
    const char *username = l->username;
    int64_t id, disabled;
    char hash[crypto_pwhash_STRBYTES], role[32];
    /* the user as it is now: the password was checked against the hash stored at the start */
    if (user_of(c, username, &id, hash, &disabled, role, err)) return -1;
    const char *addr = fail_addr(c);
    /* failures are counted per address (an IPv6 client's per /64), shown as the address */
    const char *key = fail_key_of(c);
    uint64_t tag = pw_tag_of(id ? hash : NULL);
    /* a lock made while the password was checked (by other attempts finishing first) holds
     * for this attempt too, as when the attempts come one after the other */
    fail_entry *fe;
    if (lock_check(username, key, tag, &fe, err)) return -1;
    /* a password checked against a hash since replaced counts as a wrong one */
    int ok = l->verified && same_password(l->tag, tag) && id && !disabled;
    if (!ok) {
        c->actor.username = pj_arena_strdup(c->arena, username);
        if (note_failure(c, username, key, tag, id, NULL, err) < 0) return -1;
        return pj_fail(err, 401, "invalid_credentials", "password", "wrong user name or password");
    }
    if (fe) memset(fe, 0, sizeof *fe); /* a success from this address forgets its failures */
    c->actor.user_id = id;
    c->actor.username = pj_arena_strdup(c->arena, username);
    c->actor.role = pj_role_parse(role);
    if (pj_db_begin(c->db, err)) return -1;
    json_t *after = json_pack("{s:s}", "client", addr);
    if (after && l->rehash[0] && tag == l->tag)
        json_object_set_new(after, "password_rehashed", json_true());
    char *aj = after ? json_dumps(after, JSON_COMPACT) : NULL;
    json_decref(after);
    int bad = (l->rehash[0] && tag == l->tag && rehash(c, id, l->hash, l->rehash, err)) ||
              prune_sessions(c, err) < 0 || new_session(c, id, token_out, err) ||
              pj_audit_add(c, "login", "user", id, NULL, aj, err) || pj_db_commit(c->db, err);
    free(aj);
    if (bad) goto fail;
    if (l->rehash[0] && tag == l->tag) {
        unsigned k = rehashed_next++ % REHASHED;
        rehashed[k].from = l->tag;
        rehashed[k].to = pw_tag_of(l->rehash);
    }
    pj_jw_obj(w);
    pj_jw_kstr(w, "token", token_out);
    pj_jw_kint(w, "expires_in", c->settings->session_idle_s);
    pj_jw_key(w, "user");
    if (user_render(c, id, w, err)) return -1;
    pj_jw_obj_end(w);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_auth_login(pj_ctx *c, const char *username, const char *password, pj_jw *w,
                  char token_out[PJ_TOKEN_HEX + 1], pj_err *err)
{
    pj_login l;
    if (pj_login_start(c, username, password, &l, err)) return -1;
    pj_login_verify(&l);
    int rc = pj_login_finish(c, &l, w, token_out, err);
    pj_login_clear(&l);
    return rc;
}

int pj_auth_session(pj_ctx *c, const char *token, pj_err *err)
{
    if (!token || strlen(token) != PJ_TOKEN_HEX)
        return pj_fail(err, 401, "unauthorized", "", "log in first");
    char th[PJ_TOKEN_HEX + 1];
    token_hash(token, th);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT s.id, s.last_seen, u.id, u.username, u.role, u.township_id,"
                               " u.facility_id, u.organisation_id, u.disabled FROM sessions s"
                               " JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
                               err);
    if (!s) return -1;
    pj_stmt_text(s, 1, th);
    int rc = pj_stmt_step(s, err);
    if (rc <= 0) {
        pj_stmt_done(s);
        return rc < 0 ? -1 : pj_fail(err, 401, "unauthorized", "", "log in first");
    }
    int64_t sid = pj_col_int(s, 0), last = pj_col_int(s, 1), now = pj_now();
    int disabled = (int)pj_col_int(s, 8);
    c->actor.user_id = pj_col_int(s, 2);
    c->actor.username = pj_arena_strdup(c->arena, pj_col_text(s, 3));
    c->actor.role = pj_role_parse(pj_col_text(s, 4));
    c->actor.township_id = pj_col_int(s, 5);
    c->actor.facility_id = pj_col_int(s, 6);
    c->actor.organisation_id = pj_col_int(s, 7);
    pj_stmt_done(s);
    if (disabled || now - last > c->settings->session_idle_s) {
        memset(&c->actor, 0, sizeof c->actor);
        return pj_fail(err, 401, "session_expired", "", "the session has expired; log in again");
    }
    /* last_seen is written at most once per step, not on every request; a session ends at
     * most one step (a tenth of the idle time, at most a minute) before its idle time is up.
     * A HEAD (unsent) is a probe (monitoring, a link checker): checked as a GET, it does not
     * keep the session alive. */
    int64_t step = c->settings->session_idle_s / 10;
    if (step > 60) step = 60;
    if (!c->unsent && now - last >= (step > 1 ? step : 1)) {
        s = pj_db_prepare(c->db, "UPDATE sessions SET last_seen = ? WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, now);
        pj_stmt_int(s, 2, sid);
        rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        /* another program holding the write lock (an import from the command line) does not
         * end the session or hold up its request: the touch is made by a later request */
        if (rc < 0 && err && !strcmp(err->code, "busy")) {
            pj_err_clear(err);
            rc = 0;
        }
        if (rc < 0) return -1;
    }
    return 0;
}

int pj_auth_logout(pj_ctx *c, const char *token, pj_err *err)
{
    char th[PJ_TOKEN_HEX + 1];
    token_hash(token ? token : "", th);
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db, "DELETE FROM sessions WHERE token_hash = ?", err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, th);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0 || pj_audit_add(c, "logout", "user", c->actor.user_id, NULL, NULL, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* The user with the session's idle time (expires_in, as the log-in answers it): a console
 * opened again on a session's cookie counts down what the server will do. */
int pj_auth_me(pj_ctx *c, pj_jw *w, pj_err *err)
{
    pj_jw_obj(w);
    if (user_render_fields(c, c->actor.user_id, w, err)) return -1;
    pj_jw_kint(w, "expires_in", c->settings->session_idle_s);
    pj_jw_obj_end(w);
    return 0;
}

/* Stores a new password's hash for user id. */
static int set_password(pj_ctx *c, int64_t id, const char *hash, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0, updated_at = ?"
        " WHERE id = ?",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, hash);
    pj_stmt_int(s, 2, pj_now());
    pj_stmt_int(s, 3, id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* a new password ends every other session of the user */
    s = pj_db_prepare(c->db, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    char th[PJ_TOKEN_HEX + 1] = "";
    if (c->actor.user_id == id && c->token) token_hash(c->token, th);
    pj_stmt_text(s, 2, th);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* The actor's stored password hash into hash ("" when the account is gone). */
static int own_hash(pj_ctx *c, char hash[crypto_pwhash_STRBYTES], pj_err *err)
{
    hash[0] = 0;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT password_hash FROM users WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, c->actor.user_id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) snprintf(hash, crypto_pwhash_STRBYTES, "%s", pj_col_text(s, 0));
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_auth_change_password_start(pj_ctx *c, json_t *body, pj_pwjob *j, pj_err *err)
{
    static const char *const allowed[] = {"old_password", "new_password", NULL};
    const char *oldpw, *newpw;
    memset(j, 0, sizeof *j);
    if (pj_in_object(body, err) || pj_in_only(body, allowed, err) ||
        pj_in_str(body, "old_password", 1, 1, 256, &oldpw, err) < 0 ||
        pj_in_str(body, "new_password", 1, 1, 256, &newpw, err) < 0 ||
        pj_password_rules(c->actor.username, newpw, err))
        return -1;
    if (!strcmp(oldpw, newpw))
        return pj_fail(err, 422, "invalid_value", "new_password",
                       "the new password is the one you have now; choose another");
    char hash[crypto_pwhash_STRBYTES];
    if (own_hash(c, hash, err)) return -1;
    /* the old password is a log-in's password: while the name is locked from this address
     * (wrong passwords, at log-in or here) it is not checked */
    if (lock_check(c->actor.username, fail_key_of(c), pw_tag_of(hash[0] ? hash : NULL), NULL, err))
        return -1;
    return pwjob_fill(j, c, newpw, oldpw, hash, err);
}

int pj_auth_change_password_finish(pj_ctx *c, const pj_pwjob *j, pj_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    if (own_hash(c, hash, err)) return -1;
    if (!j->old_ok) {
        /* counted as a failed log-in of the name from this address: a stolen session cannot
         * guess the password behind it any faster than the log-in form can */
        int lock = note_failure(c, c->actor.username, fail_key_of(c), pw_tag_of(j->old_hash),
                                c->actor.user_id, "old_password", err);
        if (lock < 0) return -1;
        if (lock)
            return pj_fail(err, 423, "locked", "old_password",
                           "too many wrong passwords; try again in %lld minutes",
                           (long long)((c->settings->lockout_s + 59) / 60));
        return pj_fail(err, 422, "invalid_credentials", "old_password",
                       "the old password is wrong");
    }
    /* the old password was checked against the hash stored at the start: a password set
     * meanwhile (an admin's reset, another change) is not this request's to replace */
    if (!hash[0] || strcmp(hash, j->old_hash))
        return pj_fail(err, 409, "conflict", "old_password",
                       "the password was changed meanwhile; log in again and retry");
    const char *nh = pwjob_hash(j, err);
    if (!nh || pj_db_begin(c->db, err)) return -1;
    if (set_password(c, c->actor.user_id, nh, err) ||
        pj_audit_add(c, "password", "user", c->actor.user_id, NULL, NULL, err) ||
        pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 0;
}

int pj_auth_change_password(pj_ctx *c, json_t *body, pj_err *err)
{
    pj_pwjob j;
    if (pj_auth_change_password_start(c, body, &j, err)) return -1;
    pj_pwjob_run(&j);
    int rc = pj_auth_change_password_finish(c, &j, err);
    pj_pwjob_clear(&j);
    return rc;
}

static void random_password(char *out, size_t size)
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    size_t n = size - 1 < 20 ? size - 1 : 20;
    for (size_t i = 0; i < n; i++) out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[n] = 0;
}

static int insert_user(pj_ctx *c, const char *username, const char *display, const char *role,
                       int64_t township, int64_t facility, int64_t org, const char *hash,
                       int64_t *id_out, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "INSERT INTO users (username, display_name, role, township_id, facility_id,"
        " organisation_id, password_hash, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)"
        " RETURNING id",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, username);
    pj_stmt_text(s, 2, display ? display : "");
    pj_stmt_text(s, 3, role);
    if (township) pj_stmt_int(s, 4, township);
    if (facility) pj_stmt_int(s, 5, facility);
    if (org) pj_stmt_int(s, 6, org);
    pj_stmt_text(s, 7, hash);
    pj_stmt_int(s, 8, pj_now());
    pj_stmt_int(s, 9, pj_now());
    int rc = pj_stmt_step(s, err);
    if (rc == 1) *id_out = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0 && err->status == 409)
        return pj_fail(err, 409, "conflict", "username", "user name %s is taken", username);
    return rc == 1 ? 0 : -1;
}

int pj_auth_bootstrap(pj_ctx *c, char *pw_out, size_t pw_size, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, "SELECT COUNT(*) FROM users", err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    int64_t n = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (n > 0) return 0;
    random_password(pw_out, pw_size);
    int64_t id;
    char hash[crypto_pwhash_STRBYTES];
    if (hash_password(c, pw_out, hash, err) || pj_db_begin(c->db, err)) return -1;
    if (insert_user(c, "admin", "管理员", "admin", 0, 0, 0, hash, &id, err) ||
        pj_audit_add(c, "create", "user", id, NULL, "{\"username\":\"admin\",\"role\":\"admin\"}",
                     err) ||
        pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    return 1;
}

int pj_user_list(pj_ctx *c, const char *role, int64_t cursor, int limit, pj_jw *w, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_NONE)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM users WHERE (? IS NULL OR role = ?) AND id > ?"
                               " ORDER BY id LIMIT ?",
                               err);
    if (!s) return -1;
    pj_stmt_text(s, 1, role);
    pj_stmt_text(s, 2, role);
    pj_stmt_int(s, 3, cursor);
    pj_stmt_int(s, 4, limit + 1);
    return pj_render_query_page(c, s, limit, user_render, w, err);
}

int pj_user_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    if (c->actor.user_id != id && c->actor.role != PJ_ROLE_ADMIN)
        return pj_fail(err, 403, "forbidden", "",
                       "only an admin reads another user's account (yours is user %lld)",
                       (long long)c->actor.user_id);
    return user_render(c, id, w, err);
}

/* Validates the scope fields for a role; ids in the body must exist with the right type. */
static int check_scope(pj_ctx *c, int64_t uid, const char *role, int64_t township, int64_t facility,
                       int64_t org, json_t *grids, pj_err *err)
{
    pj_role r = pj_role_parse(role);
    if (r == PJ_ROLE_TOWNSHIP_OFFICER && !township)
        return pj_fail(err, 422, "missing_field", "township_id",
                       "a township officer needs township_id");
    if (r == PJ_ROLE_FACILITY_OPERATOR && !facility)
        return pj_fail(err, 422, "missing_field", "facility_id",
                       "a facility operator needs facility_id");
    if (r == PJ_ROLE_ENTERPRISE && !org)
        return pj_fail(err, 422, "missing_field", "organisation_id",
                       "an enterprise user needs organisation_id");
    if (r == PJ_ROLE_GRID_WORKER && grids && json_is_array(grids) && json_array_size(grids) == 0)
        return pj_fail(err, 422, "missing_field", "grid_ids", "a grid worker needs grid_ids");
    if (r == PJ_ROLE_GRID_WORKER && !grids) {
        /* on an update without grid_ids the user's present grids count */
        int rc =
            uid ? pj_render_exists(c, "SELECT 1 FROM grid_workers WHERE user_id = ?", uid, err) : 0;
        if (rc < 0) return -1;
        if (!rc)
            return pj_fail(err, 422, "missing_field", "grid_ids", "a grid worker needs grid_ids");
    }
    if (township && pj_render_exists(c, "SELECT 1 FROM regions WHERE id = ? AND type = 'township'",
                                     township, err) <= 0)
        return err->status ? -1
                           : pj_fail(err, 422, "unknown_id", "township_id", "no township %lld",
                                     (long long)township);
    if (facility &&
        pj_render_exists(c, "SELECT 1 FROM facilities WHERE id = ?", facility, err) <= 0)
        return err->status ? -1
                           : pj_fail(err, 422, "unknown_id", "facility_id", "no facility %lld",
                                     (long long)facility);
    if (org && pj_render_exists(c, "SELECT 1 FROM organisations WHERE id = ?", org, err) <= 0)
        return err->status ? -1
                           : pj_fail(err, 422, "unknown_id", "organisation_id",
                                     "no organisation %lld", (long long)org);
    if (grids) {
        if (!json_is_array(grids))
            return pj_fail(err, 422, "wrong_type", "grid_ids", "grid_ids must be an array of ids");
        if (json_array_size(grids) > 500)
            return pj_fail(err, 422, "too_long", "grid_ids", "at most 500 grids per worker");
        size_t i;
        json_t *g;
        json_array_foreach(grids, i, g)
        {
            if (!json_is_integer(g) ||
                pj_render_exists(c, "SELECT 1 FROM regions WHERE id = ? AND type = 'grid'",
                                 json_integer_value(g), err) <= 0)
                return err->status ? -1
                                   : pj_fail(err, 422, "unknown_id", "grid_ids",
                                             "grid_ids[%zu] is not a grid", i);
        }
    }
    return 0;
}

/* The field naming a role's scope (NULL: the whole district or none). */
static const char *scope_field(const char *role)
{
    switch (pj_role_parse(role)) {
    case PJ_ROLE_TOWNSHIP_OFFICER:
        return "township_id";
    case PJ_ROLE_FACILITY_OPERATOR:
        return "facility_id";
    case PJ_ROLE_ENTERPRISE:
        return "organisation_id";
    case PJ_ROLE_GRID_WORKER:
        return "grid_ids";
    default:
        return NULL;
    }
}

/* 422 at a scope the body gives that role does not have (a viewer's township): stored, it
 * would mean nothing to the account and mislead whoever reads it. null and [] clear. */
static int scope_fits_role(json_t *body, const char *role, pj_err *err)
{
    static const char *const fields[] = {"township_id", "facility_id", "organisation_id",
                                         "grid_ids", NULL};
    const char *own = scope_field(role);
    for (int i = 0; fields[i]; i++) {
        json_t *v = json_object_get(body, fields[i]);
        if (!v || json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0)) continue;
        if (!own || strcmp(own, fields[i]))
            return pj_fail(err, 422, "invalid_value", fields[i], "a user of role %s has no %s",
                           role, fields[i]);
    }
    return 0;
}

static int set_grids(pj_ctx *c, int64_t uid, json_t *grids, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, "DELETE FROM grid_workers WHERE user_id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, uid);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    size_t i;
    json_t *g;
    json_array_foreach(grids, i, g)
    {
        s = pj_db_prepare(c->db,
                          "INSERT INTO grid_workers (region_id, user_id) VALUES (?, ?)"
                          " ON CONFLICT DO NOTHING",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, json_integer_value(g));
        pj_stmt_int(s, 2, uid);
        rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    return 0;
}

static const char *const user_fields[] = {
    "username",        "display_name", "role",     "password", "township_id", "facility_id",
    "organisation_id", "grid_ids",     "disabled", "version",  NULL};

/* pj_user_create's checks and, given the password's hash, its write; without one (hash
 * NULL) the checks only, and *pw_out gets the password to hash (the body's). */
static int user_create(pj_ctx *c, json_t *body, const char *hash, const char **pw_out, pj_jw *w,
                       pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_NONE)) return -1;
    const char *username, *display = "", *role, *pw;
    int64_t township = 0, facility = 0, org = 0;
    if (pj_in_object(body, err) || pj_in_only(body, user_fields, err) ||
        pj_in_create_version(body, err) ||
        pj_in_str(body, "username", 1, 3, 32, &username, err) < 0 ||
        pj_in_str(body, "display_name", 0, 0, 64, &display, err) < 0 ||
        pj_in_enum(body, "role", 1, pj_user_roles, &role, err) < 0 ||
        pj_in_str(body, "password", 1, 1, 256, &pw, err) < 0 ||
        pj_in_ref(body, "township_id", 0, &township, err) < 0 ||
        pj_in_ref(body, "facility_id", 0, &facility, err) < 0 ||
        pj_in_ref(body, "organisation_id", 0, &org, err) < 0)
        return -1;
    for (const char *p = username; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
              *p == '-'))
            return pj_fail(err, 422, "invalid_value", "username",
                           "username may use a-z, 0-9, '_', '.' and '-' only");
    char quoted[40];
    snprintf(quoted, sizeof quoted, "'%s'", username);
    if (strstr(PJ_PSEUDO_ACTORS_SQL, quoted))
        return pj_fail(err, 422, "invalid_value", "username",
                       "username %s is the platform's own (its records name it as who acted)",
                       username);
    json_t *grids = json_object_get(body, "grid_ids");
    int disabled = 0;
    if (pj_password_rules(username, pw, err) || scope_fits_role(body, role, err) ||
        check_scope(c, 0, role, township, facility, org, grids, err) ||
        pj_in_bool(body, "disabled", 0, &disabled, err) < 0)
        return -1;
    if (!hash) {
        *pw_out = pw;
        return 0;
    }
    int64_t id;
    if (pj_db_begin(c->db, err)) return -1;
    if (insert_user(c, username, display, role, township, facility, org, hash, &id, err)) goto fail;
    if (disabled) {
        pj_stmt *s = pj_db_prepare(c->db, "UPDATE users SET disabled = 1 WHERE id = ?", err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, id);
        int rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) goto fail;
    }
    if (grids && set_grids(c, id, grids, err)) goto fail;
    char *after = user_json(c, id, err);
    if (!after || pj_audit_add(c, "create", "user", id, NULL, after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return pj_jw_raw(w, after), 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_user_create_start(pj_ctx *c, json_t *body, pj_pwjob *j, pj_err *err)
{
    const char *pw = NULL;
    memset(j, 0, sizeof *j);
    if (user_create(c, body, NULL, &pw, NULL, err)) return -1;
    return pwjob_fill(j, c, pw, NULL, NULL, err);
}

int pj_user_create_finish(pj_ctx *c, json_t *body, const pj_pwjob *j, pj_jw *w, pj_err *err)
{
    const char *hash = pwjob_hash(j, err);
    return hash ? user_create(c, body, hash, NULL, w, err) : -1;
}

int pj_user_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    pj_pwjob j;
    if (pj_user_create_start(c, body, &j, err)) return -1;
    pj_pwjob_run(&j);
    int rc = pj_user_create_finish(c, body, &j, w, err);
    pj_pwjob_clear(&j);
    return rc;
}

/* Inside the write's transaction: 0 when the district keeps an active admin after user id
 * stops being one; else -1 with 409 invalid_state (the API and the command line alike). */
static int keeps_an_admin(pj_ctx *c, int64_t id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id <> ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t others = rc > 0 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (others == 0)
        return pj_fail(err, 409, "invalid_state", "id",
                       "user %lld is the last active admin: make another admin first",
                       (long long)id);
    return 0;
}

/* pj_user_update's checks and its write, a password given in the body stored as hash; with
 * check_only, the checks only (nothing is written), and *pw_out gets the body's password or
 * NULL. */
static int user_update(pj_ctx *c, int64_t id, json_t *body, int check_only, const char *hash,
                       const char **pw_out, pj_jw *w, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_NONE)) return -1;
    static const char *const allowed[] = {
        "display_name",    "role",     "password", "township_id", "facility_id",
        "organisation_id", "grid_ids", "disabled", "version",     NULL};
    if (pj_in_object(body, err) || pj_in_only(body, allowed, err)) return -1;
    int64_t version;
    /* the scope fields of the other roles are sent as null (taken as absent) */
    static const char *const nullable[] = {"township_id", "facility_id", "organisation_id",
                                           "grid_ids", NULL};
    if (pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        pj_in_no_null(body, nullable, err))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT username, display_name, role, township_id, facility_id,"
                               " organisation_id, disabled, version FROM users WHERE id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc <= 0) {
        pj_stmt_done(s);
        if (rc == 0) pj_not_found(err, "user", id);
        goto fail;
    }
    const char *username = pj_arena_strdup(c->arena, pj_col_text(s, 0));
    const char *display = pj_arena_strdup(c->arena, pj_col_text(s, 1));
    const char *role = pj_arena_strdup(c->arena, pj_col_text(s, 2));
    int64_t township = pj_col_int(s, 3), facility = pj_col_int(s, 4), org = pj_col_int(s, 5);
    int disabled = (int)pj_col_int(s, 6);
    int was_admin = !disabled && !strcmp(role, "admin");
    int64_t cur_version = pj_col_int(s, 7);
    pj_stmt_done(s);
    if (cur_version != version) {
        pj_version_conflict(err, "user", cur_version, version);
        goto fail;
    }
    const char *pw = NULL;
    if (pj_in_str(body, "display_name", 0, 0, 64, &display, err) < 0 ||
        pj_in_enum(body, "role", 0, pj_user_roles, &role, err) < 0 ||
        pj_in_str(body, "password", 0, 1, 256, &pw, err) < 0 ||
        pj_in_ref(body, "township_id", 0, &township, err) < 0 ||
        pj_in_ref(body, "facility_id", 0, &facility, err) < 0 ||
        pj_in_ref(body, "organisation_id", 0, &org, err) < 0 ||
        pj_in_bool(body, "disabled", 0, &disabled, err) < 0)
        goto fail;
    json_t *grids = json_object_get(body, "grid_ids");
    if ((pw && pj_password_rules(username, pw, err)) || scope_fits_role(body, role, err) ||
        check_scope(c, id, role, township, facility, org, grids, err))
        goto fail;
    /* a scope the (new) role does not have is cleared, not kept behind it */
    const char *own = scope_field(role);
    int own_grids = own && !strcmp(own, "grid_ids");
    if (!own || strcmp(own, "township_id")) township = 0;
    if (!own || strcmp(own, "facility_id")) facility = 0;
    if (!own || strcmp(own, "organisation_id")) org = 0;
    if (id == c->actor.user_id && (disabled || strcmp(role, "admin") != 0)) {
        pj_fail(err, 422, "invalid_value", disabled ? "disabled" : "role",
                "you cannot disable or demote your own account");
        goto fail;
    }
    if (was_admin && (disabled || strcmp(role, "admin") != 0) && keeps_an_admin(c, id, err))
        goto fail;
    if (check_only) {
        *pw_out = pw;
        pj_db_rollback(c->db);
        return 0;
    }
    if (pw && !hash) {
        pj_fail(err, 500, "internal", "", "password hashing failed");
        goto fail;
    }
    char *before = user_json(c, id, err);
    if (!before) goto fail;
    s = pj_db_prepare(
        c->db,
        "UPDATE users SET display_name = ?, role = ?, township_id = ?, facility_id = ?,"
        " organisation_id = ?, disabled = ?, updated_at = ?, version = version + 1"
        " WHERE id = ?",
        err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, display);
    pj_stmt_text(s, 2, role);
    if (township) pj_stmt_int(s, 3, township);
    if (facility) pj_stmt_int(s, 4, facility);
    if (org) pj_stmt_int(s, 5, org);
    pj_stmt_int(s, 6, disabled);
    pj_stmt_int(s, 7, pj_now());
    pj_stmt_int(s, 8, id);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0 || (pw && set_password(c, id, hash, err)) || (grids && set_grids(c, id, grids, err)))
        goto fail;
    if (!own_grids) {
        s = pj_db_prepare(c->db, "DELETE FROM grid_workers WHERE user_id = ?", err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, id);
        rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) goto fail;
    }
    if (disabled) {
        s = pj_db_prepare(c->db, "DELETE FROM sessions WHERE user_id = ?", err);
        if (!s) goto fail;
        pj_stmt_int(s, 1, id);
        rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) goto fail;
    }
    char *after = user_json(c, id, err);
    if (after && !pw && pj_render_same(before, after)) {
        /* nothing changed: no new version, no audit row; the account as it was */
        pj_db_rollback(c->db);
        pj_jw_raw(w, before);
        return 0;
    }
    /* a password set by an admin is named as such: the snapshots cannot show it */
    if (!after ||
        pj_audit_add(c, pw ? "password_reset" : "update", "user", id, before, after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_user_update_start(pj_ctx *c, int64_t id, json_t *body, pj_pwjob *j, pj_err *err)
{
    const char *pw = NULL;
    memset(j, 0, sizeof *j);
    if (user_update(c, id, body, 1, NULL, &pw, NULL, err)) return -1;
    return pw ? pwjob_fill(j, c, pw, NULL, NULL, err) : 0;
}

int pj_user_update_finish(pj_ctx *c, int64_t id, json_t *body, const pj_pwjob *j, pj_jw *w,
                          pj_err *err)
{
    const char *hash = NULL;
    if (j && j->password && !(hash = pwjob_hash(j, err))) return -1;
    return user_update(c, id, body, 0, hash, NULL, w, err);
}

int pj_user_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    pj_pwjob j;
    if (pj_user_update_start(c, id, body, &j, err)) return -1;
    if (j.password) pj_pwjob_run(&j);
    int rc = pj_user_update_finish(c, id, body, &j, w, err);
    pj_pwjob_clear(&j);
    return rc;
}

int pj_user_delete(pj_ctx *c, int64_t id, pj_err *err)
{
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_NONE)) return -1;
    if (id == c->actor.user_id)
        return pj_fail(err, 422, "invalid_value", "id", "you cannot delete your own account");
    if (pj_db_begin(c->db, err)) return -1;
    char *before = user_json(c, id, err);
    if (!before) goto fail;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT role, disabled FROM users WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int admin = rc > 0 && !strcmp(pj_col_text(s, 0), "admin"),
        disabled = rc > 0 && pj_col_int(s, 1);
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    /* a second delete changes nothing and writes no second audit row */
    if (disabled) {
        pj_fail(err, 409, "invalid_state", "id", "user %lld is disabled already", (long long)id);
        goto fail;
    }
    if (admin && keeps_an_admin(c, id, err)) goto fail;
    /* Users are disabled, not erased: audit rows keep pointing at them. */
    s = pj_db_prepare(
        c->db, "UPDATE users SET disabled = 1, updated_at = ?, version = version + 1 WHERE id = ?",
        err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, pj_now());
    pj_stmt_int(s, 2, id);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    s = pj_db_prepare(c->db, "DELETE FROM sessions WHERE user_id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    char *after = user_json(c, id, err);
    if (rc < 0 || !after || pj_audit_add(c, "delete", "user", id, before, after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
