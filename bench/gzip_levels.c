/* gzip_levels FILE…: the gzip of each file at zlib levels 1, 2, 3, 4, 6 and 9 — its bytes and
 * the time of one compression (the fastest of 30 rounds, the levels taking turns within each
 * round, so that a busy machine slows them alike). How the server's GZIP_LEVEL was chosen
 * (src/http/server.c): save an answer (curl -o) and give it here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int bench_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "gzip_levels: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 1 << 16, n = 0;
    char *in = malloc(cap);
    for (size_t k; in && (k = fread(in + n, 1, cap - n, f)) > 0;) {
        n += k;
        if (n == cap) in = realloc(in, cap *= 2);
    }
    fclose(f);
    if (!in || !n) {
        fprintf(stderr, "gzip_levels: %s is empty\n", path);
        free(in);
        return 1;
    }
    enum { L = 6, ROUNDS = 30 };
    static const int levels[L] = {1, 2, 3, 4, 6, 9};
    z_stream z[L];
    char *out[L];
    uLong bound[L];
    size_t len[L];
    double best[L];
    for (int i = 0; i < L; i++) {
        memset(&z[i], 0, sizeof z[i]);
        if (deflateInit2(&z[i], levels[i], Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return 1;
        bound[i] = deflateBound(&z[i], (uLong)n);
        out[i] = malloc(bound[i]);
        best[i] = 1e9;
        len[i] = 0;
    }
    int reps = n > 100000 ? 5 : 100;
    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < L; i++) {
            double t0 = now_s();
            for (int k = 0; k < reps; k++) {
                deflateReset(&z[i]);
                z[i].next_in = (Bytef *)in;
                z[i].avail_in = (uInt)n;
                z[i].next_out = (Bytef *)out[i];
                z[i].avail_out = (uInt)bound[i];
                if (deflate(&z[i], Z_FINISH) != Z_STREAM_END) return 1;
                len[i] = z[i].total_out;
            }
            double t = (now_s() - t0) / reps;
            if (t < best[i]) best[i] = t;
        }
    for (int i = 0; i < L; i++) {
        printf("%s (%zu B) level %d: %zu B (%.1f %%), %.0f us\n", path, n, levels[i], len[i],
               100.0 * (double)len[i] / (double)n, best[i] * 1e6);
        deflateEnd(&z[i]);
        free(out[i]);
    }
    free(in);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gzip_levels FILE...\n");
        return 2;
    }
    int rc = 0;
    for (int i = 1; i < argc; i++) rc |= bench_file(argv[i]);
    return rc;
}
