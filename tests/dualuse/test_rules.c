/* Pure dual-use rules: the facility state machine, drill scoring, the CSV reader. */
#include <string.h>

#include "core/csv.h"
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
    } ok[] = {{"peacetime", PJ_EV_START, "converting"},
              {"converting", PJ_EV_READY, "emergency"},
              {"converting", PJ_EV_ABORT, "peacetime"},
              {"emergency", PJ_EV_RESTORE, "restoring"},
              {"restoring", PJ_EV_RESTORED, "peacetime"}};
    for (int s = 0; s < 4; s++)
        for (int e = PJ_EV_START; e <= PJ_EV_ABORT; e++) {
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

TEST(dualuse_drill_step_score)
{
    CHECK_NEAR(pj_drill_step_score(60, 45, 1), 1.0, 1e-12);
    CHECK_NEAR(pj_drill_step_score(60, 60, 1), 1.0, 1e-12);
    CHECK_NEAR(pj_drill_step_score(60, 90, 1), 60.0 / 90.0, 1e-12);
    CHECK_NEAR(pj_drill_step_score(60, 90, 0), 0.0, 1e-12);
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
    pj_arena_free(&a);
}
