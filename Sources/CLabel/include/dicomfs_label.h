// Disc labels drawn with cairo and pango (text in any script), barcodes from libqrencode
// (QR) and libzint (Code 128, Code 39, EAN-13, Data Matrix, PDF417).
#ifndef DICOMFS_LABEL_H
#define DICOMFS_LABEL_H

/// Draws one 120 mm disc label and writes `base`.pdf, `base`.png (300 dpi) and `base`.svg.
/// `text`: UTF-8 lines for the upper half; `footer`: lines under the hub; `barcode` may be
/// NULL. Returns 0, or -1 with a message in `error` (256 bytes).
/* `logo`: a PNG drawn at the top of the upper band (NULL: none); `compact`: fewer, larger
   lines. */
int dicomfs_label_write(const char *base, const char *text, const char *footer,
                        const char *barcode, const char *symbology, const char *logo, int compact, char *error);
#endif
