/* pingji public API: the library behind the `pingji` binary. */
#ifndef PINGJI_H
#define PINGJI_H

/* Version string of the library, e.g. "0.1.0". Static storage. */
const char *pj_version(void);
/* Runs the command line (`pingji VERB ...`); returns the process exit code:
 * 0 ok, 1 failed, 2 usage. */
int pj_cli_main(int argc, char **argv);

#endif
