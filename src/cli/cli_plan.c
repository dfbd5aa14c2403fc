/* The planner's verb: pingji plan --scenario FILE.json | list | show ID | adopt ID [--confirm] |
 * close ID |
 * compare A B | ship ID --store S --site F --category C --quantity Q |
 * void-shipment ID SID --reason R */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "core/util.h"
#include "domain/plan.h"

#include "core/banned.h"

/* A count's noun in English: "1 person", "2 people". */
static const char *noun(double n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* The sum of `key` over the entries of `arr` of supply category `cat`. */
static long long sum_of(json_t *arr, const char *cat, const char *key)
{
    long long n = 0;
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        const char *c = json_string_value(json_object_get(e, "category"));
        if (c && cat && !strcmp(c, cat))
            n += (long long)json_integer_value(json_object_get(e, key));
    }
    return n;
}

static void progress(void *ud, const char *phase, double frac)
{
    const char **last = ud;
    (void)frac;
    if (*last && !strcmp(*last, phase)) return; /* one line per phase */
    fprintf(stderr, "plan: %s…\n", phase);
    *last = phase;
}

static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

/* The columns a code point takes on a terminal: 2 for the wide East Asian ranges (CJK
 * ideographs, kana, hangul, full-width forms), else 1. */
static int cp_width(unsigned cp)
{
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
        (cp >= 0x3041 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
        (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

/* The next code point of UTF-8 text at *s (advanced past it); a stray byte counts as one. */
static unsigned next_cp(const unsigned char **s)
{
    const unsigned char *p = *s;
    unsigned cp = p[0];
    int n = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
    int k = 1;
    if (n) {
        cp &= 0x3F >> n;
        for (; k <= n && (p[k] & 0xC0) == 0x80; k++) cp = (cp << 6) | (p[k] & 0x3F);
        if (k <= n) cp = p[0], k = 1; /* cut short: the byte alone */
    }
    *s = p + k;
    return cp;
}

/* Prints name in exactly `cols` terminal columns: padded with spaces, or cut with "…" when
 * wider (CJK characters are two columns wide, so padding by bytes would misalign them). */
static void print_cols(const char *name, int cols)
{
    const unsigned char *p = (const unsigned char *)(name ? name : ""), *q = p;
    int w = 0;
    while (*q) w += cp_width(next_cp(&q));
    if (w <= cols) {
        printf("%s%*s", (const char *)p, cols - w, "");
        return;
    }
    /* room for the ellipsis (one column) */
    int used = 0;
    q = p;
    while (*q) {
        const unsigned char *at = q;
        int cw = cp_width(next_cp(&q));
        if (used + cw > cols - 1) {
            q = at;
            break;
        }
        used += cw;
    }
    printf("%.*s…%*s", (int)(q - p), (const char *)p, cols - 1 - used, "");
}

#define NAME_COLS 36

/* The name of the chosen site that e (with a facility_id) is about; "" when none. */
static const char *site_name(json_t *sites, json_t *e)
{
    json_int_t fid = json_integer_value(json_object_get(e, "facility_id"));
    json_t *x;
    size_t k;
    json_array_foreach(sites, k, x)
    {
        if (json_integer_value(json_object_get(x, "facility_id")) == fid)
            return json_string_value(json_object_get(x, "name"));
    }
    return "";
}

/* A village's shortfall reason (the result's shortfall.villages[].reason) in words; vuln: of
 * the people needing medical care, who may go only to a medical site or (unless the plan says
 * `needs: medical`) into barrier-free rooms. */
static const char *short_reason(const char *why, int vuln, const char *needs, double km,
                                double deadline_h, json_t *excluded)
{
    static char b[400];
    const char *sites = !vuln                                ? "candidate site"
                        : needs && !strcmp(needs, "medical") ? "medical site"
                                                             : "medical site or barrier-free room";
    if (!strcmp(why, "no_location")) return "the village has no location";
    if (!strcmp(why, "out_of_reach")) {
        snprintf(b, sizeof b, "no %s within %g km", sites, km);
        return b;
    }
    if (!strcmp(why, "sites_full")) {
        snprintf(b, sizeof b, "every %s in reach is full", sites);
        return b;
    }
    if (!strcmp(why, "beyond_deadline")) {
        snprintf(b, sizeof b,
                 "every %s in reach takes longer than the deadline of %g h to convert (a later"
                 " deadline, not a longer distance, brings them in)",
                 sites, deadline_h);
        return b;
    }
    if (!strcmp(why, "short_of_teams") || !strcmp(why, "full_short_of_teams")) {
        /* the team types the left-out sites are short of, each once */
        int n =
            !strcmp(why, "short_of_teams")
                ? snprintf(b, sizeof b, "every %s in reach is short of teams (", sites)
                : snprintf(b, sizeof b,
                           "every %s in reach is full; more in reach are short of teams (", sites);
        const char *seen[32];
        int ns = 0;
        json_t *e, *tm;
        size_t i, k;
        json_array_foreach(excluded, i, e) json_array_foreach(json_object_get(e, "teams"), k, tm)
        {
            const char *t = json_string_value(json_object_get(tm, "team_type"));
            int dup = !t;
            for (int a = 0; a < ns && !dup; a++) dup = !strcmp(seen[a], t);
            if (dup || ns == 32) continue;
            seen[ns++] = t;
            if (n < (int)sizeof b)
                n += snprintf(b + n, sizeof b - (size_t)n, "%s%s", ns > 1 ? ", " : "", t);
        }
        if (n < (int)sizeof b) snprintf(b + n, sizeof b - (size_t)n, "; see left out)");
        return b;
    }
    return why;
}

static void print_plan(json_t *plan)
{
    cli_term_strings(plan); /* names and texts as the terminal shows them, controls escaped */
    json_t *res = json_object_get(plan, "result"), *sum = json_object_get(res, "summary");
    json_t *sites = json_object_get(res, "sites"), *e;
    json_t *req = json_object_get(plan, "request");
    size_t i;
    printf("plan %lld  %s  (%s, %s, %s)\n\n",
           (long long)json_integer_value(json_object_get(plan, "id")),
           json_string_value(json_object_get(plan, "name")),
           json_string_value(json_object_get(plan, "scenario")),
           json_string_value(json_object_get(plan, "role")),
           json_string_value(json_object_get(plan, "status")));
    /* no result yet (solving) or none (failed): what the API says of it, not a plan of zeros */
    if (!json_is_object(res)) {
        json_t *pe = json_object_get(plan, "error"), *pg = json_object_get(plan, "progress");
        const char *field = json_string_value(json_object_get(pe, "field"));
        const char *msg = json_string_value(json_object_get(pe, "message"));
        if (json_is_object(pe))
            printf("failed: %s (%s%s%s)%s\n", msg ? msg : "",
                   json_string_value(json_object_get(pe, "code")), field ? ", field " : "",
                   field ? field : "",
                   msg && strstr(msg, "plan it again") ? "" : "; plan it again");
        else if (json_is_object(pg))
            printf(
                "solving: phase %s, %.0f%% of it, %.1f s since it was submitted; no result yet\n",
                json_string_value(json_object_get(pg, "phase")), 100 * num(pg, "fraction"),
                num(pg, "elapsed_ms") / 1000.0);
        else
            printf("no result\n");
        return;
    }
    /* an adopted plan's sites as they are now (the API's in_force): a site restored or whose
     * conversion was aborted houses no one of the plan any more — its people have no place and
     * count in the shortfall, as the console counts them; a supply store's or transport hub's
     * plan counts its role's units, not people: such a site is only no longer in use */
    const char *role = json_string_value(json_object_get(plan, "role"));
    const char *status = json_string_value(json_object_get(plan, "status"));
    int adopted = status && !strcmp(status, "adopted");
    int housing = !role || !strcmp(role, "isolation") || !strcmp(role, "resettlement") ||
                  !strcmp(role, "medical");
    /* what the plan counts: people, or a store's or hub's own unit */
    const char *counts = housing                                  ? "people"
                         : role && !strcmp(role, "transport_hub") ? "vehicles/h"
                                                                  : "m3/t";
    long long gone_sites = 0, gone_people = 0, gone_vulnerable = 0;
    printf("%8s  ", "facility");
    print_cols("name", NAME_COLS);
    printf(" %8s %8s %8s %8s %7s\n", strcmp(counts, "vehicles/h") ? counts : "veh/h", "capacity",
           "mean km", "max km", "ready h");
    json_array_foreach(sites, i, e)
    {
        int gone = adopted && json_is_false(json_object_get(e, "in_force"));
        printf("%8lld  ", (long long)json_integer_value(json_object_get(e, "facility_id")));
        print_cols(json_string_value(json_object_get(e, "name")), NAME_COLS);
        printf(" %8lld %8.0f %8.1f %8.1f %7.1f%s%s\n",
               (long long)json_integer_value(json_object_get(e, "used")), num(e, "capacity"),
               num(e, "mean_km"), num(e, "max_km"), num(e, "ready_minutes") / 60.0,
               json_is_true(json_object_get(e, "after_deadline")) ? "  after the deadline" : "",
               !adopted  ? ""
               : !gone   ? "  in force"
               : housing ? "  NO LONGER IN FORCE (restored or aborted: its people have no place)"
                         : "  NO LONGER IN USE (restored or aborted)");
        if (gone) {
            gone_sites++;
            if (housing) {
                gone_people += (long long)json_integer_value(json_object_get(e, "used"));
                gone_vulnerable += (long long)json_integer_value(json_object_get(e, "vulnerable"));
            }
        }
    }
    json_t *flags = json_object_get(json_object_get(res, "solver"), "flags");
    json_t *ts = json_object_get(json_object_get(res, "solver"), "time_s");
    /* served and the shortfall as they are now: the people of sites no longer in force are
     * no longer served (they add up to the demand, as the console's figures do) */
    printf("\nsites %.0f of %.0f candidates; demand %.0f, served %.0f, shortfall %.0f",
           num(sum, "sites"), num(sum, "candidates"), num(sum, "demand"),
           num(sum, "served") - (double)gone_people, num(sum, "shortfall") + (double)gone_people);
    /* the shortfall said as what it is: people needing medical care or not; a store's or a
     * hub's in the role's unit */
    if (!housing)
        printf(" (%s, the %s role's unit: not people)", counts, role);
    else if (num(sum, "shortfall") + (double)gone_people > 0)
        printf(" (%.0f of them needing medical care)",
               num(sum, "vulnerable_shortfall") + (double)gone_vulnerable);
    printf("\n");
    if (gone_sites && housing)
        printf("no longer placed: %lld %s no longer in force (restored or aborted); the %lld"
               " people the plan put there have no place (in the shortfall: %.0f when adopted,"
               " %.0f now)\n",
               gone_sites, gone_sites == 1 ? "site" : "sites", gone_people, num(sum, "shortfall"),
               num(sum, "shortfall") + (double)gone_people);
    else if (gone_sites)
        printf("no longer in use: %lld %s of this %s plan (restored or aborted)\n", gone_sites,
               gone_sites == 1 ? "site" : "sites", role);
    json_t *vu = json_object_get(res, "vulnerable");
    const char *src = json_string_value(json_object_get(vu, "source"));
    if (src && strcmp(src, "none"))
        printf("needing medical care: %.0f (%s), served %.0f, unmet %.0f; they need %s\n",
               num(vu, "total"),
               !strcmp(src, "eldercare") ? "from the eldercare vulnerable-person list"
                                         : "the number the plan gave",
               num(vu, "served") - (double)gone_vulnerable,
               num(vu, "unmet") + (double)gone_vulnerable,
               json_string_value(json_object_get(vu, "needs")));
    else
        printf("needing medical care: none singled out\n");
    /* no bound nor gap of the whole plan when the vulnerable were placed first (two stages):
     * each stage's bound takes the earlier stage's sites as fixed; the stages' gaps are said
     * as such */
    char bound[32] = "—", gap[200] = "— (no bound found)";
    if (json_is_number(json_object_get(sum, "lower_bound")))
        snprintf(bound, sizeof bound, "%.1f", num(sum, "lower_bound"));
    /* no gap (null) is unknown, not 0 % */
    json_t *solv = json_object_get(json_object_get(plan, "result"), "solver");
    json_t *st1 = json_object_get(solv, "location_vulnerable"),
           *st2 = json_object_get(solv, "location");
    if (json_is_number(json_object_get(sum, "gap")))
        snprintf(gap, sizeof gap, "%.2f%%", 100 * num(sum, "gap"));
    else if (json_is_true(json_object_get(json_object_get(solv, "flags"), "vulnerable_first")) &&
             json_is_object(st1)) {
        char g2[32] = "—";
        if (json_is_number(json_object_get(st2, "gap")))
            snprintf(g2, sizeof g2, "%.2f%%", 100 * num(st2, "gap"));
        snprintf(gap, sizeof gap,
                 "— (two stages, no bound for the whole plan; stage gaps, each given the earlier"
                 " stage's sites: needing medical care %.2f%%, the others %s)",
                 100 * num(st1, "gap"), g2);
    }
    printf("cost %.1f (fixed %.1f + service %.1f), bound %s, gap %s\n", num(sum, "objective"),
           num(sum, "fixed_cost"), num(sum, "service_cost"), bound, gap);
    printf("person-km %.1f, mean %.2f km, max %.2f km; all ready after %.1f h\n",
           num(sum, "person_km"), num(sum, "mean_km"), num(sum, "max_km"),
           num(sum, "max_ready_minutes") / 60.0);
    /* the deadline: how many chosen sites the shared teams make ready after it */
    if (json_is_number(json_object_get(sum, "sites_after_deadline"))) {
        double late = num(sum, "sites_after_deadline");
        if (late > 0)
            printf("DEADLINE MISSED: %.0f of %.0f %s ready after the %g h deadline\n", late,
                   num(sum, "sites"), noun(num(sum, "sites"), "site", "sites"),
                   num(req, "deadline_hours"));
        else
            printf("every site ready within the %g h deadline\n", num(req, "deadline_hours"));
    }
    json_t *sup = json_object_get(res, "supplies");
    if (json_is_object(sup)) {
        json_t *cats = json_object_get(sup, "categories");
        if (json_array_size(cats)) {
            /* each category in its own unit: kilograms and litres are not added up */
            printf("supplies for %.0f %s, per category:\n", num(sup, "days"),
                   noun(num(sup, "days"), "day", "days"));
            json_array_foreach(cats, i, e)
            {
                const char *unit = json_string_value(json_object_get(e, "unit"));
                const char *cat = json_string_value(json_object_get(e, "category"));
                /* the API's "shipped" is the solve's allocation, not a shipment: named as the
                 * console names it (调配), beside the shipments recorded */
                printf("  %-10s demand %lld %s, allocated %lld, unmet %lld", cat ? cat : "",
                       (long long)json_integer_value(json_object_get(e, "demand")),
                       unit ? unit : "",
                       (long long)json_integer_value(json_object_get(e, "shipped")),
                       (long long)json_integer_value(json_object_get(e, "unmet")));
                long long held = sum_of(json_object_get(sup, "held"), cat, "quantity");
                long long sent = sum_of(json_object_get(sup, "flows"), cat, "shipped");
                if (held > 0) printf("; %lld held by adopted plans", held);
                if (sent > 0) printf("; shipments recorded so far: %lld", sent);
                printf("\n");
            }
        } else { /* a plan saved before the totals per category: their sum */
            printf("supplies for %.0f days: demand %.0f, allocated %.0f, unmet %.0f",
                   num(sup, "days"), num(sup, "total_demand"), num(sup, "total_shipped"),
                   num(sup, "total_unmet"));
            if (num(sup, "held_by_adopted") > 0)
                printf("; %.0f held by adopted plans", num(sup, "held_by_adopted"));
            /* an adopted plan's shipments recorded so far (pingji plan ship) */
            if (num(sup, "shipped_so_far") > 0)
                printf("; shipments recorded so far: %.0f", num(sup, "shipped_so_far"));
            printf("\n");
        }
        json_array_foreach(json_object_get(sup, "unmet"), i, e)
        {
            const char *unit = json_string_value(json_object_get(e, "unit"));
            printf("  unmet supply: %s (facility %lld) %s %lld%s%s\n", site_name(sites, e),
                   (long long)json_integer_value(json_object_get(e, "facility_id")),
                   json_string_value(json_object_get(e, "category")),
                   (long long)json_integer_value(json_object_get(e, "quantity")), unit ? " " : "",
                   unit ? unit : "");
        }
    }
    printf("time: load %.3f s, location %.3f s, supply %.3f s, schedule %.3f s%s%s\n",
           num(ts, "load"), num(ts, "location"), num(ts, "supply"), num(ts, "schedule"),
           json_is_true(json_object_get(flags, "time_limit_hit")) ? " (time limit hit)" : "",
           json_is_true(json_object_get(flags, "single_source_relaxed"))
               ? " (villages split: single source infeasible)"
               : "");
    json_t *sv = json_object_get(json_object_get(res, "shortfall"), "villages");
    json_array_foreach(sv, i, e)
    {
        printf("  short: %s (%lld) %.0f %s", json_string_value(json_object_get(e, "village_name")),
               (long long)json_integer_value(json_object_get(e, "village_id")), num(e, "people"),
               housing ? noun(num(e, "people"), "person", "people") : counts);
        if (json_integer_value(json_object_get(e, "vulnerable")) > 0)
            printf(", %lld of them needing medical care",
                   (long long)json_integer_value(json_object_get(e, "vulnerable")));
        /* why, and why those needing medical care when theirs is another reason */
        const char *why = json_string_value(json_object_get(e, "reason")),
                   *why_v = json_string_value(json_object_get(e, "vulnerable_reason"));
        const char *needs =
            json_string_value(json_object_get(json_object_get(res, "vulnerable"), "needs"));
        double km = num(sum, "max_distance_km");
        int all_v = json_integer_value(json_object_get(e, "vulnerable")) >=
                    json_integer_value(json_object_get(e, "people"));
        json_t *excl = json_object_get(res, "excluded");
        double dh = num(req, "deadline_hours");
        if (why) printf(": %s", short_reason(why, all_v, needs, km, dh, excl));
        if (why && why_v && !all_v && strcmp(why, why_v))
            printf("; those needing medical care: %s", short_reason(why_v, 1, needs, km, dh, excl));
        printf("\n");
    }
    /* candidates in reach the teams could not staff: more teams of these types bring them in */
    json_array_foreach(json_object_get(res, "excluded"), i, e)
    {
        printf("  left out: %s (facility %lld, %s): needs ",
               json_string_value(json_object_get(e, "name")),
               (long long)json_integer_value(json_object_get(e, "facility_id")),
               json_string_value(json_object_get(e, "role")));
        json_t *tm;
        size_t k;
        json_array_foreach(json_object_get(e, "teams"), k, tm)
        {
            printf("%s%lld %s teams, %lld given", k ? "; " : "",
                   (long long)json_integer_value(json_object_get(tm, "needed")),
                   json_string_value(json_object_get(tm, "team_type")),
                   (long long)json_integer_value(json_object_get(tm, "given")));
        }
        printf("\n");
    }
    /* facilities in reach that are no candidates for their state (converting, in use,
     * restoring): the plan does without them until they are back in peacetime */
    json_array_foreach(json_object_get(res, "unavailable"), i, e)
    {
        json_t *pid = json_object_get(e, "plan_id"), *cid = json_object_get(e, "conversion_id");
        printf("  unavailable: %s (facility %lld, %.1f km): %s",
               json_string_value(json_object_get(e, "name")),
               (long long)json_integer_value(json_object_get(e, "facility_id")),
               json_number_value(json_object_get(e, "km")),
               json_string_value(json_object_get(e, "state")));
        if (json_is_integer(cid))
            printf(", conversion %lld (%s)", (long long)json_integer_value(cid),
                   json_string_value(json_object_get(e, "scenario")));
        if (json_is_integer(pid)) printf(", plan %lld", (long long)json_integer_value(pid));
        printf("\n");
    }
    /* a draft's teams that conversions under way still need: the schedule took them as free;
     * an adopted plan's as they were when it was adopted (confirmed then) */
    const char *st = json_string_value(json_object_get(plan, "status"));
    int draft = st && !strcmp(st, "draft");
    json_array_foreach(json_object_get(plan, "teams_busy"), i, e)
    {
        printf("TEAMS BUSY%s: %s: %lld given, conversions under way still need%s up to %lld of"
               " them (",
               draft ? "" : " WHEN ADOPTED", json_string_value(json_object_get(e, "team_type")),
               (long long)json_integer_value(json_object_get(e, "given")), draft ? "" : "ed",
               (long long)json_integer_value(json_object_get(e, "needed")));
        json_t *cv;
        size_t k;
        json_array_foreach(json_object_get(e, "conversions"), k, cv)
        {
            long long steps = (long long)json_integer_value(json_object_get(cv, "steps")),
                      teams = (long long)json_integer_value(json_object_get(cv, "teams"));
            printf("%sconversion %lld of %s", k ? "; " : "",
                   (long long)json_integer_value(json_object_get(cv, "conversion_id")),
                   json_string_value(json_object_get(cv, "facility_name")));
            if (json_is_integer(json_object_get(cv, "plan_id")))
                printf(" (plan %lld)",
                       (long long)json_integer_value(json_object_get(cv, "plan_id")));
            printf(": %lld %s to do, %lld %s", steps, steps == 1 ? "step" : "steps", teams,
                   teams == 1 ? "team" : "teams");
        }
        if (draft)
            printf("); the schedule takes all %lld as free: lower the teams and plan again"
                   " (adopting it as it is needs --confirm)\n",
                   (long long)json_integer_value(json_object_get(e, "given")));
        else
            printf("); the schedule took all %lld as free: its sites may be ready later than it"
                   " says\n",
                   (long long)json_integer_value(json_object_get(e, "given")));
    }
}

static int make(cli *a, session *s, json_t *body, pj_jw *w, pj_buf *out)
{
    const char *last = NULL;
    pj_plan_progress prog = {progress, &last};
    int rc = pj_plan_create(&s->ctx, body, cli_opt(a, "progress") ? &prog : NULL, w, &s->err);
    if (rc) return cli_fail(&s->err);
    json_t *plan = json_loads(out->data, 0, NULL);
    print_plan(plan);
    json_decref(plan);
    const char *path = cli_opt(a, "out");
    if (path) {
        if (cli_out_write(a, path, out->data, out->len)) return 1;
        printf("result written to %s\n", path);
    }
    return 0;
}

/* plan ship ID: the flow named by --store, --site and --category, --quantity whole units of it;
 * each option required and a number where one is asked (else a usage error, 2) */
static int ship_body(cli *a, json_t **out)
{
    int64_t store = cli_opt_id(a, "store"), site = cli_opt_id(a, "site"), qty = 0;
    const char *cat = cli_opt(a, "category"), *q = cli_opt(a, "quantity");
    *out = NULL;
    if (store <= 0 || site <= 0)
        return cli_usage("plan ship ID: give the flow's store and site as --store ID --site ID");
    if (!cat || !*cat) return cli_usage("plan ship ID: give the flow's --category (e.g. water)");
    if (!q || pj_parse_i64(q, &qty) || qty < 1)
        return cli_usage("plan ship ID: --quantity takes the whole units shipped (1 or more)");
    *out = json_pack("{s:I, s:I, s:s, s:I}", "store_id", (json_int_t)store, "facility_id",
                     (json_int_t)site, "category", cat, "quantity", (json_int_t)qty);
    return 0;
}

/* What a shipment took: the flow, what is left of it and the stock lines it came from. */
static void print_shipment(json_t *sh)
{
    cli_term_strings(sh);
    json_t *flow = json_object_get(sh, "flow"), *e;
    const char *unit = json_string_value(json_object_get(sh, "unit"));
    size_t i;
    printf("shipment %lld of plan %lld: %lld %s of %s from %s (facility %lld) to %s (facility "
           "%lld)\n",
           (long long)json_integer_value(json_object_get(sh, "id")),
           (long long)json_integer_value(json_object_get(sh, "plan_id")),
           (long long)json_integer_value(json_object_get(sh, "quantity")), unit,
           json_string_value(json_object_get(sh, "category")),
           json_string_value(json_object_get(sh, "store_name")),
           (long long)json_integer_value(json_object_get(sh, "store_id")),
           json_string_value(json_object_get(sh, "facility_name")),
           (long long)json_integer_value(json_object_get(sh, "facility_id")));
    printf("the flow: %lld of %lld %s shipped, %lld left\n",
           (long long)json_integer_value(json_object_get(flow, "shipped")),
           (long long)json_integer_value(json_object_get(flow, "quantity")), unit,
           (long long)json_integer_value(json_object_get(flow, "remaining")));
    json_array_foreach(json_object_get(sh, "lines"), i, e)
    {
        const char *exp = json_string_value(json_object_get(e, "expiry"));
        printf("  from stock line %lld (expiry %s): %g taken, %g left\n",
               (long long)json_integer_value(json_object_get(e, "stock_line_id")),
               exp ? exp : "none", num(e, "quantity"), num(e, "left"));
    }
}

/* A shipment voided: where its quantity went back and where its flow stands now. */
static void print_void(json_t *sh)
{
    cli_term_strings(sh);
    json_t *flow = json_object_get(sh, "flow"), *e;
    const char *unit = json_string_value(json_object_get(sh, "unit"));
    size_t i;
    printf("shipment %lld of plan %lld voided: %lld %s of %s back on the stock of %s (facility "
           "%lld)\n",
           (long long)json_integer_value(json_object_get(sh, "id")),
           (long long)json_integer_value(json_object_get(sh, "plan_id")),
           (long long)json_integer_value(json_object_get(sh, "quantity")), unit,
           json_string_value(json_object_get(sh, "category")),
           json_string_value(json_object_get(sh, "store_name")),
           (long long)json_integer_value(json_object_get(sh, "store_id")));
    json_array_foreach(json_object_get(sh, "void_lines"), i, e)
    {
        const char *exp = json_string_value(json_object_get(e, "expiry"));
        long long line = (long long)json_integer_value(json_object_get(e, "stock_line_id")),
                  from = (long long)json_integer_value(json_object_get(e, "from_stock_line_id"));
        if (json_is_true(json_object_get(e, "new")))
            printf("  %g on new stock line %lld (expiry %s; line %lld is gone or another "
                   "category)\n",
                   num(e, "quantity"), line, exp ? exp : "none", from);
        else
            printf("  %g back on stock line %lld (expiry %s)\n", num(e, "quantity"), line,
                   exp ? exp : "none");
    }
    if (flow)
        printf("the flow: %lld of %lld %s shipped, %lld left\n",
               (long long)json_integer_value(json_object_get(flow, "shipped")),
               (long long)json_integer_value(json_object_get(flow, "quantity")), unit,
               (long long)json_integer_value(json_object_get(flow, "remaining")));
}

int cli_plan(cli *a)
{
    const char *sub = a->npos > 1 ? a->pos[1] : NULL;
    int64_t id = 0, id2 = 0;
    if (!sub && !cli_opt(a, "scenario"))
        return cli_usage(
            "plan --scenario FILE.json [--out F] [--progress] | list | show ID | "
            "adopt ID [--confirm] | close ID --reason R | compare A B | ship ID --store S "
            "--site F --category C --quantity Q | void-shipment ID SID --reason R");
    if (sub && strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "adopt") &&
        strcmp(sub, "close") && strcmp(sub, "compare") && strcmp(sub, "ship") &&
        strcmp(sub, "void-shipment"))
        return cli_usage(
            "sub-commands: list show adopt close compare ship void-shipment (or --scenario FILE)");
    if (sub && strcmp(sub, "list") && cli_parse_id(a->npos > 2 ? a->pos[2] : NULL, &id))
        return cli_usage("give the plan id after the sub-command");
    if (sub && !strcmp(sub, "compare") && cli_parse_id(a->npos > 3 ? a->pos[3] : NULL, &id2))
        return cli_usage("compare A B: give two plan ids");
    if (sub && !strcmp(sub, "void-shipment") && cli_parse_id(a->npos > 3 ? a->pos[3] : NULL, &id2))
        return cli_usage("void-shipment ID SID: give the plan id and the shipment id");
    int nargs = !sub                                                       ? 1
                : !strcmp(sub, "list")                                     ? 2
                : !strcmp(sub, "compare") || !strcmp(sub, "void-shipment") ? 4
                                                                           : 3;
    if (cli_extra_args(a, nargs)) return 2;
    if (cli_opt_enum(a, "status", pj_plan_statuses)) return 2;
    int64_t cursor = 0;
    int limit = 500;
    if (sub && !strcmp(sub, "list") && cli_opt_page(a, 500, &cursor, &limit)) return 2;
    json_t *scenario = NULL;
    if (sub && !strcmp(sub, "ship") && ship_body(a, &scenario)) return 2;
    if (sub && (!strcmp(sub, "close") || !strcmp(sub, "void-shipment"))) {
        const char *reason = cli_opt(a, "reason");
        if (!reason || !*reason)
            return cli_usage(!strcmp(sub, "close")
                                 ? "plan close ID: give the reason as --reason TEXT"
                                 : "plan void-shipment ID SID: give the reason as --reason TEXT");
        scenario = json_pack("{s:s}", "reason", reason);
    }
    if (!sub) {
        /* everything checked before the plan (and its audit row) is written */
        const char *file = cli_opt(a, "scenario"), *path = cli_opt(a, "out");
        if (!*file) return cli_usage("plan --scenario FILE.json: give the scenario file");
        if (path && !*path) return cli_usage("plan --out FILE: give the result file");
        /* read as --json @FILE is (and the API reads a plan's body): a file that does not
         * parse, or repeats a key, is bad input, exit 2; one that cannot be read exit 1 */
        char what[1100];
        int rc;
        snprintf(what, sizeof what, "--scenario %s", file);
        if (!(scenario = cli_json_file(what, file, &rc))) return rc;
        if (path && cli_out_check(a, path)) {
            json_decref(scenario);
            return 1;
        }
    }
    session s;
    if (cli_session_open(&s, a)) {
        json_decref(scenario);
        return 1;
    }
    pj_buf out;
    pj_buf_init(&out, (size_t)512 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    int rc;
    if (!sub) {
        rc = make(a, &s, scenario, &w, &out);
        json_decref(scenario);
    } else {
        if (!strcmp(sub, "list"))
            rc = pj_plan_list(&s.ctx, cli_opt(a, "status"), 0, cursor, limit, &w, &s.err);
        else if (!strcmp(sub, "show"))
            rc = pj_plan_get(&s.ctx, id, &w, &s.err);
        else if (!strcmp(sub, "adopt")) {
            /* --confirm: adopted though teams it takes as free are at work elsewhere */
            json_t *body = cli_opt(a, "confirm") ? json_pack("{s:b}", "confirm", 1) : NULL;
            rc = pj_plan_adopt(&s.ctx, id, body, &w, &s.err);
            json_decref(body);
        } else if (!strcmp(sub, "close"))
            rc = pj_plan_close(&s.ctx, id, scenario, &w, &s.err);
        else if (!strcmp(sub, "ship"))
            rc = pj_plan_ship(&s.ctx, id, scenario, &w, &s.err);
        else if (!strcmp(sub, "void-shipment"))
            rc = pj_plan_shipment_void(&s.ctx, id, id2, scenario, &w, &s.err);
        else
            rc = pj_plan_compare(&s.ctx, id, id2, &w, &s.err);
        json_decref(scenario); /* the shipment's or the close's body */
        if (rc) {
            rc = cli_fail(&s.err);
            /* the message is the API's ("confirm": true): said as this command takes it */
            if (!strcmp(s.err.code, "teams_busy"))
                fprintf(stderr, "pingji: to adopt it as it is: pingji plan adopt %lld --confirm\n",
                        (long long)id);
        } else if (!strcmp(sub, "show") || !strcmp(sub, "adopt") || !strcmp(sub, "close")) {
            json_t *plan = json_loads(out.data, 0, NULL);
            print_plan(plan);
            json_decref(plan);
        } else if (!strcmp(sub, "ship")) {
            json_t *sh = json_loads(out.data, 0, NULL);
            print_shipment(sh);
            json_decref(sh);
        } else if (!strcmp(sub, "void-shipment")) {
            json_t *sh = json_loads(out.data, 0, NULL);
            print_void(sh);
            json_decref(sh);
        } else
            cli_print_json(out.data);
    }
    pj_buf_free(&out);
    cli_session_close(&s);
    return rc;
}
