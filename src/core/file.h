/* Files the tool makes for its user (backups, exports, results) and the files it is given. */
#ifndef PJ_FILE_H
#define PJ_FILE_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

/* Creates path as a new file, open for writing and its owner's alone (0600): never over an
 * existing file, never through a symbolic link (even a broken one), never a directory; each
 * refusal named as such (409 exists, field "file"), any other failure with its reason (500
 * code, field "file"). Returns the descriptor, or -1 with err set. */
int pj_file_create_new(const char *path, const char *code, pj_err *err);

/* A new file made whole or not at all: written under a name of its own beside path
 * (PATH.partial-XXXXXX, its owner's alone) and given path once complete and synced to disk. A
 * process killed midway, or a write that fails, leaves nothing under path. */
typedef struct {
    const char *path; /* the name asked for (the caller's, kept alive until the end) */
    char *tmp;        /* the partial file's name while it is written, else NULL */
} pj_file_whole;

/* Refuses path as pj_file_create_new does when something is there (unless replace), then
 * creates the partial file f->tmp: its descriptor, open for writing, or -1 with err set. */
int pj_file_whole_begin(pj_file_whole *f, const char *path, int replace, const char *code,
                        pj_err *err);
/* Gives the partial file its name: synced (through fd when >= 0, which is closed), renamed to
 * path (never over a file made meanwhile, unless replace), the directory synced. 0, or -1 with
 * err set and the partial file removed. */
int pj_file_whole_end(pj_file_whole *f, int fd, int replace, const char *code, pj_err *err);
/* Removes the partial file (a write that failed); the caller closes its descriptor. */
void pj_file_whole_drop(pj_file_whole *f);

/* Reads the file at path whole into text (initialised here with room for max bytes; free it
 * whatever the answer): 0, or -1 with err set (400 on field) saying why — "bad_file": "cannot
 * read PATH: no such file", "…: it is a directory", a system error; "too_long": "PATH is larger
 * than N MiB" (read no further than max: /dev/zero is not read forever). A device or a pipe
 * (/dev/stdin) is read as a file. */
int pj_file_read(const char *path, size_t max, pj_buf *text, const char *field, pj_err *err);

/* Whether path — a file that may not exist yet, then its nearest existing directory — lies in
 * directory dir or below it, symbolic links resolved: 1 yes, 0 no or when dir cannot be
 * resolved. */
int pj_path_inside(const char *path, const char *dir);

/* Opens rel (read-only) in the directory open as dirfd, never outside it: a symbolic link or
 * ".." that leads out is refused as if the file were not there (-1, errno ENOENT or EXDEV); dir
 * is dirfd's path, for kernels without openat2. */
int pj_open_beneath(int dirfd, const char *dir, const char *rel);

#endif
