/* Users, passwords (argon2id), sessions (random 256-bit bearer tokens stored as SHA-256),
 * lockout after repeated failures, idle expiry. */
#ifndef PJ_AUTH_H
#define PJ_AUTH_H

#include "domain/ctx.h"

#define PJ_TOKEN_HEX 64

/* Starts libsodium (its fastest argon2id code for this CPU); call once before hashing. */
int pj_auth_init(pj_err *err);

/* Checks the password rules (≥ 10 characters, not the user name, not containing it). */
int pj_password_rules(const char *username, const char *password, pj_err *err);

/* Logs in; on success writes {"token","expires_in","user":{…}} and copies the token into
 * token_out. Failures: 401 invalid_credentials, 423 locked. Each failure is counted (in this
 * process's memory, per user name and c->client address, names that do not exist alike) and
 * audited with the address. */
int pj_auth_login(pj_ctx *c, const char *username, const char *password, pj_jw *w,
                  char token_out[PJ_TOKEN_HEX + 1], pj_err *err);
/* Resolves a bearer token into c->actor (username copied into c->arena); 401 when unknown,
 * expired or the user disabled. Touches last_seen at most once a minute. */
int pj_auth_session(pj_ctx *c, const char *token, pj_err *err);
int pj_auth_logout(pj_ctx *c, const char *token, pj_err *err);
int pj_auth_me(pj_ctx *c, pj_jw *w, pj_err *err);
int pj_auth_change_password(pj_ctx *c, json_t *body, pj_err *err);

/* Creates the admin account with a random password when the database has no users.
 * Returns 1 and fills pw_out (≥ 25 bytes) when created, 0 when users exist, -1 on error. */
int pj_auth_bootstrap(pj_ctx *c, char *pw_out, size_t pw_size, pj_err *err);

/* User administration (admin only). Output is the user's JSON. */
int pj_user_list(pj_ctx *c, const char *role, int64_t cursor, int limit, pj_jw *w, pj_err *err);
int pj_user_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_user_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_user_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
int pj_user_delete(pj_ctx *c, int64_t id, pj_err *err);

#endif
