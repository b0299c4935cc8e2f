// JPEG Lossless, process 14, selection value 1 (1.2.840.10008.1.2.4.70), through GDCM's
// 12-bit build of the IJG library (libgdcmjpeg12): the code GDCM itself encodes this
// syntax with. libjpeg-turbo has no lossless mode. One file per build: their jpeglib.h clash.
#include "dicomfs_codecs.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gdcm-3.0/gdcmjpeg/12/jpeglib.h>
#define LL_NAME(x) x##_12
#define LL_BITS_TEXT "12"
#define LL_LOSSY 1
#include "jpegll_body.inc"
