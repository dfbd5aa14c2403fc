/* Internal API of the command line, shared by the verb files (src/cli/cli_*.c). */
#ifndef PJ_CLI_INT_H
#define PJ_CLI_INT_H

#include <jansson.h>

#include "core/buf.h"
#include "domain/ctx.h"

#define MAX_OPTS 32
#define MAX_POS  8

typedef struct cli {
    const char *pos[MAX_POS];
    int npos;
    const char *key[MAX_OPTS], *val[MAX_OPTS];
    int nopt;
    char keys[MAX_OPTS][64]; /* the names of --name=value options */
} cli;

typedef int (*verb_fn)(cli *a);
typedef struct verb {
    const char *name, *usage, *help;
    verb_fn fn;
    /* For the sub-commands its usage's forms do not spell out (agri RESOURCE ACTION): 1 with the
     * sub-command the command line gives into sub ("labs list") and the options it takes
     * ("--a, --b") into out; -1 when it names such a sub-command with an action there is not
     * (the verb names it); 0 when the forms say. NULL: the forms say. */
    int (*sub_options)(cli *a, char *sub, size_t subcap, char *out, size_t cap);
    /* More of its --help, printed after the rest; NULL when none. */
    void (*more_help)(const char *verb_name);
} verb;

/* Opens the store with the command line acting as a local administrator. */
typedef struct session {
    pj_db *db;
    pj_arena arena;
    pj_settings settings;
    pj_ctx ctx;
    pj_err err;
} session;

/* Value of --k (a flag gives ""), NULL when absent. Borrowed from argv. */
const char *cli_opt(cli *a, const char *k);
const char *cli_db_path(cli *a);
/* The request id of the command line's audit rows: "cli:LOGIN@HOST". */
const char *cli_request_id(void);
/* Prints a usage error; returns 2. */
int cli_usage(const char *msg);
/* 0 when the command line has at most max positional arguments (the verb counts as one);
 * else a usage error naming the first extra one (2). */
int cli_extra_args(cli *a, int max);
/* Prints the error; returns 1, or 2 for a bad parameter of a list or report (bad_query,
 * unknown_parameter: an option of the command, a usage error). */
int cli_fail(const pj_err *e);
/* 0 when path may take a file the command writes (--out): not the database nor its -wal,
 * -shm or -journal (by any name), not a symbolic link (even a broken one), a directory or
 * another kind of file, not an existing file unless --force is given, and in a directory
 * where a file can be made; else 1 with the reason printed. Checked before the work it
 * would keep (a plan saved) is done. */
int cli_out_check(cli *a, const char *path);
/* Writes n bytes to path, checked by cli_out_check: a new file, its owner's alone (0600); with
 * --force an existing regular file is replaced at once (the new one written beside it, then
 * renamed over it). The one way the command line writes an output file. 0, or 1 with the
 * reason printed. */
int cli_out_write(cli *a, const char *path, const void *data, size_t n);
/* Opens the database with the command line acting as a local administrator; 0 or exit code. */
int cli_session_open(session *s, cli *a);
void cli_session_close(session *s);
/* Prints JSON text indented, terminal-safe (cli_term_text with json). */
void cli_print_json(const char *text);
/* Appends n bytes of s made safe to print on a terminal: text saved before the server refused
 * control characters may hold an ESC sequence the terminal would run, or a CR that overwrites
 * the line. C0 controls, DEL and bytes that are not UTF-8 become \x1b and the like, C1 and the
 * bidirectional controls (U+202A–U+202E, U+2066–U+2069) \u009b, \u202e. json: s is JSON
 * text whose strings have their C0 controls escaped already (its line breaks are layout and
 * kept): DEL, C1 and the bidirectional controls get JSON's \u escapes (\u009B), a byte that
 * is not UTF-8 \ufffd. */
void cli_term_text(pj_buf *out, const char *s, size_t n, int json);
/* Every string in v (objects and arrays, in place) through cli_term_text: before a table or
 * text is printed from a record. */
void cli_term_strings(json_t *v);
int cli_parse_id(const char *s, int64_t *id);
/* JSON the command line is given, parsed as the API parses a body: one value, no duplicate
 * keys; a UTF-8 byte order mark before it is skipped. NULL when it does not parse, the reason
 * printed after "pingji: what: " (with the line, when there is one). Caller owns. */
json_t *cli_json_text(const char *what, const char *text, size_t len);
/* cli_json_text of the file at path (pj_file_read: at most 64 MiB, a missing one "no such
 * file"); NULL (said) when it cannot be read, *rc 1 (the run failed), or does not parse, *rc 2
 * (a bad value). */
json_t *cli_json_file(const char *what, const char *path, int *rc);
/* --json '{…}' or --json @file.json (cli_json_text, cli_json_file) into *body (the caller's):
 * 0, or the exit code after the message — 2 for no --json or JSON that does not parse, 1 for a
 * file that cannot be read. */
int cli_json_body(cli *a, json_t **body);

/* A sub-command of a verb, given the open session, the positional id and the JSON body. */
typedef int (*cli_sub_fn)(session *s, cli *a, int64_t id, json_t *body, pj_jw *w, pj_buf *csv);

typedef struct cli_sub {
    const char *name;
    int needs_id;   /* positional ID after the sub-command */
    int needs_json; /* 1: --json J (or a body built from options); 2: optional, {} when absent */
    cli_sub_fn fn;
    int max_pos; /* positional arguments it takes, the verb's included; 0: 2, 3 with an id */
    /* Reads the record (the id's): an update whose JSON has no "version" edits the current
     * version (cli_fill_version); NULL when the sub-command takes no version. */
    cli_sub_fn current;
} cli_sub;

