/* Replays a fuzz target's corpus without libFuzzer: every file named, or every file of every
 * directory named, is given to LLVMFuzzerTestOneInput once, in name order. `make fuzz-replay`
 * links it with each target and the library of the sanitizer build (build/san), which the tests
 * have just built: the inputs run under ASan+UBSan as under libFuzzer's -runs=0, and a leak is
 * reported when the program ends, without a third build of the library for the fuzzer's
 * coverage. `make fuzz` still builds the targets with libFuzzer to find new inputs. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path, off_t size)
{
    /* the input in a block of its own size, as libFuzzer gives it: a read past its end is
     * caught */
    size_t n = (size_t)size;
    uint8_t *data = malloc(n ? n : 1);
    FILE *f = fopen(path, "rb");
    int bad = !data || !f || fread(data, 1, n, f) != n;
    if (f) fclose(f);
    if (bad) {
        fprintf(stderr, "%s: could not read it\n", path);
        free(data);
        return -1;
    }
    LLVMFuzzerTestOneInput(data, n);
    free(data);
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
    long inputs = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st)) {
            perror(argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[i], st.st_size)) return 1;
            inputs++;
            continue;
        }
        struct dirent **names;
        int n = scandir(argv[i], &names, NULL, by_name);
        if (n < 0) {
            perror(argv[i]);
            return 1;
        }
        int failed = 0;
        for (int k = 0; k < n; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
            if (!failed && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                if (run_file(path, st.st_size))
                    failed = 1;
                else
                    inputs++;
            }
            free(names[k]);
        }
        free(names);
        if (failed) return 1;
    }
    printf("%ld inputs replayed\n", inputs);
    return 0;
}
