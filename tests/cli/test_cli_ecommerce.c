/* The e-commerce, academy and enterprise-service verbs from the command line: the demo's
 * figures, an academy cohort taken through enrolment and withdrawal, an appeal through
 * dispatch, and bad input failing with a message, a non-zero exit and nothing written. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

/* The first "key": N in out, -1 when absent. */
static long long first_int(const char *out, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *p = strstr(out, k);
    return p ? strtoll(p + strlen(k), NULL, 10) : -1;
}

TEST_T(cli_ecommerce_academy_enterprise_verbs, 120)
{
    char out[1 << 20] = {0};
    char db[600], j[512], id[24], id2[24];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "help"), 0);
    static const char *const verbs[] = {"ecommerce", "academy", "enterprise", "appeal", "policy"};
    for (int i = 0; i < 5; i++) {
        CHECK(strstr(out, verbs[i]) != NULL);
        char o2[4096];
        CHECK_INT(RUN(o2, verbs[i], "--help"), 0);
        CHECK(strstr(o2, "usage: pingji") != NULL);
    }
    th_demo_db(db);
    /* the seed's figures through the e-commerce verb */
    CHECK_INT(RUN(out, "ecommerce", "kpis", "--db", db), 0);
    CHECK_INT(first_int(out, "streamers"), 140);
    CHECK_INT(first_int(out, "avg_followers"), 10000);
    CHECK_INT(first_int(out, "zone_enterprises"), 284);
    /* a follower count corrected and deleted by its key (platform and day) */
    CHECK_INT(RUN(out, "ecommerce", "streamer-get", "1", "--db", db), 0);
    char platform[32] = "", as_of[16] = "";
    const char *fp = strstr(out, "\"followers\": [");
    CHECK(fp && sscanf(strstr(fp, "\"platform\": \""), "\"platform\": \"%31[a-z]", platform) == 1 &&
          sscanf(strstr(fp, "\"as_of\": \""), "\"as_of\": \"%15[0-9-]", as_of) == 1);
    CHECK_INT(RUN(out, "ecommerce", "followers-update", "1", "--platform", platform, "--as-of",
                  as_of, "--json", "{\"followers\":7}", "--db", db),
              0);
    CHECK(strstr(out, "\"followers\": 7") != NULL);
    CHECK_INT(RUN(out, "ecommerce", "followers-update", "1", "--as-of", as_of, "--json",
                  "{\"followers\":7}", "--db", db),
              2);
    CHECK_INT(RUN(out, "ecommerce", "followers-delete", "1", "--platform", platform, "--as-of",
                  as_of, "--db", db),
              0);
    CHECK(first_int(out, "deleted") == 1 && strstr(out, as_of));
    CHECK_INT(RUN(out, "ecommerce", "followers-delete", "1", "--platform", platform, "--as-of",
                  as_of, "--db", db),
              1);
    CHECK(strstr(out, "has no") != NULL);
    /* the API's filters: by month, ID numbers held twice */
    CHECK_INT(RUN(out, "ecommerce", "kpis", "--by", "month", "--db", db), 0);
    CHECK(strstr(out, "\"months\"") != NULL);
    CHECK_INT(RUN(out, "ecommerce", "kpis", "--by", "week", "--db", db), 2);
    CHECK_INT(RUN(out, "ecommerce", "streamers", "--id-shared", "true", "--db", db), 0);
    CHECK(strstr(out, "\"items\": []") != NULL); /* the demo registers each number once */
    CHECK_INT(RUN(out, "ecommerce", "streamers", "--id-shared", "false", "--db", db), 0);
    CHECK(first_int(out, "id") > 0);
    CHECK_INT(RUN(out, "ecommerce", "streamers", "--id-shared", "yes", "--db", db), 2);
    CHECK_INT(RUN(out, "ecommerce", "bases", "--tier", "platform", "--db", db), 0);
    CHECK(strstr(out, "国农港智慧云供销村播产业园") != NULL);
    CHECK_INT(RUN(out, "ecommerce", "bases", "--tier", "moon", "--db", db), 2); /* a usage error */
    CHECK_INT(RUN(out, "ecommerce", "sessions", "--streamer-id", "abc", "--db", db), 2);
    CHECK_INT(RUN(out, "ecommerce", "frobnicate", "--db", db), 2);
    CHECK(strstr(out, "sub-commands:") != NULL);
    /* the academy demo's KPIs */
    CHECK_INT(RUN(out, "academy", "kpis", "--as-of", "2025-06-30", "--db", db), 0);
    CHECK(strstr(out, "\"overall\"") != NULL);
    CHECK_INT(RUN(out, "academy", "kpis", "--as-of", "2025-6-30", "--db", db), 2);
    CHECK(strstr(out, "as_of") != NULL);
    /* a cohort at the HQ: course, cohort, open, a settled enterprise's post, enrol, withdraw */
    CHECK_INT(RUN(out, "ecommerce", "bases", "--tier", "hq", "--db", db), 0);
    long long hq = first_int(out, "id");
    CHECK(hq > 0);
    CHECK_INT(RUN(out, "academy", "course-add", "--db", db, "--json",
                  "{\"title\":\"命令行课\",\"category\":\"compliance\",\"hours\":8,\"level\":5,"
                  "\"practice_hours\":0}"),
              0);
    long long course = first_int(out, "id");
    snprintf(j, sizeof j,
             "{\"course_id\":%lld,\"base_id\":%lld,\"name\":\"命令行班\",\"starts_on\":"
             "\"2024-09-01\",\"ends_on\":\"2099-09-30\",\"capacity\":2}",
             course, hq);
    CHECK_INT(RUN(out, "academy", "cohort-add", "--db", db, "--json", j), 0);
    long long cohort = first_int(out, "id");
    snprintf(id, sizeof id, "%lld", cohort);
    /* without --version: the current one (the transition is still checked) */
    CHECK_INT(RUN(out, "academy", "cohort-state", id, "--state", "running", "--db", db), 1);
    CHECK(strstr(out, "invalid_transition") != NULL);
    CHECK_INT(
        RUN(out, "academy", "cohort-state", id, "--state", "running", "--version", "1", "--db", db),
        1);
    CHECK(strstr(out, "invalid_transition") != NULL);
    CHECK_INT(
        RUN(out, "academy", "cohort-state", id, "--state", "open", "--version", "1", "--db", db),
        0);
    CHECK(strstr(out, "\"state\": \"open\"") != NULL);
    CHECK_INT(RUN(out, "ecommerce", "zone-add", "--db", db, "--json",
                  "{\"name\":\"命令行企业\",\"kind\":\"mcn\",\"settled_on\":\"2024-01-02\"}"),
              0);
    long long zone = first_int(out, "id");
    snprintf(j, sizeof j, "{\"zone_enterprise_id\":%lld,\"title\":\"主播\",\"openings\":2}", zone);
    CHECK_INT(RUN(out, "academy", "post-add", "--db", db, "--json", j), 0);
    long long post = first_int(out, "id");
    CHECK_INT(RUN(out, "ecommerce", "streamer-add", "--db", db, "--json",
                  "{\"name\":\"命令行学员\",\"birth_date\":\"1996-03-03\",\"skill_level\":5}"),
              0);
    long long streamer = first_int(out, "id");
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", streamer);
    CHECK_INT(RUN(out, "ecommerce", "streamer-update", sid, "--db", db, "--json",
                  "{\"version\":1,\"skill_level\":4}"),
              0);
    CHECK(strstr(out, "\"skill_level\": 4") != NULL);
    CHECK_INT(RUN(out, "ecommerce", "streamer-update", sid, "--db", db, "--json",
                  "{\"version\":1,\"skill_level\":3}"),
              1); /* a stale version */
    CHECK(strstr(out, "version") != NULL);
    /* bad input: a message, exit 1, nothing written (the newest audit row stays the same) */
    char audit0[4096], audit1[4096];
    CHECK_INT(RUN(audit0, "audit", "--limit", "1", "--db", db), 0);
    snprintf(j, sizeof j, "{\"cohort_id\":%lld,\"post_id\":%lld}", cohort, post);
    CHECK_INT(RUN(out, "academy", "enrol", "--db", db, "--json", j), 1);
    CHECK(strstr(out, "streamer_id") != NULL);
    CHECK_INT(RUN(out, "academy", "enrol", "--db", db, "--json", "{not json"), 2);
    CHECK_INT(RUN(out, "academy", "enrol", "--db", db), 2);
    CHECK_INT(RUN(out, "appeal", "add", "--db", db, "--json",
                  "{\"channel\":\"phone\",\"type\":\"gossip\"}"),
              1);
    CHECK(strstr(out, "type") != NULL);
    CHECK_INT(RUN(audit1, "audit", "--limit", "1", "--db", db), 0);
    CHECK_STR(audit0, audit1);
    snprintf(j, sizeof j, "{\"cohort_id\":%lld,\"streamer_id\":%lld,\"post_id\":%lld}", cohort,
             streamer, post);
    CHECK_INT(RUN(out, "academy", "enrol", "--db", db, "--json", j), 0);
    long long enrolment = first_int(out, "id");
    CHECK_INT(RUN(out, "academy", "enrol", "--db", db, "--json", j), 1);
    CHECK(strstr(out, "already_enrolled") != NULL);
    CHECK_INT(RUN(out, "academy", "enrolments", "--cohort-id", id, "--db", db), 0);
    CHECK(strstr(out, "命令行学员") != NULL);
    snprintf(id2, sizeof id2, "%lld", enrolment);
    CHECK_INT(RUN(out, "academy", "withdraw", id2, "--version", "1", "--db", db), 0);
    CHECK(strstr(out, "\"state\": \"withdrawn\"") != NULL);
    CHECK_INT(RUN(out, "academy", "cohort-get", id, "--db", db), 0);
    CHECK_INT(first_int(out, "enrolled"), 0);
    CHECK_INT(RUN(out, "academy", "withdraw", id2, "--version", "x", "--db", db), 2);
    CHECK_INT(RUN(out, "academy", "withdraw", id2, "--db", db), 1); /* withdrawn already */
    /* enterprise service: appeals, policies, KPIs */
    CHECK_INT(RUN(out, "appeal", "list", "--limit", "2", "--db", db), 0);
    CHECK(strstr(out, "\"items\"") != NULL);
    CHECK_INT(
        RUN(out, "appeal", "add", "--db", db, "--json",
            "{\"organisation_id\":1,\"channel\":\"phone\",\"type\":\"help\","
            "\"category\":\"logistics\",\"title\":\"冷链仓储用地\",\"description\":\"需要协调\"}"),
        0);
    long long appeal = first_int(out, "id");
    CHECK(strstr(out, "\"state\": \"received\"") != NULL);
    snprintf(id, sizeof id, "%lld", appeal);
    CHECK_INT(RUN(out, "appeal", "dispatch", id, "--db", db, "--json", "{\"version\":1}"), 0);
    CHECK(strstr(out, "\"state\": \"dispatched\"") != NULL);
    CHECK_INT(RUN(out, "appeal", "dispatch", id, "--db", db, "--json", "{\"version\":2}"), 1);
    CHECK_INT(RUN(out, "appeal", "get", id, "--db", db), 0);
    CHECK(strstr(out, "冷链仓储用地") != NULL);
    CHECK_INT(RUN(out, "policy", "list", "--limit", "1", "--db", db), 0);
    long long policy = first_int(out, "id");
    snprintf(id, sizeof id, "%lld", policy);
    CHECK_INT(RUN(out, "policy", "explain", id, "--db", db), 2);
    CHECK_INT(RUN(out, "policy", "matches", id, "--limit", "3", "--db", db), 0);
    CHECK_INT(RUN(out, "enterprise", "kpis", "--db", db), 2);
    CHECK_INT(RUN(out, "enterprise", "kpis", "--from", "2024-01-01", "--csv", "--db", db), 0);
    CHECK(strncmp(out, "department_id,", 14) == 0);
    CHECK_INT(RUN(out, "enterprise", "receptions", "--limit", "1", "--db", db), 0);
    CHECK(strstr(out, "\"items\"") != NULL);
}
