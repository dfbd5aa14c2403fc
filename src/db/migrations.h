#ifndef PJ_MIGRATIONS_H
#define PJ_MIGRATIONS_H

#include "db/db.h"

typedef struct pj_migration {
    int number;
    const char *title;
    const char *sql;
    /* work the SQL cannot do, run after it in the migration's transaction (NULL: none): -1
     * with err fails the migration, which is then not applied */
    int (*run)(pj_db *db, pj_err *err);
} pj_migration;

extern const pj_migration pj_migrations[];
extern const int pj_migrations_count;

/* migration 207: the deadlines counted before migration 202 entered the 2026 holidays,
 * counted again over them (enterprise_appeals.c) */
int pj_ent_migration_recount_2026(pj_db *db, pj_err *err);
/* Migration 489: the explanation each consented financing match shows its bank, stored. */
int pj_ent_migration_consent_snapshots(pj_db *db, pj_err *err);
/* migration 487: names the live streamers sharing an ID number (db_sqlite.c) */
int pj_migration_shared_ids(pj_db *db, pj_err *err);

#endif
