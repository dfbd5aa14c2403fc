/* Users, passwords (argon2id), sessions (random 256-bit bearer tokens stored as SHA-256),
 * lockout after repeated failures, idle expiry. */
#ifndef PJ_AUTH_H
#define PJ_AUTH_H

#include "domain/ctx.h"

#define PJ_TOKEN_HEX 64
/* how long past its idle time a session row is kept before it is removed (a day) */
#define PJ_SESSION_GRACE_S 86400
/* the most expired sessions one removal takes (a log-in, a run of pj_sessions_prune) */
#define PJ_SESSION_PRUNE 1000

/* Removes, in a transaction of its own, up to PJ_SESSION_PRUNE sessions idle for longer than
 * the idle time and PJ_SESSION_GRACE_S more (the rule a log-in removes them by); returns how
 * many (PJ_SESSION_PRUNE: more may be left), or -1. The server runs it every few minutes, so
 * that expired sessions go even when nobody logs in. */
int pj_sessions_prune(pj_ctx *c, pj_err *err);

/* Forgets the ends of log-in locks kept with the accounts: a server starting holds no lock
 * (the counts live in its memory), so no account reads "locked" from an earlier run. */
int pj_auth_forget_locks(pj_db *db, pj_err *err);

/* Starts libsodium (its fastest argon2id code for this CPU); call once before hashing. */
int pj_auth_init(pj_err *err);
/* Makes the dummy hash the passwords of unknown names are checked against (one argon2id hash
 * at settings' cost), so that no log-in has to: the server calls it at start. */
void pj_auth_prepare(const pj_settings *settings);

/* Checks the password rules (≥ 10 characters, not the user name, not containing it). */
int pj_password_rules(const char *username, const char *password, pj_err *err);
/* A password made up for username (20 hex digits) that pj_password_rules accepts. */
void pj_password_generate(const char *username, char out[21]);

/* Logs in; on success writes {"token","expires_in","user":{…}} and copies the token into
 * token_out. Failures: 401 invalid_credentials, 423 locked. Each failure is counted (in this
 * process's memory, per user name and c->client address, names that do not exist alike) and
 * audited with the address. */
int pj_auth_login(pj_ctx *c, const char *username, const char *password, pj_jw *w,
                  char token_out[PJ_TOKEN_HEX + 1], pj_err *err);

/* pj_auth_login in three steps, for a caller that must not wait for the password check (the
 * server checks it on a worker thread): start and finish on the thread that owns c (the
 * database, the failure counts), verify on any thread. Answers, lockouts and audit rows are
 * those of pj_auth_login. */
#define PJ_PWHASH_MAX 128 /* crypto_pwhash_STRBYTES */
typedef struct pj_login {
    char *username, *password;  /* owned copies; the password is wiped once checked */
    char hash[PJ_PWHASH_MAX];   /* checked against: the stored hash, or an unknown name's dummy */
    uint64_t tag;               /* which stored hash that was (0: no such user) */
    int verified;               /* pj_login_verify's answer */
    int fast;                   /* the server hashes at the least cost (tests) */
    char rehash[PJ_PWHASH_MAX]; /* a verified password hashed anew at the server's cost when the
                                 * stored hash was made at a lower one (e.g. by a test server),
                                 * else "" */
} pj_login;
/* Looks the name up and refuses it when locked for the client's address (423, the same for
 * names that do not exist); else fills l (pj_login_clear releases it). */
int pj_login_start(pj_ctx *c, const char *username, const char *password, pj_login *l, pj_err *err);
/* The argon2id check of l's password (~100 ms, 64 MiB); touches nothing but l. Sets and
 * returns l->verified, hashes a verified password anew into l->rehash when its stored hash is
 * weaker than the server makes, and wipes the password. */
int pj_login_verify(pj_login *l);
/* Given the check, as pj_auth_login goes on: the failure counted and audited (401, or 423 when
 * other attempts locked the name meanwhile), or the session (token_out, w as pj_auth_login).
 * A hash changed since the start fails the attempt. */
int pj_login_finish(pj_ctx *c, const pj_login *l, pj_jw *w, char token_out[PJ_TOKEN_HEX + 1],
                    pj_err *err);
