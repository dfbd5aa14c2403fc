/* The command line checks options per sub-command: an option a sub-command does not take — one
 * of another sub-command of the same verb, a filter of another list — is refused with exit 2,
 * a message naming the option, the sub-command and the options it takes, and nothing read or
 * written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/agritech.h"
#include "domain/logistics.h"
#include "domain/record.h"
#include "t.h"
#include "th.h"

/* A demo database in the test's directory (its path in db), opened for fingerprints in sv. */
static void demo_db(char *db, size_t size, th_server *sv)
{
    snprintf(db, size, "%s/pj.db", t_tmpdir());
    th_demo_db(db);
    memset(sv, 0, sizeof *sv);
    snprintf(sv->db, sizeof sv->db, "%s", db);
}

TEST_T(cli_sub_commands_refuse_the_options_of_others, 120)
{
    char out[1 << 20] = {0};
    char db[600], res[600], fp[TH_FINGERPRINT_SIZE], fp2[TH_FINGERPRINT_SIZE];
    th_server sv;
    demo_db(db, sizeof db, &sv);
    snprintf(res, sizeof res, "%s/result.json", t_tmpdir());
    th_fingerprint(&sv, fp, sizeof fp);
    long long audits = th_sql_int(&sv, "SELECT count(*) FROM audit");

    /* plan ship with plan list's --status and plan --scenario's --out: no filter nor file */
    CHECK_INT(RUN(out, "plan", "ship", "7", "--store", "1", "--site", "2", "--category", "grain",
                  "--quantity", "3", "--status", "draft", "--out", res, "--db", db),
              2);
    CHECK(strstr(out, "pingji: plan ship does not take --status; it takes --store, --site, "
                      "--category, --quantity and --db (see pingji plan --help)"));
    CHECK(access(res, F_OK) != 0);
    /* plan list with ship's --store; plan show takes no option but --db */
    CHECK_INT(RUN(out, "plan", "list", "--status", "draft", "--store", "1", "--db", db), 2);
    CHECK(strstr(out,
                 "plan list does not take --store; it takes --status, --limit, --cursor and --db"));
    CHECK_INT(RUN(out, "plan", "show", "1", "--json", "{}", "--db", db), 2);
    CHECK(strstr(out, "plan show does not take --json; it takes no option but --db"));
    /* the verb without a sub-command (plan --scenario F) takes its own options only */
    CHECK_INT(RUN(out, "plan", "--scenario", res, "--status", "draft", "--db", db), 2);
    CHECK(strstr(out, "plan does not take --status; it takes --scenario, --out, --progress"));

    /* a list given the filter of another list */
    CHECK_INT(RUN(out, "drill", "findings", "--state", "open", "--db", db), 2);
    CHECK(strstr(out, "drill findings does not take --state; it takes --status, --facility-id, "
                      "--limit, --cursor and --db (see pingji drill --help)"));
    CHECK_INT(RUN(out, "ecommerce", "bookings", "--tier", "hq", "--db", db), 2);
    CHECK(strstr(out, "ecommerce bookings does not take --tier"));
    /* a note's options go with the lists it names only */
    CHECK_INT(RUN(out, "ecommerce", "bases", "--limit", "2", "--cursor", "1", "--db", db), 0);
    CHECK_INT(RUN(out, "ecommerce", "base-get", "1", "--limit", "2", "--db", db), 2);
    CHECK(strstr(out, "ecommerce base-get does not take --limit; it takes no option but --db"));
    /* without a sub-command, the one the verb runs: ecommerce is ecommerce kpis */
    CHECK_INT(RUN(out, "ecommerce", "--tier", "hq", "--db", db), 2);
    CHECK(strstr(out, "ecommerce kpis does not take --tier; it takes --from, --to, --by and --db"));

    /* the registry: a write given a list's filter writes nothing */
    CHECK_INT(RUN(out, "facility", "update", "1", "--json", "{\"name\":\"改名的设施\"}", "--state",
                  "emergency", "--db", db),
              2);
    CHECK(strstr(out, "facility update does not take --state; it takes --json and --db"));
    CHECK_INT(RUN(out, "region", "list", "--json", "{}", "--db", db), 2);
    CHECK(strstr(out, "region list does not take --json; it takes --parent-id, --township-id, "
                      "--type, --q, --limit, --cursor and --db"));

    /* eldercare and enterprise service */
    CHECK_INT(RUN(out, "elder", "alerts", "--reveal", "--db", db), 2);
    CHECK(strstr(out, "elder alerts does not take --reveal"));
    CHECK_INT(RUN(out, "elder", "alert-ack", "1", "--json", "{}", "--region-id", "2", "--db", db),
              2);
    CHECK(strstr(out, "elder alert-ack does not take --region-id; it takes --json and --db"));
    CHECK_INT(RUN(out, "appeal", "visit", "906", "--json", "{\"note\":\"回访\"}", "--state",
                  "closed", "--db", db),
              2);
    CHECK(strstr(out, "appeal visit does not take --state; it takes --json and --db"));
    CHECK_INT(
        RUN(out, "enterprise", "need-add", "--json", "{}", "--organisation-id", "3", "--db", db),
        2);
    CHECK(strstr(out, "enterprise need-add does not take --organisation-id"));
    CHECK_INT(RUN(out, "carbon", "factor-add", "--json", "{}", "--dry-run", "--db", db), 2);
    CHECK(strstr(out, "carbon factor-add does not take --dry-run; it takes --json and --db"));

    /* what a sub-command reads is in its form: step-start takes --remarks (no such step: 1) */
    CHECK_INT(RUN(out, "convert", "step-start", "999999", "--remarks", "到场", "--db", db), 1);
    CHECK(strstr(out, "no conversion step 999999"));

    th_fingerprint(&sv, fp2, sizeof fp2);
    CHECK_STR(fp2, fp);
    CHECK(th_sql_int(&sv, "SELECT count(*) FROM audit") == audits);

    /* the same write without the stray option is made (the fingerprint sees it) */
    CHECK_INT(
        RUN(out, "facility", "update", "1", "--json", "{\"name\":\"改名的设施\"}", "--db", db), 0);
    th_fingerprint(&sv, fp2, sizeof fp2);
    CHECK(strcmp(fp2, fp) != 0);
    CHECK(th_sql_int(&sv, "SELECT count(*) FROM audit") == audits + 1);
    /* two forms of one sub-command take the options of both */
    CHECK_INT(RUN(out, "user", "add", "--json",
                  "{\"username\":\"j.son\",\"role\":\"viewer\",\"password\":\"a-long-password-1\"}",
                  "--db", db),
              0);
    CHECK_INT(RUN(out, "user", "add", "k.son", "--role", "viewer", "--limit", "1", "--db", db), 2);
    CHECK(strstr(out,
                 "user add does not take --limit; it takes --json, --role, --name, "
                 "--password, --password-stdin, --township-id, --facility-id, --organisation-id, "
                 "--grid-ids and --db"));
}

