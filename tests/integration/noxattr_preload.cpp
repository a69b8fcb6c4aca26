// LD_PRELOAD shim for tst_wal_interrupted: a file system without user extended attributes (every file system on the
// test machines has them, so their absence is the one fault that cannot be caused for real). Every *setxattr and
// *getxattr fails with ENOTSUP as on such a file system; everything else is the real libc.
#include <cerrno>
#include <sys/types.h>

extern "C" {

int setxattr(const char *, const char *, const void *, size_t, int) {
    errno = ENOTSUP;
    return -1;
}
int lsetxattr(const char *, const char *, const void *, size_t, int) {
    errno = ENOTSUP;
    return -1;
}
int fsetxattr(int, const char *, const void *, size_t, int) {
    errno = ENOTSUP;
    return -1;
}
ssize_t getxattr(const char *, const char *, void *, size_t) {
    errno = ENOTSUP;
    return -1;
}
ssize_t lgetxattr(const char *, const char *, void *, size_t) {
    errno = ENOTSUP;
    return -1;
}
ssize_t fgetxattr(int, const char *, void *, size_t) {
    errno = ENOTSUP;
    return -1;
}
}
