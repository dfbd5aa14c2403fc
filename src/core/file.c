#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

int pj_file_create_new(const char *path, const char *code, pj_err *err)
{
    /* the file is made here, new and the caller's alone: an existing file, or a symbolic link
     * put in its place, is never written through */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && (errno == EEXIST || errno == ELOOP || errno == EISDIR)) {
        /* say what is there: a link (even a broken one) or a directory is not "a file" */
        struct stat st;
        int there = lstat(path, &st) == 0;
        if (there && S_ISLNK(st.st_mode))
            return pj_fail(err, 409, "exists", "file",
                           "%s is a symbolic link; not writing through it", path);
        if (there && S_ISDIR(st.st_mode))
            return pj_fail(err, 409, "exists", "file", "%s is a directory; give a file name", path);
        return pj_fail(err, 409, "exists", "file", "%s already exists; not overwriting", path);
    }
    if (fd < 0)
        return pj_fail(err, 500, code, "file", "cannot create %s: %s", path, strerror(errno));
    return fd;
}