TEST(cli_help_says_each_sub_command_takes_its_own_options)
{
    char out[65536] = {0};
    CHECK_INT(RUN(out, "plan", "--help"), 0);
    CHECK(strstr(out, "ship ID --store S --site F --category C --quantity Q"));
    CHECK(strstr(out, "Each sub-command takes the options its form above names, and --db"));
    /* a verb of one form says nothing of sub-commands */
    CHECK_INT(RUN(out, "audit", "--help"), 0);
    CHECK(!strstr(out, "Each sub-command"));
    /* carbon factor-add reads no --dry-run: its help no longer says it does */
    CHECK_INT(RUN(out, "carbon", "--help"), 0);
    CHECK(strstr(out, "factor-delete's --dry-run"));
    /* policy notices lists the notices of reception days too, newest first: its help said
     * only "the policy library" */
    CHECK_INT(RUN(out, "policy", "--help"), 0);
    CHECK(strstr(out, "of reception days moved, cancelled or put\nback"));
    CHECK(strstr(out, "reception_moved, reception_cancelled, reception_reinstated"));
    CHECK(strstr(out, "newest first"));
}

/* agri and logistics: a list takes the parameters of the API's list of that kind (its filters,
 * --from/--to when it has a range, --limit, --cursor), the other actions the options of their
 * form; any other option is refused like every other verb's (exit 2, naming the option and those
 * taken) before the database is opened. They took any --FIELD: a stray one was refused only by
 * the list's query once the database was open, and get, add, kpi … ignored it. */
