/* For bench/serve.py --peer-sync only: preloaded into DCMTK's storescp, which writes each
 * received file through stdio and never syncs, so that every file it closes after
 * writing has its data synced first (fdatasync). That is less than dicomfs promises (the
 * file's folder entry is not synced, so a crash can still lose a file storescp answered
 * for); it is the cheapest way to give the peer a durable write to compare with. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file opened for writing, and a regular one: its data is synced. */
static void sync_if_written(int fd) {
    struct stat st;
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0 && (flags & O_ACCMODE) != O_RDONLY && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) fdatasync(fd);
}

/* storescp writes through stdio (DCMTK's OFFile): fclose closes inside glibc, past close(). */
int fclose(FILE *f) {
    static int (*real_fclose)(FILE *);
    if (!real_fclose) real_fclose = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
    if (f) {
        fflush(f);
        sync_if_written(fileno(f));
    }
    return real_fclose(f);
}

int close(int fd) {
    static int (*real_close)(int);
    if (!real_close) real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
    sync_if_written(fd);
    return real_close(fd);
}
