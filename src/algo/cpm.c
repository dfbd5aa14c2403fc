#include "algo/cpm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void pj_cpm_free(pj_cpm_result *r)
{
    free(r->es);
    free(r->ef);
    free(r->ls);
    free(r->lf);
    free(r->critical);
    free(r->path);
    free(r->cycle);
    memset(r, 0, sizeof *r);
}

/* Depth-first search for a cycle; fills r->cycle with one when found. */
static int find_cycle(int n, const int *npred, const int *const *pred, pj_cpm_result *r)
{
    int *colour = calloc((size_t)n, sizeof(int)), *parent = malloc(sizeof(int) * (size_t)n);
    int *stack = malloc(sizeof(int) * (size_t)n), *iter = calloc((size_t)n, sizeof(int));
    int found = 0;
    for (int s = 0; s < n && !found; s++) {
        if (colour[s]) continue;
        int top = 0;
        stack[top++] = s;
        colour[s] = 1;
        parent[s] = -1;
        while (top && !found) {
            int v = stack[top - 1];
            if (iter[v] < npred[v]) {
                int u = pred[v][iter[v]++]; /* walk predecessor edges */
                if (colour[u] == 0) {
                    colour[u] = 1;
                    parent[u] = v;
                    stack[top++] = u;
                } else if (colour[u] == 1) {
                    /* u is on the stack: v → … → u is a cycle via predecessor links */
                    int len = 0;
                    for (int w = v; w != u; w = parent[w]) len++;
                    len++;
                    r->cycle = malloc(sizeof(int) * (size_t)len);
                    r->cycle_len = len;
                    int k = 0;
                    r->cycle[k++] = u;
                    /* list in precedence order: u precedes v precedes … */
                    int *tmp = malloc(sizeof(int) * (size_t)len);
                    int t = 0;
                    for (int w = v; w != u; w = parent[w]) tmp[t++] = w;
                    for (int q = 0; q < t; q++) r->cycle[k++] = tmp[q];
                    free(tmp);
                    found = 1;
                }
            } else {
                colour[v] = 2;
                top--;
            }
        }
    }
    free(colour);
    free(parent);
    free(stack);
    free(iter);
    return found;
}

int pj_cpm_solve(int n, const double *dur, const int *npred, const int *const *pred,
                 pj_cpm_result *r)
{
    memset(r, 0, sizeof *r);
    r->n = n;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < npred[i]; k++)
            if (pred[i][k] < 0 || pred[i][k] >= n) return -1;
    /* topological order (Kahn) over successor counts */
    int *indeg = calloc((size_t)n + 1, sizeof(int)), *order = malloc(sizeof(int) * ((size_t)n + 1));
    int *nsucc = calloc((size_t)n + 1, sizeof(int));
    for (int i = 0; i < n; i++) {
        indeg[i] = npred[i];
        for (int k = 0; k < npred[i]; k++) nsucc[pred[i][k]]++;
    }
    int **succ = malloc(sizeof(int *) * ((size_t)n + 1)),
        *fill = calloc((size_t)n + 1, sizeof(int));
    for (int i = 0; i < n; i++) succ[i] = malloc(sizeof(int) * ((size_t)nsucc[i] + 1));
    for (int i = 0; i < n; i++)
        for (int k = 0; k < npred[i]; k++) {
            int p = pred[i][k];
            succ[p][fill[p]++] = i;
        }
    int head = 0, tail = 0;
    for (int i = 0; i < n; i++)
        if (!indeg[i]) order[tail++] = i;
    while (head < tail) {
        int v = order[head++];
        for (int k = 0; k < nsucc[v]; k++)
            if (--indeg[succ[v][k]] == 0) order[tail++] = succ[v][k];
    }
    int rc = 0;
    if (tail < n) {
        find_cycle(n, npred, pred, r);
        rc = -1;
        goto out;
    }
    size_t sz = sizeof(double) * ((size_t)n + 1);
    r->es = calloc(1, sz), r->ef = calloc(1, sz), r->ls = calloc(1, sz), r->lf = calloc(1, sz);
    r->critical = calloc((size_t)n + 1, sizeof(int));
    r->path = malloc(sizeof(int) * ((size_t)n + 1));
    for (int q = 0; q < n; q++) {
        int v = order[q];
        double es = 0;
        for (int k = 0; k < npred[v]; k++)
            if (r->ef[pred[v][k]] > es) es = r->ef[pred[v][k]];
        r->es[v] = es;
        r->ef[v] = es + dur[v];
        if (r->ef[v] > r->length) r->length = r->ef[v];
    }
    for (int q = n - 1; q >= 0; q--) {
        int v = order[q];
        double lf = r->length;
        for (int k = 0; k < nsucc[v]; k++)
            if (r->ls[succ[v][k]] < lf) lf = r->ls[succ[v][k]];
        r->lf[v] = lf;
        r->ls[v] = lf - dur[v];
        r->critical[v] = fabs(r->ls[v] - r->es[v]) < 1e-9;
    }
    /* one critical chain: from a critical activity starting at 0, follow critical successors
     * whose start equals this finish */
    int cur = -1;
    for (int q = 0; q < n && cur < 0; q++)
        if (r->critical[order[q]] && r->es[order[q]] < 1e-9) cur = order[q];
    while (cur >= 0) {
        r->path[r->path_len++] = cur;
        int next = -1;
        for (int k = 0; k < nsucc[cur] && next < 0; k++) {
            int s = succ[cur][k];
            if (r->critical[s] && fabs(r->es[s] - r->ef[cur]) < 1e-9) next = s;
        }
        cur = next;
    }
out:
    for (int i = 0; i < n; i++) free(succ[i]);
    free(succ);
    free(fill);
    free(indeg);
    free(order);
    free(nsucc);
    return rc;
}
