/* Readers for public CFLP benchmark formats (OR-Library cap*, Holmberg/Yang SSCFLP). */
#ifndef PJ_CFLP_IO_H
#define PJ_CFLP_IO_H

#include <stddef.h>

#include "algo/cflp.h"

/* OR-Library capacitated warehouse location (cap41..cap134, capa/capb/capc):
 *   m n; m lines "capacity fixed_cost"; per customer j: demand_j then m costs c_ij (cost of
 *   sending ALL of j's demand to i).
 * capa/b/c carry the literal word `capacity` instead of the numbers: it is replaced by
 * capacity_override, which must then be > 0 (else an error); for other files the override
 * is ignored. On success returns 0 and *out owns its arrays (free with pj_cflp_free); on
 * error returns -1, *out is empty and err (caller's buffer, may be NULL) says what and where. */
int pj_cflp_parse_orlib(const char *text, double capacity_override, pj_cflp *out, char *err,
                        size_t errlen);
int pj_cflp_read_orlib(const char *path, double capacity_override, pj_cflp *out, char *err,
                       size_t errlen);

/* Holmberg (Lib_2) / Yang (Lib_4) single-source files: m n; m lines "capacity fixed_cost";
 * n demands; then m rows of n costs (facility rows): c_ij = cost of assigning j wholly to i.
 * The file readers treat NUL bytes as blanks (NUL padding occurs in public Holmberg copies).
 * Same ownership and error conventions as pj_cflp_parse_orlib. */
int pj_cflp_parse_sscflp(const char *text, pj_cflp *out, char *err, size_t errlen);
int pj_cflp_read_sscflp(const char *path, pj_cflp *out, char *err, size_t errlen);

/* Reads up to max whitespace-separated numbers (e.g. an `os` optimum file, one per line)
 * into vals (caller's array). Returns the count, or -1 on a read error / non-number token. */
int pj_cflp_read_values(const char *path, double *vals, int max, char *err, size_t errlen);

#endif
