/* Pure dual-use rules: the facility state machine, drill scoring, the CSV reader. */
#include <string.h>

#include "core/csv.h"
#include "core/util.h"
#include "domain/dualuse.h"
#include "t.h"

TEST(dualuse_state_machine_every_transition)
{
    static const char *const states[] = {"peacetime", "converting", "emergency", "restoring"};
    /* the only allowed moves */
    struct {
        const char *from;
        pj_conv_event ev;
        const char *to;
    } ok[] = {
        {"peacetime", PJ_EV_START, "converting"},  {"converting", PJ_EV_READY, "emergency"},
        {"converting", PJ_EV_ABORT, "peacetime"},  {"converting", PJ_EV_ABORT_RESTORE, "restoring"},
        {"emergency", PJ_EV_RESTORE, "restoring"}, {"restoring", PJ_EV_RESTORED, "peacetime"}};
    for (int s = 0; s < 4; s++)
        for (int e = PJ_EV_START; e <= PJ_EV_ABORT_RESTORE; e++) {
            const char *want = NULL;
            for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++)
                if (!strcmp(ok[k].from, states[s]) && (int)ok[k].ev == e) want = ok[k].to;
            const char *got = pj_conv_transition(states[s], (pj_conv_event)e);
            if (want)
                CHECK_STR(got, want);
            else
                CHECK(got == NULL);
        }
}

/* Regression: a line expired at 00:00 UTC of its expiry date, 08:00 in Pinggu, so for most of
 * that day it counted as expired. It is usable through the date (Beijing) and expired from
 * 00:00 Beijing of the next day. */
TEST(dualuse_stock_usable_through_its_beijing_expiry_date)
{
    int64_t expiry, at;
    CHECK_INT(pj_time_parse("2026-06-01", &expiry), 0); /* as the API stores it */
    struct {
        const char *now;
        int expired;
    } cases[] = {
        {"2026-05-31T15:59:59Z", 0}, /* 23:59:59 on 31 May, Beijing */
        {"2026-05-31T16:00:00Z", 0}, /* 00:00 on 1 June */
        {"2026-06-01T00:00:00Z", 0}, /* 08:00 on 1 June */
        {"2026-06-01T10:00:00Z", 0}, /* 18:00 on 1 June: expired before the fix */
        {"2026-06-01T15:59:59Z", 0}, /* 23:59:59 on 1 June */
        {"2026-06-01T16:00:00Z", 1}, /* 00:00 on 2 June */
        {"2026-06-03T00:00:00Z", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_INT(pj_time_parse(cases[i].now, &at), 0);
        if ((expiry < pj_stock_expired_before(at)) != cases[i].expired)
            t_fail(__FILE__, __LINE__, "expiry 2026-06-01 at %s: expired should be %d",
                   cases[i].now, cases[i].expired);
    }
}

TEST(dualuse_drill_step_score)
{
    CHECK_NEAR(pj_drill_step_score(60, 45, 1), 1.0, 1e-12);
    CHECK_NEAR(pj_drill_step_score(60, 60, 1), 1.0, 1e-12);
    CHECK_NEAR(pj_drill_step_score(60, 90, 1), 60.0 / 90.0, 1e-12);
    CHECK_NEAR(pj_drill_step_score(60, 90, 0), 0.0, 1e-12);
    /* under a quarter of the planned minutes: not plausibly carried out, no score */
    CHECK_NEAR(pj_drill_step_score(60, 14.9, 1), 0.0, 1e-12);
    CHECK_NEAR(pj_drill_step_score(60, 15, 1), 1.0, 1e-12);
    CHECK_NEAR(pj_drill_step_score(215, 0.7, 1), 0.0, 1e-12);
    CHECK_INT(pj_drill_step_too_fast(60, 14.9, 1), 1);
    CHECK_INT(pj_drill_step_too_fast(60, 15, 1), 0);
    CHECK_INT(pj_drill_step_too_fast(60, 0, 0), 0); /* not done: not done, not too fast */
}

TEST(csv_reader_quotes_limits_and_errors)
{
    pj_arena a;
    pj_arena_init(&a, 4096);
    pj_csv csv;
    pj_err e = {0};
    const char *text =
        "\xEF\xBB\xBFphase,code,name\r\nconvert,S1,\"封控, 清场\"\n\nrestore,R1,\"说\"\"明\"\"\"\n";
    CHECK_INT(pj_csv_parse(&a, text, strlen(text), &csv, &e), 0);
    CHECK_INT(csv.nrows, 3);
    CHECK_STR(csv.cells[0][0], "phase");
    CHECK_STR(csv.cells[1][2], "封控, 清场");
    CHECK_STR(csv.cells[2][2], "说\"明\"");
    static const char *const bad[] = {"a,\"b\n", "a,\"b\"c\n", "a,b\"c\n", "\xff,b\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pj_err_clear(&e);
        CHECK_INT(pj_csv_parse(&a, bad[i], strlen(bad[i]), &csv, &e), -1);
        CHECK_STR(e.code, "bad_csv");
    }
    /* regression: an unclosed quote was named at the line the text ended on ("line 5" of a
     * 4-line table), not where the quote opened */
    const char *open = "phase,code,name\nconvert,S1,\"未闭合\nconvert,S2,b\nrestore,R1,c\n";
    pj_err_clear(&e);
    CHECK_INT(pj_csv_parse(&a, open, strlen(open), &csv, &e), -1);
    CHECK(strstr(e.message, "line 2, field 3") != NULL);
    pj_buf out;
    pj_buf_init(&out, 0);
    pj_csv_field(&out, "a,b", 0);
    pj_csv_field(&out, "say \"hi\"", 0);
    pj_csv_field(&out, "plain", 1);
    CHECK_STR(out.data, "\"a,b\",\"say \"\"hi\"\"\",plain\r\n");
    pj_buf_free(&out);
    /* regression: a typed formula went out as it was and ran when the export was opened */
    pj_buf_init(&out, 0);
    pj_csv_field(&out, "=HYPERLINK(\"x\")", 0);
    pj_csv_field(&out, "@SUM(A1)", 0);
    pj_csv_field(&out, "-cmd|calc", 0);
    pj_csv_field(&out, "-3.5", 0);
    pj_csv_field(&out, "+1", 0);
    pj_csv_field(&out, "a=b", 1);
    CHECK_STR(out.data, "\"'=HYPERLINK(\"\"x\"\")\",\"'@SUM(A1)\",\"'-cmd|calc\",-3.5,+1,a=b\r\n");
    pj_buf_free(&out);
    /* a text that starts like a guarded one gets a guard too (a reader dropping one apostrophe,
     * the indicator import, gets it back); other apostrophes stay as they are */
    pj_buf_init(&out, 0);
    pj_csv_field(&out, "'=x", 0);
    pj_csv_field(&out, "'-初步数", 0);
    pj_csv_field(&out, "'a", 0);
    pj_csv_field(&out, "'", 1);
    CHECK_STR(out.data, "\"''=x\",\"''-初步数\",'a,'\r\n");
    pj_buf_free(&out);
    pj_arena_free(&a);
}
