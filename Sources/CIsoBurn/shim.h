// libisoburn.h needs the libburn and libisofs types declared first, and libisofs.h needs
// <stdint.h>. off_t must be 64-bit: it is on every 64-bit Linux (no _FILE_OFFSET_BITS here,
// which would clash with Glibc's own module).
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <libburn/libburn.h>
#include <libisofs/libisofs.h>
#include <libisoburn/libisoburn.h>
