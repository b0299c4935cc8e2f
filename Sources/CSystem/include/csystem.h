// Linux calls that Swift's Glibc module hides behind _GNU_SOURCE.
#include <sys/types.h>

long dicomfs_copy_file_range(int fd_in, int fd_out, unsigned long length);
int dicomfs_syncfs(int fd);
