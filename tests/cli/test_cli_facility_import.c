/* `pingji facility import FILE [--dry-run]` and `pingji facility export [--csv|--xlsx]
 * [--headings en|zh]` from the command line: an export (CSV or XLSX, English or Chinese
 * headings) imported back is unchanged; a table with a bad row exits 1 and writes nothing; a
 * good one is committed; usage errors exit 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
}

static long long db_int(const char *db, const char *sql)
{
    th_server s;
    memset(&s, 0, sizeof s);
    if (strlen(db) >= sizeof s.db) t_fail(__FILE__, __LINE__, "path too long: %s", db);
    memcpy(s.db, db, strlen(db) + 1);
    return th_sql_int(&s, sql);
}

TEST_T(cli_facility_import_and_export, 120)
{
    char db[500], fc[700], fx[700], bad[700], good[700], out[1 << 16];
    snprintf(db, sizeof db, "%s/cli.db", t_tmpdir());
    snprintf(fc, sizeof fc, "%s/facilities.csv", t_tmpdir());
    snprintf(fx, sizeof fx, "%s/facilities.xlsx", t_tmpdir());
    snprintf(bad, sizeof bad, "%s/bad.csv", t_tmpdir());
    snprintf(good, sizeof good, "%s/good.csv", t_tmpdir());
    th_demo_db(db);
    long long n = db_int(db, "SELECT COUNT(*) FROM facilities");
    long long audits = db_int(db, "SELECT COUNT(*) FROM audit");

    /* exports, imported back: every row unchanged, nothing written */
    CHECK_INT(RUN(out, "facility", "export", "--out", fc, "--db", db), 0);
    CHECK(strstr(out, "\"format\": \"csv\"") || strstr(out, "\"format\":\"csv\""));
    CHECK_INT(RUN(out, "facility", "export", "--xlsx", "--out", fx, "--db", db), 0);
    CHECK_INT(RUN(out, "facility", "import", fc, "--db", db), 0);
    json_t *o = json_loads(out, 0, NULL);
    CHECK(o != NULL);
    CHECK_INT(th_int(o, "unchanged"), n);
    json_decref(o);
    CHECK_INT(RUN(out, "facility", "import", "--dry-run", fx, "--db", db), 0);
    o = json_loads(out, 0, NULL);
    CHECK(o != NULL);
    CHECK_INT(th_int(o, "unchanged"), n);
    json_decref(o);
    CHECK_INT(db_int(db, "SELECT COUNT(*) FROM audit"), audits);
    /* CSV to standard output, filtered */
    CHECK_INT(RUN(out, "facility", "export", "--type", "hotel", "--db", db), 0);
    CHECK(!strncmp(out, "id,version,name,type,", 21));
    /* under the Chinese headings the import reads (--headings zh): the same rows, back unchanged;
     * another language is refused before anything is written */
    char zh[1 << 20] = {0}, en[1 << 20] = {0};
    CHECK_INT(RUN(en, "facility", "export", "--db", db), 0);
    CHECK_INT(RUN(zh, "facility", "export", "--headings", "zh", "--db", db), 0);
    CHECK(strncmp(zh, "id,", 3) != 0 && strstr(zh, "名称") != NULL);
    CHECK(strchr(zh, '\n') && strchr(en, '\n'));
    CHECK_STR(strchr(zh, '\n'), strchr(en, '\n'));
    write_file(good, zh);
    CHECK_INT(RUN(out, "facility", "import", "--dry-run", good, "--db", db), 0);
    o = json_loads(out, 0, NULL);
    CHECK(o != NULL);
    CHECK_INT(th_int(o, "unchanged"), n);
    json_decref(o);
    CHECK_INT(RUN(out, "facility", "export", "--headings", "cn", "--out", bad, "--db", db), 2);
    CHECK(strstr(out, "--headings takes en, zh, not 'cn'") != NULL);
    CHECK(access(bad, F_OK) != 0);

    /* a bad row: exit 1, nothing written, the row named */
    write_file(bad,
               "name,type,township,lat,lon\n好,hotel,滨河街道,40.1,117.1\n坏,hotel,滨河街道,40.1,"
               "999\n");
    CHECK_INT(RUN(out, "facility", "import", bad, "--db", db), 1);
    CHECK(strstr(out, "line 3, column lon") != NULL);
    CHECK(strstr(out, "nothing imported") != NULL);
    CHECK_INT(RUN(out, "facility", "import", bad, "--dry-run", "--db", db), 1);
    CHECK_INT(db_int(db, "SELECT COUNT(*) FROM facilities"), n);
    CHECK_INT(db_int(db, "SELECT COUNT(*) FROM audit"), audits);
    /* a good one: created, audited */
    write_file(good, "name,type,township,lat,lon,isolation_rooms\n命令行设施,hotel,滨河街道,40.1,"
                     "117.1,12\n");
    CHECK_INT(RUN(out, "facility", "import", good, "--db", db), 0);
    CHECK_INT(db_int(db, "SELECT COUNT(*) FROM facilities WHERE name = '命令行设施' AND source ="
                         " 'import'"),
              1);
    CHECK_INT(db_int(db, "SELECT COUNT(*) FROM audit"), audits + 2);
    CHECK_INT(RUN(out, "facility", "import", good, "--db", db), 0); /* again: unchanged */
    CHECK_INT(db_int(db, "SELECT COUNT(*) FROM audit"), audits + 2);

    /* usage: no file, a missing file, both formats, an unknown type */
    CHECK_INT(RUN(out, "facility", "import", "--db", db), 2);
    char missing[760];
    snprintf(missing, sizeof missing, "%s/none.csv", t_tmpdir());
    CHECK_INT(RUN(out, "facility", "import", missing, "--db", db), 1);
    CHECK_INT(RUN(out, "facility", "export", "--csv", "--xlsx", "--out", fx, "--db", db), 2);
    /* a format and a file named for the other (regression: CSV written into y.xlsx) */
    char other[760];
    snprintf(other, sizeof other, "%s/y.xlsx", t_tmpdir());
    CHECK_INT(RUN(out, "facility", "export", "--csv", "--out", other, "--db", db), 2);
    CHECK(strstr(out, "--csv writes CSV, not a workbook"));
    CHECK(access(other, F_OK) != 0);
    snprintf(other, sizeof other, "%s/y.CSV", t_tmpdir());
    CHECK_INT(RUN(out, "facility", "export", "--xlsx", "--out", other, "--db", db), 2);
    CHECK(access(other, F_OK) != 0);
    CHECK_INT(RUN(out, "facility", "export", "--type", "castle", "--db", db), 2);
    CHECK_INT(RUN(out, "facility", "import", good, "extra", "--db", db), 2);
}
