/* Files the tool makes for its user: backups, exports, results. */
#ifndef PJ_FILE_H
#define PJ_FILE_H

#include "core/err.h"

/* Creates path as a new file, open for writing and its owner's alone (0600): never over an
 * existing file, never through a symbolic link (even a broken one), never a directory; each
 * refusal named as such (409 exists, field "file"), any other failure with its reason (500
 * code, field "file"). Returns the descriptor, or -1 with err set. */
int pj_file_create_new(const char *path, const char *code, pj_err *err);

#endif