TEST_T(cli_record_lists_take_the_api_list_parameters_only, 120)
{
    char out[1 << 16] = {0};
    char db[600], missing[600], fp[TH_FINGERPRINT_SIZE], fp2[TH_FINGERPRINT_SIZE];
    th_server sv;
    memset(&sv, 0, sizeof sv);
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(missing, sizeof missing, "%s/missing.db", t_tmpdir());
    snprintf(sv.db, sizeof sv.db, "%s", db);
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(
        RUN(out, "logistics", "parks", "add", "--json", "{\"name\":\"测试物流园\"}", "--db", db),
        0);
    th_fingerprint(&sv, fp, sizeof fp);

    /* refused before the database is opened: a missing one is not named, nor made */
    CHECK_INT(RUN(out, "agri", "labs", "list", "--colour", "red", "--db", missing), 2);
    CHECK(strstr(out, "pingji: agri labs list does not take --colour; it takes --kind, "
                      "--organisation-id, --township-id, --limit, --cursor and --db (see pingji "
                      "agri --help)"));
    CHECK(access(missing, F_OK) != 0);
    /* the list without its action is the list */
    CHECK_INT(RUN(out, "agri", "labs", "--colour", "red", "--db", db), 2);
    CHECK(strstr(out, "agri labs list does not take --colour"));
    /* a range only where the kind has one; the filter of another kind */
    CHECK_INT(RUN(out, "logistics", "parks", "list", "--from", "2024-01", "--db", db), 2);
    CHECK(strstr(out, "logistics parks list does not take --from; it takes --township-id, "
                      "--organisation-id, --limit, --cursor and --db"));
    CHECK_INT(RUN(out, "logistics", "parks", "list", "--status", "operating", "--db", db), 2);
    CHECK(strstr(out, "logistics parks list does not take --status"));
    /* the other actions and sub-commands */
    CHECK_INT(RUN(out, "logistics", "parks", "get", "1", "--township-id", "3", "--db", db), 2);
    CHECK(strstr(out, "logistics parks get does not take --township-id; it takes no option but "
                      "--db"));
    CHECK_INT(RUN(out, "logistics", "parks", "update", "1", "--json", "{\"name\":\"改名\"}",
                  "--organisation-id", "2", "--db", db),
              2);
    CHECK(strstr(out, "logistics parks update does not take --organisation-id; it takes --json "
                      "and --db"));
    CHECK_INT(RUN(out, "logistics", "parks", "delete", "1", "--limit", "1", "--db", db), 2);
    CHECK(strstr(out, "logistics parks delete does not take --limit"));
    CHECK_INT(RUN(out, "agri", "kpi", "--township-id", "3", "--db", db), 2);
    CHECK(strstr(out, "agri kpi does not take --township-id; it takes no option but --db"));
    CHECK_INT(RUN(out, "logistics", "--state", "operating", "--db", db), 2); /* logistics kpi */
    CHECK(strstr(out, "logistics kpi does not take --state"));
    th_fingerprint(&sv, fp2, sizeof fp2);
    CHECK_STR(fp2, fp);

    /* every kind's list takes each parameter of the API's list, and no other field of the kind */
    static const struct {
        const char *verb;
        const pj_rec_named *kinds;
    } mods[] = {{"agri", pj_ag_kinds}, {"logistics", pj_lg_kinds}};
    for (size_t m = 0; m < sizeof mods / sizeof mods[0]; m++)
        for (const pj_rec_named *n = mods[m].kinds; n->path; n++) {
            const pj_rec_kind *k = n->kind;
            const char *argv[80], *p, *other = NULL;
            char opts[32][72], ints[32][32];
            int c = 0;
            argv[c++] = mods[m].verb;
            argv[c++] = n->path;
            argv[c++] = "list";
            for (int i = 0; (p = pj_rec_list_param(k, i)) && i < 32; i++) {
                const char *name = !strcmp(p, "from") || !strcmp(p, "to") ? k->range : p;
                const pj_rec_field *f = NULL;
                for (int j = 0; j < k->nfields; j++)
                    if (!strcmp(k->fields[j].name, name)) f = &k->fields[j];
                snprintf(opts[i], sizeof opts[i], "--%s", p);
                for (char *q = opts[i]; *q; q++)
                    if (*q == '_') *q = '-';
                argv[c++] = opts[i];
                /* an integer within the field's range (a year of results: 1950 to 2100) */
                snprintf(ints[i], sizeof ints[i], "%.0f",
                         f && f->type == PJ_RT_INT && f->min < f->max && f->min > 1 ? f->min : 1);
                argv[c++] = !f                       ? "5" /* limit, cursor */
                            : f->type == PJ_RT_ENUM  ? f->values[0]
                            : f->type == PJ_RT_BOOL  ? "true"
                            : f->type == PJ_RT_DATE  ? "2024-01-01"
                            : f->type == PJ_RT_MONTH ? "2024-01"
                            : f->type == PJ_RT_TEXT  ? "x"
                                                     : ints[i];
            }
            argv[c++] = "--db";
            argv[c++] = db;
            argv[c] = NULL;
            int rc = th_run(out, sizeof out, argv);
            if (rc) fprintf(stderr, "%s %s list: %s\n", mods[m].verb, n->path, out);
            CHECK_INT(rc, 0);
            CHECK(strstr(out, "\"items\""));
            for (int j = 0; j < k->nfields && !other; j++)
                if (!(k->fields[j].flags & PJ_RF_FILTER)) other = k->fields[j].name;
            if (!other) continue;
            char opt[72], said[160];
            snprintf(opt, sizeof opt, "--%s", other);
            for (char *q = opt; *q; q++)
                if (*q == '_') *q = '-';
            CHECK_INT(th_run(out, sizeof out,
                             (const char *const[]){mods[m].verb, n->path, "list", opt, "1", "--db",
                                                   db, NULL}),
                      2);
            snprintf(said, sizeof said, "%s %s list does not take %s; it takes ", mods[m].verb,
                     n->path, opt);
            CHECK(strstr(out, said));
        }
}

