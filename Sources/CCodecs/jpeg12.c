// 12-bit JPEG (Extended, process 4) through the IJG library that GDCM ships built for
// 12-bit samples (libgdcmjpeg12, symbols prefixed gdcmjpeg12_): Debian's libjpeg-turbo 2.1
// is built for 8-bit samples only. Kept in its own file: its jpeglib.h clashes with
// libjpeg-turbo's.
#include "dicomfs_codecs.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gdcm-3.0/gdcmjpeg/12/jpeglib.h>

struct failure12 { struct jpeg_error_mgr base; jmp_buf jump; char *error; };

static void fail12(j_common_ptr info) {
    struct failure12 *f = (struct failure12 *)info->err;
    char text[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, text);
    snprintf(f->error, 256, "IJG 12-bit: %s", text);
    longjmp(f->jump, 1);
}

static void quiet12(j_common_ptr info, int level) { (void)info; (void)level; }

// A memory source: IJG 6b has no jpeg_mem_src.
static void init_source(j_decompress_ptr info) { (void)info; }
static boolean fill_input(j_decompress_ptr info) {
    static const JOCTET eoi[2] = { 0xFF, JPEG_EOI };
    info->src->next_input_byte = eoi;   // the data ran out: end the image
    info->src->bytes_in_buffer = 2;
    return TRUE;
}
static void skip_input(j_decompress_ptr info, long count) {
    if (count <= 0) return;
    if ((size_t)count > info->src->bytes_in_buffer) count = (long)info->src->bytes_in_buffer;
    info->src->next_input_byte += count;
    info->src->bytes_in_buffer -= (size_t)count;
}
static void term_source(j_decompress_ptr info) { (void)info; }

int dicomfs_jpeg12_decode(const uint8_t *bytes, size_t length, dicomfs_image *out, char *error) {
    struct jpeg_decompress_struct info;
    struct failure12 failure;
    struct jpeg_source_mgr source;
    uint8_t *volatile data = NULL;
    memset(out, 0, sizeof *out);
    info.err = jpeg_std_error(&failure.base);
    failure.base.error_exit = fail12;
    failure.base.emit_message = quiet12;
    failure.error = error;
    if (setjmp(failure.jump)) {
        jpeg_destroy_decompress(&info);
        free(data);
        return -1;
    }
    jpeg_create_decompress(&info);
    source.init_source = init_source;
    source.fill_input_buffer = fill_input;
    source.skip_input_data = skip_input;
    source.resync_to_restart = jpeg_resync_to_restart;
    source.term_source = term_source;
    source.next_input_byte = bytes;
    source.bytes_in_buffer = length;
    info.src = &source;
    jpeg_read_header(&info, TRUE);
    if (info.num_components == 3) info.out_color_space = info.jpeg_color_space;   // keep as coded
    jpeg_start_decompress(&info);
    size_t samples = (size_t)info.output_width * (size_t)info.output_components;
    size_t size = samples * info.output_height * 2;
    data = malloc(size ? size : 1);
    JSAMPARRAY row = (*info.mem->alloc_sarray)((j_common_ptr)&info, JPOOL_IMAGE, (JDIMENSION)samples, 1);
    if (!data) { snprintf(error, 256, "out of memory"); jpeg_destroy_decompress(&info); return -1; }
    while (info.output_scanline < info.output_height) {
        size_t y = info.output_scanline;
        jpeg_read_scanlines(&info, row, 1);
        for (size_t i = 0; i < samples; i++) {
            unsigned v = (unsigned)row[0][i];
            data[(y * samples + i) * 2] = (uint8_t)(v & 0xFF);
            data[(y * samples + i) * 2 + 1] = (uint8_t)(v >> 8);
        }
    }
    jpeg_finish_decompress(&info);
    out->data = data;
    out->size = size;
    out->width = (int)info.output_width;
    out->height = (int)info.output_height;
    out->components = info.output_components;
    out->bits = info.data_precision;
    jpeg_destroy_decompress(&info);
    return 0;
}
