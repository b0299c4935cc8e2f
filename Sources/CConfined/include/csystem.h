// Linux calls that Swift's Glibc module hides behind _GNU_SOURCE, and the confined opens
// every reader of a received file-set goes through.
#include <sys/types.h>
#include <sys/stat.h>

long dicomfs_copy_file_range(int fd_in, int fd_out, unsigned long length);
int dicomfs_syncfs(int fd);

/// CRC-32C (Castagnoli) of `n` bytes, continuing `crc` (0 to start): the SSE 4.2 instruction
/// where the processor has it, else a table. Checks the spool journal's records.
unsigned int dicomfs_crc32c(unsigned int crc, const unsigned char *p, unsigned long n);

/// Opens `path` (relative, "/"-separated) beneath the folder `dirfd`, never through a
/// symbolic link and never out of that folder: openat2 with RESOLVE_BENEATH and
/// RESOLVE_NO_SYMLINKS where the kernel has it, else one O_NOFOLLOW openat per component.
/// Empty, "." and ".." components fail with EXDEV before anything is opened. O_NOFOLLOW and
/// O_CLOEXEC are added to `flags`. Returns the descriptor, or -1 with errno set.
int dicomfs_open_beneath(int dirfd, const char *path, int flags);

/// lstat of `path` beneath `dirfd` (the last component is not followed; no component before
/// it may be a link). 0 or -1 with errno.
int dicomfs_lstat_beneath(int dirfd, const char *path, struct stat *out);

/// unlink (or, with `folder` set, rmdir) of `path` beneath `dirfd`; the same confinement.
int dicomfs_unlink_beneath(int dirfd, const char *path, int folder);
