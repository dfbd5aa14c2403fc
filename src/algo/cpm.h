/* Critical path of a precedence graph (a conversion manual): earliest/latest times, slack,
 * the critical chain, and cycle detection. Pure: plain arrays in, plain arrays out. */
#ifndef PJ_CPM_H
#define PJ_CPM_H

typedef struct pj_cpm_result {
    int n;
    double *es, *ef, *ls, *lf; /* earliest/latest start and finish of each activity */
    int *critical;             /* 1 when the activity has zero slack */
    int *path;                 /* one critical chain, first to last activity */
    int path_len;
    double length; /* project duration */
    int cycle_len; /* > 0 when the graph has a cycle: its activities in order */
    int *cycle;
} pj_cpm_result;

/* n activities with durations dur[i] ≥ 0; pred lists: npred[i] predecessors pred[i][k] in
 * [0,n). Returns 0 and fills r (owned by r: pj_cpm_free), or -1 when the graph has a cycle
 * (r->cycle holds one) or an index is out of range (cycle_len = 0). */
int pj_cpm_solve(int n, const double *dur, const int *npred, const int *const *pred,
                 pj_cpm_result *r);
void pj_cpm_free(pj_cpm_result *r);

#endif
