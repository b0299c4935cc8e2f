#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "csystem.h"

long dicomfs_copy_file_range(int fd_in, int fd_out, unsigned long length) {
    return (long)copy_file_range(fd_in, NULL, fd_out, NULL, length, 0);
}

int dicomfs_syncfs(int fd) { return syncfs(fd); }

// Whether every component of a relative path is a plain name.
static int plain_components(const char *path) {
    if (path[0] == 0 || path[0] == '/') return 0;
    const char *p = path;
    while (1) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) return 0;
        if (!end) return 1;
        p = end + 1;
    }
}

static int openat2_state = 0;   // 0 unknown, 1 works, -1 not in this kernel

static int walk_open(int dirfd, const char *path, int flags) {
    char *copy = strdup(path);
    if (!copy) { errno = ENOMEM; return -1; }
    int fd = dirfd, owned = 0;
    char *component = copy;
    while (1) {
        char *slash = strchr(component, '/');
        if (!slash) break;
        *slash = 0;
        int next = openat(fd, component, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int saved = errno;
        if (owned) close(fd);
        if (next < 0) { free(copy); errno = saved == ENOTDIR ? ELOOP : saved; return -1; }
        fd = next; owned = 1;
        component = slash + 1;
    }
    int result = openat(fd, component, flags);
    int saved = errno;
    if (owned) close(fd);
    free(copy);
    errno = saved;
    return result;
}

int dicomfs_open_beneath(int dirfd, const char *path, int flags) {
    if (!plain_components(path)) { errno = EXDEV; return -1; }
    flags |= O_NOFOLLOW | O_CLOEXEC;
    if (openat2_state >= 0) {
        struct open_how how;
        memset(&how, 0, sizeof how);
        how.flags = (unsigned long long)flags;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
        long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        if (fd >= 0 || errno != ENOSYS) { openat2_state = 1; return (int)fd; }
        openat2_state = -1;
    }
    return walk_open(dirfd, path, flags);
}

// The folder holding the last component, opened beneath dirfd; *name points into `copy`.
static int open_parent(int dirfd, char *copy, char **name) {
    char *slash = strrchr(copy, '/');
    if (!slash) { *name = copy; return dup(dirfd); }
    *slash = 0;
    *name = slash + 1;
    return dicomfs_open_beneath(dirfd, copy, O_PATH | O_DIRECTORY);
}

int dicomfs_lstat_beneath(int dirfd, const char *path, struct stat *out) {
    if (!plain_components(path)) { errno = EXDEV; return -1; }
    char *copy = strdup(path), *name;
    if (!copy) { errno = ENOMEM; return -1; }
    int parent = open_parent(dirfd, copy, &name);
    if (parent < 0) { int e = errno; free(copy); errno = e; return -1; }
    int r = fstatat(parent, name, out, AT_SYMLINK_NOFOLLOW);
    int e = errno;
    close(parent); free(copy);
    errno = e;
    return r;
}

int dicomfs_unlink_beneath(int dirfd, const char *path, int folder) {
    if (!plain_components(path)) { errno = EXDEV; return -1; }
    char *copy = strdup(path), *name;
    if (!copy) { errno = ENOMEM; return -1; }
    int parent = open_parent(dirfd, copy, &name);
    if (parent < 0) { int e = errno; free(copy); errno = e; return -1; }
    int r = unlinkat(parent, name, folder ? AT_REMOVEDIR : 0);
    int e = errno;
    close(parent); free(copy);
    errno = e;
    return r;
}

static unsigned int crc32c_table[256];
static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;

static void crc32c_init(void) {
    for (unsigned int i = 0; i < 256; i++) {
        unsigned int x = i;
        for (int k = 0; k < 8; k++) x = (x & 1) ? (x >> 1) ^ 0x82F63B78u : x >> 1;
        crc32c_table[i] = x;
    }
}

static unsigned int crc32c_soft(unsigned int c, const unsigned char *p, unsigned long n) {
    pthread_once(&crc32c_once, crc32c_init);
    while (n--) c = crc32c_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return c;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static unsigned int crc32c_hard(unsigned int c, const unsigned char *p, unsigned long n) {
    unsigned long long c64 = c;
    while (n >= 8) {
        unsigned long long v;
        __builtin_memcpy(&v, p, 8);
        c64 = __builtin_ia32_crc32di(c64, v);
        p += 8;
        n -= 8;
    }
    c = (unsigned int)c64;
    while (n--) c = __builtin_ia32_crc32qi(c, *p++);
    return c;
}
#endif

unsigned int dicomfs_crc32c(unsigned int crc, const unsigned char *p, unsigned long n) {
    unsigned int c = ~crc;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("sse4.2")) return ~crc32c_hard(c, p, n);
#endif
    return ~crc32c_soft(c, p, n);
}
