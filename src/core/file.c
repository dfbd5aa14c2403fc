#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/banned.h"

/* The refusal of path, there already as st says: a link (even a broken one) or a directory is
 * not "a file" */
static int there(const char *path, const struct stat *st, pj_err *err)
{
    if (st && S_ISLNK(st->st_mode))
        return pj_fail(err, 409, "exists", "file", "%s is a symbolic link; not writing through it",
                       path);
    if (st && S_ISDIR(st->st_mode))
        return pj_fail(err, 409, "exists", "file", "%s is a directory; give a file name", path);
    return pj_fail(err, 409, "exists", "file", "%s already exists; not overwriting", path);
}

int pj_file_create_new(const char *path, const char *code, pj_err *err)
{
    /* the file is made here, new and the caller's alone: an existing file, or a symbolic link
     * put in its place, is never written through */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && (errno == EEXIST || errno == ELOOP || errno == EISDIR)) {
        struct stat st;
        return there(path, lstat(path, &st) == 0 ? &st : NULL, err);
    }
    if (fd < 0)
        return pj_fail(err, 500, code, "file", "cannot create %s: %s", path, strerror(errno));
    return fd;
}

#define PARTIAL ".partial-XXXXXX"

int pj_file_whole_begin(pj_file_whole *f, const char *path, int replace, const char *code,
                        pj_err *err)
{
    f->path = path;
    f->tmp = NULL;
    struct stat st;
    if (!replace && lstat(path, &st) == 0) return there(path, &st, err);
    /* named after the file where the name then fits (a name of up to NAME_MAX bytes is the
     * user's to give: one of 250 could not be written, its partial name too long), else
     * ".partial-XXXXXX" alone in the file's directory */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base) + sizeof PARTIAL - 1 > NAME_MAX ? (size_t)(base - path) : strlen(path);
    f->tmp = malloc(n + sizeof PARTIAL);
    if (!f->tmp) return pj_fail(err, 500, code, "file", "cannot create %s: out of memory", path);
    memcpy(f->tmp, path, n);
    memcpy(f->tmp + n, PARTIAL, sizeof PARTIAL);
    /* a name of its own, new (O_EXCL: never through a link put there) and 0600 */
    int fd = mkostemp(f->tmp, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        free(f->tmp);
        f->tmp = NULL;
        return pj_fail(err, 500, code, "file", "cannot create %s: %s", path, strerror(e));
    }
    return fd;
}

/* The directory holding path synced, so that a name given survives a crash (best effort: some
 * file systems cannot sync a directory) */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir) return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int pj_file_whole_end(pj_file_whole *f, int fd, int replace, const char *code, pj_err *err)
{
    if (fd < 0) fd = open(f->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int e = fd < 0 || fsync(fd) ? errno : 0;
    if (fd >= 0 && close(fd) && !e) e = errno;
    if (!e && replace && rename(f->tmp, f->path)) e = errno;
    if (!e && !replace && renameat2(AT_FDCWD, f->tmp, AT_FDCWD, f->path, RENAME_NOREPLACE)) {
        e = errno;
        /* a file system without it: a second name, which never replaces one either; one
         * without hard links too (a shared folder, some FUSE mounts): renamed when nothing is
         * there now (a file made between the look and the rename would be replaced) */
        if (e == EINVAL || e == ENOSYS) e = link(f->tmp, f->path) ? errno : (unlink(f->tmp), 0);
        if (e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == ENOSYS) {
            struct stat st;
            e = lstat(f->path, &st) == 0 ? EEXIST : rename(f->tmp, f->path) ? errno : 0;
        }
    }
    if (e) {
        pj_file_whole_drop(f);
        if (e == EEXIST) return there(f->path, NULL, err); /* made meanwhile */
        return pj_fail(err, 500, code, "file", "cannot write %s: %s", f->path, strerror(e));
    }
    sync_dir(f->path);
    free(f->tmp);
    f->tmp = NULL;
    return 0;
}

void pj_file_whole_drop(pj_file_whole *f)
{
    if (!f->tmp) return;
    unlink(f->tmp);
    free(f->tmp);
    f->tmp = NULL;
}

int pj_file_read(const char *path, size_t max, pj_buf *text, const char *field, pj_err *err)
{
    pj_buf_init(text, max);
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) || S_ISDIR(st.st_mode)) {
        int e = errno;
        if (f) fclose(f);
        return pj_fail(err, 400, "bad_file", field, "cannot read %s: %s", path,
                       f             ? "it is a directory"
                       : e == ENOENT ? "no such file"
                                     : strerror(e));
    }
    char chunk[65536];
    size_t n;
    /* stopped once past the limit: /dev/zero or a producer that never ends was read forever */
    while (!text->overflow && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        pj_buf_add(text, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) return pj_fail(err, 400, "bad_file", field, "cannot read %s", path);
    if (text->overflow)
        return pj_fail(err, 400, "too_long", field, "%s is larger than %zu MiB", path, max >> 20);
    return 0;
}

/* dir's resolved path and whether path's lies in it */
static int resolved_inside(const char *real, const char *dir_real)
{
    size_t n = strlen(dir_real);
    if (n == 1) return 1; /* "/" */
    return !strncmp(real, dir_real, n) && (real[n] == '/' || real[n] == 0);
}

int pj_path_inside(const char *path, const char *dir)
{
    char d[PATH_MAX], p[PATH_MAX], r[PATH_MAX];
    if (!realpath(dir, d)) return 0;
    /* the nearest existing ancestor of path (".": a relative name's own directory) */
    snprintf(p, sizeof p, "%s", path);
    for (;;) {
        if (realpath(*p ? p : ".", r)) return resolved_inside(r, d);
        if (!*p) return 0;
        char *slash = strrchr(p, '/');
        if (!slash) {
            *p = 0;
            continue;
        }
        if (slash == p) return resolved_inside("/", d);
        *slash = 0;
    }
}

int pj_open_beneath(int dirfd, const char *dir, const char *rel)
{
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
    if (fd >= 0 || errno != ENOSYS) return (int)fd;
    /* an older kernel: the file's resolved path must lie in dir's, checked before it is opened
     * (opening a file this process has locks on, its database, would drop them) */
    char path[PATH_MAX], real[PATH_MAX], d[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, rel) >= (int)sizeof path || !realpath(dir, d) ||
        !realpath(path, real))
        return errno = ENOENT, -1;
    if (!resolved_inside(real, d)) return errno = EXDEV, -1;
    return open(real, O_RDONLY | O_CLOEXEC);
}