/* The command line edits the current version: when body (an object) has no "version", it
 * gets the one of record id as current reads it (the record, or a page of a list holding it).
 * 0 when done or not needed, else current's code (-1 with s->err set: no such record). The
 * rule of every update and action of the command line. */
int cli_fill_version(session *s, cli *a, int64_t id, json_t *body, cli_sub_fn current);
/* The same from the record's JSON text (NULL-safe). In a page without the record, the version
 * set is one no record has (the domain then says the record is missing). */
void cli_set_version(int64_t id, json_t *body, const char *record);

/* Writes {"deleted": id} into w, what every delete of the command line prints; returns 0. */
int cli_deleted(pj_jw *w, int64_t id);

/* Work done in a session: fills w (JSON) or csv; 0, -1 with s->err, or an exit code. */
typedef int (*cli_work_fn)(session *s, void *arg, pj_jw *w, pj_buf *csv);
/* Opens the session (exit 1 when it cannot be), runs fn with arg, an answer buffer and a CSV
 * buffer of at most csv_cap bytes, then prints the answer: the error (-1), else the CSV when
 * fn wrote one, else the JSON. Frees body (may be NULL) and closes; returns the exit code. */
int cli_session_work(cli *a, json_t *body, size_t csv_cap, cli_work_fn fn, void *arg);
/* Runs the sub-command named by pos[1] (def when absent) from a NULL-terminated table;
 * returns the exit code. */
int cli_run_subs(cli *a, const cli_sub *subs, const char *def);
/* --k as a positive id (0 when absent, -1 when not a number). */
int64_t cli_opt_id(cli *a, const char *k);
/* cli_opt_id of each of the n options names[i] into *outs[i]; 0, or a usage error naming the
 * first that is not an id (2). */
int cli_opt_ids(cli *a, const char *const *names, int64_t *const *outs, int n);
/* 0 when --k is absent or one of values (NULL-terminated); else a usage error listing them (2). */
int cli_opt_enum(cli *a, const char *k, const char *const *values);
/* An export's --headings: 0 for en (or absent), 1 for zh; else 2 after naming the values. */
int cli_opt_headings(cli *a, int *zh);
/* --limit in 1..500 (50 when absent, -1 when out of range). */
/* 2 after naming option k when its value is longer than a text filter of the API may be (64
 * characters: its 400 bad_query), else 0. */
int cli_opt_text(cli *a, const char *k);
int cli_opt_limit(cli *a);
/* A page of a list: --cursor (the next_cursor of the page before; 0 when absent) into *cursor
 * and --limit in 1..500 (def when absent) into *limit; 0, or a usage error naming the option
 * (2). */
int cli_opt_page(cli *a, int def, int64_t *cursor, int *limit);

/* Dual-use verbs: standard, manual, convert, drill, overview, stock. */
int cli_standard(cli *a);
int cli_manual(cli *a);
int cli_convert(cli *a);
int cli_drill(cli *a);
int cli_overview(cli *a);
int cli_stock(cli *a);

/* Planner verb (cli_plan.c): plan --scenario FILE | list | show | adopt | compare. */
int cli_plan(cli *a);

/* Indicator verbs (cli_indicators.c): indicator …, carbon …, import FILE.csv [--dry-run]. */
int cli_indicator(cli *a);
int cli_carbon(cli *a);
int cli_import(cli *a);
/* An import of a table: CSV text or XLSX bytes (pj_ind_import_csv and the like). */
typedef int (*cli_import_fn)(pj_ctx *c, const char *text, size_t len, int dry_run, int max_rows,
                             pj_jw *w, pj_err *err);
typedef int (*cli_import_xlsx_fn)(pj_ctx *c, const void *data, size_t len, int dry_run,
                                  int max_rows, pj_jw *w, pj_err *err);
/* Reads the file named by the positional argument pos[first] (no more after it) and imports
 * it with csv_fn, or xlsx_fn for a workbook; --dry-run previews. The answer printed; exit 1
 * when the table has bad rows (nothing was written). */
int cli_import_file(cli *a, int first, const char *usage, cli_import_fn csv_fn,
                    cli_import_xlsx_fn xlsx_fn);
/* Writes an export to path as cli_out_write (then {file, format, bytes} into w) or, path NULL,
 * to standard output; 0, or 1 when it cannot be written (said on standard error). */
int cli_write_export(cli *a, const pj_buf *data, const char *path, int xlsx, pj_jw *w);
/* 1 when s ends with tail, ASCII letters in any case. */
int cli_ends_with_ci(const char *s, const char *tail);

/* Eldercare verbs (cli_eldercare.c): elder …, helper …, pair …, vulnerable. */
int cli_elder(cli *a);
int cli_helper(cli *a);
int cli_pair(cli *a);
int cli_vulnerable(cli *a);

/* Livestream e-commerce verbs (cli_ecommerce.c): ecommerce …, academy …. */
int cli_ecommerce(cli *a);
int cli_academy(cli *a);

/* Enterprise-service verbs (cli_enterprise.c): enterprise …, appeal …, policy …. */
int cli_enterprise(cli *a);
int cli_appeal(cli *a);
int cli_policy(cli *a);
/* Agri-tech and logistics verbs (cli_records.c): agri …, logistics …; the options of
 * RESOURCE ACTION (a list's: the API's list parameters) and the help naming them. */
int cli_agri(cli *a);
int cli_logistics(cli *a);
int cli_rec_options(cli *a, char *sub, size_t subcap, char *out, size_t cap);
/* pingji drill plans ACTION …: the drill plans as the agri-tech and logistics records */
int cli_drill_plans(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv);
void cli_rec_help(const char *verb_name);
#endif