TEST(cli_record_help_names_each_list_s_options)
{
    char out[65536] = {0};
    CHECK_INT(RUN(out, "agri", "--help"), 0);
    CHECK(strstr(out, "Each sub-command takes the options its form above names, and --db"));
    CHECK(strstr(out, "  labs        --kind, --organisation-id, --township-id\n"));
    CHECK(strstr(out, "  milestones  --project-id, --state, --from, --to (on due)\n"));
    CHECK_INT(RUN(out, "logistics", "--help"), 0);
    CHECK(strstr(out, "  freight     --park-id, --organisation-id, --month, --mode, --from, --to "
                      "(on month)\n"));
}

/* An unknown sub-command of facility is refused naming every sub-command the verb takes: the
 * message named list, get, add, update and delete, and left out import and export, which
 * `pingji facility --help` names. */
TEST(cli_facility_unknown_sub_command_names_import_and_export)
{
    char out[65536] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "facility", "imprt", "x.csv", "--db", db), 2);
    CHECK(strstr(out, "pingji: facility takes list, get, add, update, delete, import or export, "
                      "not 'imprt'"));
    CHECK_INT(RUN(out, "facility", "--help"), 0);
    CHECK(strstr(out, "import FILE.csv") && strstr(out, "export [--csv|--xlsx]"));
    /* the verbs without more keep their message */
    CHECK_INT(RUN(out, "org", "imprt", "--db", db), 2);
    CHECK(strstr(out, "pingji: org takes list, get, add, update or delete, not 'imprt'"));
}

/* The next_cursor of `pingji audit`, `standard list`, `manual list`, `pair list` and
 * `vulnerable` pages: their --help names --cursor and each takes it, the next page going on
 * after the one before (the audit trail to older rows). They printed a next_cursor and refused
 * --cursor (exit 2), so past the first 500 rows nothing could be read. */
TEST_T(cli_paged_lists_take_the_cursor, 120)
{
    char out[1 << 20] = {0};
    char db[600];
    th_server sv;
    setenv("PINGJI_DEMO_ELDERS", "600", 1); /* pairs and a vulnerable list to page through */
    demo_db(db, sizeof db, &sv);
    static const char *const verbs[][2] = {{"audit", NULL},
                                           {"standard", "list"},
                                           {"manual", "list"},
                                           {"pair", "list"},
                                           {"vulnerable", NULL}};
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        const char *v = verbs[i][0], *sub = verbs[i][1];
        const char *key = strcmp(v, "vulnerable") ? "id" : "elder_id";
        CHECK_INT(RUN(out, v, "--help"), 0);
        CHECK(strstr(out, "[--cursor N]") != NULL);
        const char *first[] = {v, "--limit", "2", "--db", db, NULL, NULL, NULL, NULL};
        if (sub) memmove(first + 2, first + 1, 5 * sizeof *first), first[1] = sub;
        CHECK_INT(th_run(out, sizeof out, first), 0);
        json_t *page = json_loads(out, 0, NULL);
        CHECK(page != NULL);
        const char *cur = json_string_value(json_object_get(page, "next_cursor"));
        CHECK(cur != NULL);
        long long last = th_int(json_array_get(json_object_get(page, "items"), 1), key);
        CHECK_INT(strtoll(cur, NULL, 10), last);
        char cursor[32];
        snprintf(cursor, sizeof cursor, "%s", cur);
        json_decref(page);
        const char *next[] = {v, "--limit", "2", "--cursor", cursor, "--db", db, NULL, NULL};
        if (sub) memmove(next + 2, next + 1, 6 * sizeof *next), next[1] = sub;
        CHECK_INT(th_run(out, sizeof out, next), 0);
        page = json_loads(out, 0, NULL);
        CHECK(page != NULL);
        json_t *items = json_object_get(page, "items");
        CHECK_INT((long long)json_array_size(items), 2);
        long long id = th_int(json_array_get(items, 0), key);
        /* the audit trail is newest first (older rows next), the others by ascending id */
        if (i == 0 ? id >= last : id <= last)
            t_fail(__FILE__, __LINE__, "%s: after cursor %s came id %lld", v, cursor, id);
        json_decref(page);
    }
}

