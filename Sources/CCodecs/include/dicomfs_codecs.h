// Thin C wrappers over libjpeg-turbo, OpenJPEG and CharLS. libjpeg reports errors by
// longjmp, which Swift cannot catch, and OpenJPEG wants stream callbacks; here both become
// plain calls returning 0 on success or an error text in `error` (256 bytes).
#ifndef DICOMFS_CODECS_H
#define DICOMFS_CODECS_H
#include <stddef.h>
#include <stdint.h>

/// One decoded image: `width` x `height` pixels of `components` interleaved samples, 8 or
/// 16 bits each (`bits`), in `data` (free with dicomfs_free).
typedef struct {
    uint8_t *data;
    size_t size;
    int width, height, components, bits, is_signed;
} dicomfs_image;

/// JPEG (baseline and 8-bit extended) with libjpeg-turbo. `keep_color`: 1 = return the
/// samples as coded (no YCbCr to RGB conversion), 0 = let libjpeg convert to RGB.
int dicomfs_jpeg_decode(const uint8_t *bytes, size_t length, int keep_color, dicomfs_image *out, char *error);

/// 12-bit JPEG (Extended, process 4) with GDCM's 12-bit build of the IJG library; samples
/// returned as 16-bit little-endian values.
int dicomfs_jpeg12_decode(const uint8_t *bytes, size_t length, dicomfs_image *out, char *error);

/// Baseline JPEG of 8-bit grey (components 1) or RGB (3) pixels.
int dicomfs_jpeg_encode(const uint8_t *pixels, int width, int height, int components, int quality,
                        uint8_t **out, size_t *out_length, char *error);

/// JPEG 2000 codestream (J2K) or JP2 with OpenJPEG; samples up to 16 bits.
int dicomfs_j2k_decode(const uint8_t *bytes, size_t length, dicomfs_image *out, char *error);

/// JPEG-LS with CharLS; samples up to 16 bits.
int dicomfs_jpegls_decode(const uint8_t *bytes, size_t length, dicomfs_image *out, char *error);

/// Lossless encoders for transcoding. `samples`: width x height x components interleaved
/// samples, 1 byte each when bits <= 8, else 2 (little-endian), holding the stored bit
/// pattern (two's complement for signed data, `bits` wide). The codestream goes to `*out`
/// (free with dicomfs_free).

/// JPEG 2000 reversible (5/3 wavelet, no colour transform): a J2K codestream, as
/// 1.2.840.10008.1.2.4.90 wants.
int dicomfs_j2k_encode_lossless(const uint8_t *samples, int width, int height, int components, int bits, int is_signed,
                                uint8_t **out, size_t *out_length, char *error);

/// JPEG 2000 at a compression `ratio` (uncompressed size over coded size) with the 9/7
/// irreversible wavelet and, for three components, the irreversible colour transform
/// (YBR_ICT; 1.2.840.10008.1.2.4.91); ratio 0 is the lossless encoding above.
int dicomfs_j2k_encode(const uint8_t *samples, int width, int height, int components, int bits, int is_signed, double ratio,
                       uint8_t **out, size_t *out_length, char *error);

/// JPEG Baseline (process 1, 1.2.840.10008.1.2.4.50) with libjpeg-turbo: 8-bit samples;
/// colour as YCbCr with chroma subsampled horizontally (YBR_FULL_422).
int dicomfs_jpeg_baseline_encode(const uint8_t *pixels, int width, int height, int components, int quality,
                                 uint8_t **out, size_t *out_length, char *error);

/// JPEG Extended (process 4, 1.2.840.10008.1.2.4.51) with GDCM's 12-bit IJG build: samples
/// of up to 12 bits (2 bytes each, little-endian), grey or colour (YCbCr 4:2:2).
int dicomfs_jpeg_extended_encode_12(const uint8_t *samples, int width, int height, int components, int quality,
                                    uint8_t **out, size_t *out_length, char *error);

/// JPEG-LS lossless (NEAR 0) with CharLS, colour interleaved by sample.
int dicomfs_jpegls_encode_lossless(const uint8_t *samples, int width, int height, int components, int bits,
                                   uint8_t **out, size_t *out_length, char *error);

/// JPEG Lossless, Non-Hierarchical, First-Order Prediction (process 14, selection value 1:
/// 1.2.840.10008.1.2.4.70) with GDCM's builds of the IJG library: the 8-bit build for up to
/// 8 bits, the 12-bit one up to 12, the 16-bit one up to 16 (`bits` is the precision coded).
int dicomfs_jpeg_lossless_encode_8(const uint8_t *samples, int width, int height, int components, int bits,
                                   uint8_t **out, size_t *out_length, char *error);
int dicomfs_jpeg_lossless_encode_12(const uint8_t *samples, int width, int height, int components, int bits,
                                    uint8_t **out, size_t *out_length, char *error);
int dicomfs_jpeg_lossless_encode_16(const uint8_t *samples, int width, int height, int components, int bits,
                                    uint8_t **out, size_t *out_length, char *error);

void dicomfs_free(void *pointer);
#endif
