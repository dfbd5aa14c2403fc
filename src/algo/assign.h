/* Linear assignment (src/algo, pure: structs in, structs out).
 *
 * pj_assign: dense n x m cost matrix, n <= m; every row gets exactly one column, every column
 * at most one row; minimise the total cost. Forbidden pairs are INFINITY (any non-finite
 * value, or NaN, counts as forbidden). Solved by Jonker-Volgenant (column reduction, reduction
 * transfer and augmenting row reduction when the matrix is square and has no forbidden pair,
 * then shortest augmenting paths with column potentials): O(n^2 m) worst case.
 * The solution carries the LP dual (u, v): u[i] + v[j] <= c[i][j] for every allowed pair,
 * v[j] <= 0, and sum(u) + sum(v) is the lower bound (equal to the cost: proven optimal).
 *
 * pj_assign_cap: sparse pairing with capacities (helper i serves up to cap[i] elders, each
 * elder gets at most one helper): as many elders as possible, then minimum total cost.
 * Integer costs; solved as a min-cost flow (algo/mcf.h).
 *
 * pj_assign_read_orlib: reader for OR-Library "assign" files. */
#ifndef PJ_ASSIGN_H
#define PJ_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "algo/algo.h"

enum {
    PJ_ASSIGN_OK = 0,         /* complete assignment, optimal */
    PJ_ASSIGN_INFEASIBLE = 1, /* no complete assignment avoids the forbidden pairs */
    PJ_ASSIGN_TIME_LIMIT = 2, /* stopped on opts->time_limit_s: rows left unassigned (-1) */
    PJ_ASSIGN_EINVAL = -1,    /* bad input (n > m, negative size, NULL cost) */
    PJ_ASSIGN_ENOMEM = -2,
};

/* A dense problem. Not owned by the solver; the caller keeps it alive during the call. */
typedef struct pj_assign {
    int n, m;           /* rows, columns; 0 <= n <= m */
    const double *cost; /* n*m, row-major: cost[i*m + j]; non-finite = forbidden */
} pj_assign;

/* A solution. Every array is malloc'd and owned by the solution: free with pj_assign_sol_free.
 */
typedef struct pj_assign_sol {
    int n, m;
    int status;          /* PJ_ASSIGN_* */
    int *row_to_col;     /* n entries: column of row i, -1 if unassigned (only when status != OK) */
    int *col_to_row;     /* m entries: row of column j, -1 if the column is unused */
    double *u;           /* n entries: row duals */
    double *v;           /* m entries: column duals, all <= 0 */
    double cost;         /* total cost of the assigned pairs */
    pj_algo_stats stats; /* objective = cost; lower_bound = sum(u) + sum(v) */
} pj_assign_sol;

/* Solves p into *sol (zeroed first; on PJ_ASSIGN_EINVAL/ENOMEM nothing is left allocated).
 * opts may be NULL. Returns sol->status. The caller owns *sol's arrays afterwards. */
int pj_assign_solve(const pj_assign *p, const pj_algo_opts *opts, pj_assign_sol *sol);
/* Frees the arrays of sol (not sol itself); safe on a zeroed or already freed solution. */
void pj_assign_sol_free(pj_assign_sol *sol);

/* Reads an OR-Library assign file: "n" then n*n costs c(i,j) in row order, whitespace
 * separated over any number of lines. On success returns 0, sets *n and *cost (n*n, row-major,
 * malloc'd: the caller frees it with free()). On failure returns -1, leaves *cost NULL and
 * writes a message into err (errlen bytes, may be 0). */
int pj_assign_read_orlib(const char *path, int *n, double **cost, char *err, size_t errlen);

/* ---- Capacitated sparse pairing ---- */

/* One allowed pair: row (helper) r may serve column (elder) c at integer cost
 * (|cost| <= PJ_MCF_COST_MAX, e.g. metres). */
typedef struct pj_assign_edge {
    int row, col;
    int64_t cost;
} pj_assign_edge;

/* Not owned by the solver. */
typedef struct pj_assign_cap {
    int n_rows, n_cols;
    const int *row_cap; /* n_rows entries, >= 0: columns row i may take; NULL = 1 each */
    int n_edges;
    const pj_assign_edge *edges; /* duplicates allowed (the cheapest is used) */
} pj_assign_cap;

/* Solution; arrays malloc'd and owned by it: free with pj_assign_cap_sol_free. */
typedef struct pj_assign_cap_sol {
    int status;          /* PJ_ASSIGN_OK (also when some columns stay unassigned), EINVAL, ENOMEM,
                            TIME_LIMIT */
    int *col_to_row;     /* n_cols entries: row serving column j, -1 if none */
    int *row_load;       /* n_rows entries: columns taken by row i */
    int n_assigned;      /* columns with a row: the maximum possible */
    int64_t cost;        /* total cost of the chosen pairs: minimal among maximum pairings */
    pj_algo_stats stats; /* objective = cost; lower_bound = cost when proven optimal */
} pj_assign_cap_sol;

/* Pairs as many columns as possible, then at minimum cost. Returns sol->status; the caller
 * owns *sol's arrays afterwards (none on EINVAL/ENOMEM). opts may be NULL. */
int pj_assign_cap_solve(const pj_assign_cap *p, const pj_algo_opts *opts, pj_assign_cap_sol *sol);
/* Frees the arrays of sol (not sol itself); safe on a zeroed or already freed solution. */
void pj_assign_cap_sol_free(pj_assign_cap_sol *sol);

#endif