/* A text filter longer than the API takes (64 characters: `q`, an organisation's `industry`,
 * the audit trail's `entity` and `action`) is a usage error, exit 2 naming the option, as the
 * API's 400 bad_query; the registry lists, the facility export and the audit trail answered an
 * empty list with exit 0. 64 characters (Chinese ones count as one each) are still a filter. */
TEST_T(cli_text_filters_longer_than_the_api_takes_exit_2, 120)
{
    char out[1 << 20] = {0};
    char db[600], long_q[80], ok_q[64 * 3 + 1];
    th_server sv;
    demo_db(db, sizeof db, &sv);
    memset(long_q, 'x', 65);
    long_q[65] = 0;
    ok_q[0] = 0;
    for (int i = 0; i < 64; i++) strcat(ok_q, "镇");
    static const char *const cmds[][3] = {{"region", "list", "q"},     {"org", "list", "q"},
                                          {"org", "list", "industry"}, {"facility", "list", "q"},
                                          {"facility", "export", "q"}, {"audit", NULL, "entity"},
                                          {"audit", NULL, "action"}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char opt[32];
        snprintf(opt, sizeof opt, "--%s", cmds[i][2]);
        for (int ok = 0; ok < 2; ok++) {
            const char *args[8] = {cmds[i][0]};
            int n = 1;
            if (cmds[i][1]) args[n++] = cmds[i][1];
            args[n++] = opt;
            args[n++] = ok ? ok_q : long_q;
            args[n++] = "--db";
            args[n++] = db;
            int rc = th_run(out, sizeof out, args);
            if (ok ? rc != 0 : rc != 2 || !strstr(out, opt) || !strstr(out, "64"))
                t_fail(__FILE__, __LINE__, "%s %s %s (%s): exit %d, %.200s", cmds[i][0],
                       cmds[i][1] ? cmds[i][1] : "", opt, ok ? "64" : "65", rc, out);
        }
    }
}

/* Regression: `user add --json J --role viewer` made the account the JSON said (admin) and
 * dropped --role, --name, --township-id and --grid-ids without a word; they are refused beside
 * --json (exit 2, no account made). */
TEST_T(cli_user_add_json_refuses_the_options_of_the_other_form, 60)
{
    char out[8192], db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    static const char *const opts[][2] = {
        {"--role", "viewer"}, {"--name", "显示名"}, {"--township-id", "2"}, {"--grid-ids", "4"}};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        CHECK_INT(RUN(out, "user", "add", "--db", db, "--json",
                      "{\"username\":\"jsonadm\",\"role\":\"admin\",\"password\":"
                      "\"GoodPassw0rd!long\"}",
                      opts[i][0], opts[i][1]),
                  2);
        CHECK(strstr(out, "does not take") != NULL);
    }
    CHECK_INT(RUN(out, "user", "list", "--db", db), 0);
    CHECK(strstr(out, "jsonadm") == NULL);
}

/* Regression: `drill abort ID` without --reason offered `[--confirm]`, which `drill abort` then
 * refused ("does not take --confirm"): each verb says its own form. */
TEST_T(cli_drill_abort_usage_offers_no_confirm, 60)
{
    char out[8192], db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "drill", "abort", "1", "--db", db), 2);
    CHECK(strstr(out, "abort ID --reason R") && !strstr(out, "--confirm"));
    CHECK_INT(RUN(out, "convert", "abort", "1", "--db", db), 2);
    CHECK(strstr(out, "abort ID --reason R [--confirm]") != NULL);
}

/* A NUL escape in --json is said in words, not as the JSON library's flag name. */
TEST_T(cli_json_nul_is_said_in_words, 60)
{
    char out[8192], db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "org", "add", "--db", db, "--json",
                  "{\"name\":\"a\\u0000b\",\"type\":\"enterprise\"}"),
              2);
    CHECK(strstr(out, "(NUL), which no text may hold") && !strstr(out, "JSON_ALLOW_NUL"));
}