/* Wipes and frees l's copies. */
void pj_login_clear(pj_login *l);
/* Resolves a bearer token into c->actor (username copied into c->arena); 401 when unknown,
 * expired or the user disabled. Touches last_seen at most once per tenth of the idle time
 * (at most once a minute). */
int pj_auth_session(pj_ctx *c, const char *token, pj_err *err);
int pj_auth_logout(pj_ctx *c, const char *token, pj_err *err);
int pj_auth_me(pj_ctx *c, pj_jw *w, pj_err *err);

/* A new password hashed (argon2id, ~100 ms and 64 MiB), and for a change of one's own the old
 * one checked first, off the thread that owns the database: a *_start call on that thread
 * checks the request and fills the job, pj_pwjob_run runs it on any thread, and the matching
 * *_finish call, back on the owner's thread, writes (one transaction with its audit row) or
 * fails as the one call would. The one calls (pj_auth_change_password, pj_user_create,
 * pj_user_update) are the three steps in order, for callers that may wait. */
typedef struct pj_pwjob {
    char *password;               /* the new password (owned copy), NULL: none to hash */
    char *old_password;           /* the present one, to check first (owned copy), or NULL */
    char old_hash[PJ_PWHASH_MAX]; /* the stored hash old_password is checked against */
    int fast;                     /* the settings' fast_hash: the least cost (tests) */
    int old_ok;                   /* pj_pwjob_run: old_password matches (1 without one) */
    char hash[PJ_PWHASH_MAX];     /* pj_pwjob_run: the new password's hash, "" when none made */
} pj_pwjob;
/* Checks the old password, then (when it matches) hashes the new one; touches nothing but j
 * and wipes both passwords. */
void pj_pwjob_run(pj_pwjob *j);
/* Wipes and frees j's copies. */
void pj_pwjob_clear(pj_pwjob *j);

/* One's own password: {"old_password","new_password"}. The rules and the body are checked by
 * start; finish answers a wrong old password (422 invalid_credentials), one replaced since the
 * start (409 conflict), or stores the new one (audited as password; the caller's other
 * sessions end). */
int pj_auth_change_password(pj_ctx *c, json_t *body, pj_err *err);
int pj_auth_change_password_start(pj_ctx *c, json_t *body, pj_pwjob *j, pj_err *err);
int pj_auth_change_password_finish(pj_ctx *c, const pj_pwjob *j, pj_err *err);

/* Creates the admin account with a random password when the database has no users.
 * Returns 1 and fills pw_out (≥ 25 bytes) when created, 0 when users exist, -1 on error. */
int pj_auth_bootstrap(pj_ctx *c, char *pw_out, size_t pw_size, pj_err *err);

/* A user's JSON as the user administration's audit rows hold it (no password hash), in
 * c->arena; NULL on error. For a write that creates accounts elsewhere (the demo). */
char *pj_user_snapshot(pj_ctx *c, int64_t id, pj_err *err);

/* User administration (admin only). Output is the user's JSON. */
/* The roles a user may have: admin, district_officer, …, viewer (NULL-terminated). */
extern const char *const pj_user_roles[];
int pj_user_list(pj_ctx *c, const char *role, int64_t cursor, int limit, pj_jw *w, pj_err *err);
int pj_user_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_user_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_user_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* The two in steps (see pj_pwjob). start checks all it can without writing (finish checks
 * again: the data may have changed meanwhile); finish takes the same body. An update whose
 * body sets no password leaves j->password NULL: nothing to run, finish at once. */
int pj_user_create_start(pj_ctx *c, json_t *body, pj_pwjob *j, pj_err *err);
int pj_user_create_finish(pj_ctx *c, json_t *body, const pj_pwjob *j, pj_jw *w, pj_err *err);
int pj_user_update_start(pj_ctx *c, int64_t id, json_t *body, pj_pwjob *j, pj_err *err);
int pj_user_update_finish(pj_ctx *c, int64_t id, json_t *body, const pj_pwjob *j, pj_jw *w,
                          pj_err *err);
int pj_user_delete(pj_ctx *c, int64_t id, pj_err *err);

#endif
