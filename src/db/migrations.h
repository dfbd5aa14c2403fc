#ifndef PJ_MIGRATIONS_H
#define PJ_MIGRATIONS_H

typedef struct pj_migration {
    int number;
    const char *title;
    const char *sql;
} pj_migration;

extern const pj_migration pj_migrations[];
extern const int pj_migrations_count;

#endif
