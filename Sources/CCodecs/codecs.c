#include "dicomfs_codecs.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <openjpeg-2.5/openjpeg.h>
#include <charls/charls.h>

void dicomfs_free(void *pointer) { free(pointer); }

// MARK: libjpeg-turbo

struct jpeg_failure {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *error;
};

static void jpeg_fail(j_common_ptr info) {
    struct jpeg_failure *f = (struct jpeg_failure *)info->err;
    char text[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, text);
    snprintf(f->error, 256, "libjpeg: %s", text);
    longjmp(f->jump, 1);
}

static void jpeg_quiet(j_common_ptr info, int level) { (void)info; (void)level; }

int dicomfs_jpeg_decode(const uint8_t *bytes, size_t length, int keep_color, dicomfs_image *out, char *error) {
    struct jpeg_decompress_struct info;
    struct jpeg_failure failure;
    uint8_t *volatile data = NULL;
    memset(out, 0, sizeof *out);
    info.err = jpeg_std_error(&failure.base);
    failure.base.error_exit = jpeg_fail;
    failure.base.emit_message = jpeg_quiet;
    failure.error = error;
    if (setjmp(failure.jump)) {
        jpeg_destroy_decompress(&info);
        free(data);
        return -1;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, bytes, (unsigned long)length);
    jpeg_read_header(&info, TRUE);
    if (keep_color && info.num_components == 3) info.out_color_space = info.jpeg_color_space;
    jpeg_start_decompress(&info);
    size_t row = (size_t)info.output_width * (size_t)info.output_components;
    size_t size = row * info.output_height;
    data = malloc(size ? size : 1);
    if (!data) { snprintf(error, 256, "out of memory"); jpeg_destroy_decompress(&info); return -1; }
    while (info.output_scanline < info.output_height) {
        JSAMPROW line = data + row * info.output_scanline;
        jpeg_read_scanlines(&info, &line, 1);
    }
    jpeg_finish_decompress(&info);
    out->data = data;
    out->size = size;
    out->width = (int)info.output_width;
    out->height = (int)info.output_height;
    out->components = info.output_components;
    out->bits = 8;
    jpeg_destroy_decompress(&info);
    return 0;
}

/* libjpeg-turbo at `quality`; colour as YCbCr, chroma halved horizontally only (4:2:2) when
   `ybr422`, else libjpeg's default 4:2:0 (the web renderings). */
static int jpeg_encode(const uint8_t *pixels, int width, int height, int components, int quality, int ybr422,
                       uint8_t **out, size_t *out_length, char *error) {
    struct jpeg_compress_struct info;
    struct jpeg_failure failure;
    unsigned char *buffer = NULL;
    unsigned long size = 0;
    *out = NULL;
    *out_length = 0;
    info.err = jpeg_std_error(&failure.base);
    failure.base.error_exit = jpeg_fail;
    failure.base.emit_message = jpeg_quiet;
    failure.error = error;
    if (setjmp(failure.jump)) {
        jpeg_destroy_compress(&info);
        free(buffer);
        return -1;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, &buffer, &size);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    info.input_components = components;
    info.in_color_space = components == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    if (components == 3 && ybr422) {
        info.comp_info[0].h_samp_factor = 2;
        info.comp_info[0].v_samp_factor = 1;
        info.comp_info[1].h_samp_factor = info.comp_info[1].v_samp_factor = 1;
        info.comp_info[2].h_samp_factor = info.comp_info[2].v_samp_factor = 1;
    }
    jpeg_start_compress(&info, TRUE);
    size_t row = (size_t)width * (size_t)components;
    while (info.next_scanline < info.image_height) {
        JSAMPROW line = (JSAMPROW)(pixels + row * info.next_scanline);
        jpeg_write_scanlines(&info, &line, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    *out = buffer;
    *out_length = size;
    return 0;
}

int dicomfs_jpeg_encode(const uint8_t *pixels, int width, int height, int components, int quality,
                        uint8_t **out, size_t *out_length, char *error) {
    return jpeg_encode(pixels, width, height, components, quality, 0, out, out_length, error);
}

int dicomfs_jpeg_baseline_encode(const uint8_t *pixels, int width, int height, int components, int quality,
                                 uint8_t **out, size_t *out_length, char *error) {
    if (width < 1 || height < 1 || (components != 1 && components != 3) || quality < 1 || quality > 100) {
        snprintf(error, 256, "JPEG Baseline: cannot encode %d x %d x %d at quality %d", width, height, components, quality);
        *out = NULL;
        *out_length = 0;
        return -1;
    }
    return jpeg_encode(pixels, width, height, components, quality, 1, out, out_length, error);
}

// MARK: OpenJPEG

struct memory_stream { const uint8_t *bytes; size_t length, position; };

static OPJ_SIZE_T j2k_read(void *buffer, OPJ_SIZE_T count, void *user) {
    struct memory_stream *s = user;
    if (s->position >= s->length) return (OPJ_SIZE_T)-1;
    size_t n = s->length - s->position < count ? s->length - s->position : count;
    memcpy(buffer, s->bytes + s->position, n);
    s->position += n;
    return n;
}

static OPJ_OFF_T j2k_skip(OPJ_OFF_T count, void *user) {
    struct memory_stream *s = user;
    if (count < 0 || (size_t)count > s->length - s->position) count = (OPJ_OFF_T)(s->length - s->position);
    s->position += (size_t)count;
    return count;
}

static OPJ_BOOL j2k_seek(OPJ_OFF_T to, void *user) {
    struct memory_stream *s = user;
    if (to < 0 || (size_t)to > s->length) return OPJ_FALSE;
    s->position = (size_t)to;
    return OPJ_TRUE;
}

static void j2k_message(const char *text, void *user) {
    char *error = user;
    if (error[0] == 0) snprintf(error, 256, "OpenJPEG: %s", text);
}

static void j2k_quiet(const char *text, void *user) { (void)text; (void)user; }

int dicomfs_j2k_decode(const uint8_t *bytes, size_t length, dicomfs_image *out, char *error) {
    memset(out, 0, sizeof *out);
    error[0] = 0;
    if (length < 12) { snprintf(error, 256, "JPEG 2000 data of %zu bytes is too short", length); return -1; }
    // A JP2 file starts with a signature box; otherwise it is a bare codestream (FF 4F FF 51).
    OPJ_CODEC_FORMAT format = (bytes[0] == 0xFF && bytes[1] == 0x4F) ? OPJ_CODEC_J2K : OPJ_CODEC_JP2;
    opj_codec_t *codec = opj_create_decompress(format);
    opj_dparameters_t parameters;
    opj_set_default_decoder_parameters(&parameters);
    opj_set_error_handler(codec, j2k_message, error);
    opj_set_warning_handler(codec, j2k_quiet, NULL);
    opj_set_info_handler(codec, j2k_quiet, NULL);
    struct memory_stream source = { bytes, length, 0 };
    opj_stream_t *stream = opj_stream_default_create(OPJ_TRUE);
    opj_stream_set_user_data(stream, &source, NULL);
    opj_stream_set_user_data_length(stream, length);
    opj_stream_set_read_function(stream, j2k_read);
    opj_stream_set_skip_function(stream, j2k_skip);
    opj_stream_set_seek_function(stream, j2k_seek);
    opj_image_t *image = NULL;
    int rc = -1;
    if (!opj_setup_decoder(codec, &parameters) || !opj_read_header(stream, codec, &image) ||
        !opj_decode(codec, stream, image) || !opj_end_decompress(codec, stream)) {
        if (!error[0]) snprintf(error, 256, "OpenJPEG could not decode the codestream");
        goto done;
    }
    int n = (int)image->numcomps;
    if (n < 1 || n > 4) { snprintf(error, 256, "JPEG 2000 image with %d components", n); goto done; }
    int w = (int)image->comps[0].w, h = (int)image->comps[0].h, prec = (int)image->comps[0].prec;
    for (int c = 1; c < n; c++) {
        if ((int)image->comps[c].w != w || (int)image->comps[c].h != h) {
            snprintf(error, 256, "JPEG 2000 components of different sizes (subsampled) are not supported");
            goto done;
        }
    }
    if (prec > 16 || prec < 1) { snprintf(error, 256, "JPEG 2000 precision of %d bits is not supported", prec); goto done; }
    int bytesPer = prec > 8 ? 2 : 1;
    size_t size = (size_t)w * (size_t)h * (size_t)n * (size_t)bytesPer;
    uint8_t *data = malloc(size ? size : 1);
    if (!data) { snprintf(error, 256, "out of memory"); goto done; }
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++) {
        for (int c = 0; c < n; c++) {
            int32_t v = image->comps[c].data[i];
            size_t at = (i * (size_t)n + (size_t)c) * (size_t)bytesPer;
            if (bytesPer == 1) data[at] = (uint8_t)v;
            else { data[at] = (uint8_t)(v & 0xFF); data[at + 1] = (uint8_t)((v >> 8) & 0xFF); }
        }
    }
    out->data = data;
    out->size = size;
    out->width = w;
    out->height = h;
    out->components = n;
    out->bits = prec;
    out->is_signed = (int)image->comps[0].sgnd;
    rc = 0;
done:
    if (image) opj_image_destroy(image);
    opj_stream_destroy(stream);
    opj_destroy_codec(codec);
    return rc;
}

// MARK: CharLS

int dicomfs_jpegls_decode(const uint8_t *bytes, size_t length, dicomfs_image *out, char *error) {
    memset(out, 0, sizeof *out);
    charls_jpegls_decoder *decoder = charls_jpegls_decoder_create();
    if (!decoder) { snprintf(error, 256, "cannot create a CharLS decoder"); return -1; }
    charls_jpegls_errc rc = charls_jpegls_decoder_set_source_buffer(decoder, bytes, length);
    if (rc == 0) rc = charls_jpegls_decoder_read_header(decoder);
    charls_frame_info frame;
    if (rc == 0) rc = charls_jpegls_decoder_get_frame_info(decoder, &frame);
    size_t size = 0;
    if (rc == 0) rc = charls_jpegls_decoder_get_destination_size(decoder, 0, &size);
    uint8_t *data = NULL;
    if (rc == 0) {
        data = malloc(size ? size : 1);
        if (!data) { charls_jpegls_decoder_destroy(decoder); snprintf(error, 256, "out of memory"); return -1; }
        // Stride 0: rows packed. CharLS 2 returns line-interleaved scans already interleaved
        // by pixel (as for sample interleave); only plane-by-plane scans are reordered below.
        rc = charls_jpegls_decoder_decode_to_buffer(decoder, data, size, 0);
    }
    if (rc != 0) {
        snprintf(error, 256, "CharLS: %s", charls_get_error_message(rc));
        free(data);
        charls_jpegls_decoder_destroy(decoder);
        return -1;
    }
    charls_interleave_mode mode = CHARLS_INTERLEAVE_MODE_NONE;
    charls_jpegls_decoder_get_interleave_mode(decoder, &mode);
    charls_jpegls_decoder_destroy(decoder);
    int n = frame.component_count, bytesPer = frame.bits_per_sample > 8 ? 2 : 1;
    if (n > 1 && mode == CHARLS_INTERLEAVE_MODE_NONE) {
        // Planes one after another: interleave them by pixel.
        size_t plane = (size_t)frame.width * frame.height * (size_t)bytesPer;
        uint8_t *mixed = malloc(size ? size : 1);
        if (!mixed) { free(data); snprintf(error, 256, "out of memory"); return -1; }
        for (size_t i = 0; i < (size_t)frame.width * frame.height; i++)
            for (int c = 0; c < n; c++)
                memcpy(mixed + (i * (size_t)n + (size_t)c) * (size_t)bytesPer, data + (size_t)c * plane + i * (size_t)bytesPer, (size_t)bytesPer);
        free(data);
        data = mixed;
    }
    out->data = data;
    out->size = size;
    out->width = (int)frame.width;
    out->height = (int)frame.height;
    out->components = n;
    out->bits = frame.bits_per_sample;
    return 0;
}

// MARK: Lossless encoders

struct growing_stream { uint8_t *bytes; size_t length, capacity, position; int failed; };

static OPJ_SIZE_T j2k_write(void *buffer, OPJ_SIZE_T count, void *user) {
    struct growing_stream *s = user;
    if (s->position + count > s->capacity) {
        size_t capacity = s->capacity ? s->capacity : 65536;
        while (capacity < s->position + count) capacity *= 2;
        uint8_t *grown = realloc(s->bytes, capacity);
        if (!grown) { s->failed = 1; return (OPJ_SIZE_T)-1; }
        s->bytes = grown;
        s->capacity = capacity;
    }
    memcpy(s->bytes + s->position, buffer, count);
    s->position += count;
    if (s->position > s->length) s->length = s->position;
    return count;
}

static OPJ_OFF_T j2k_write_skip(OPJ_OFF_T count, void *user) {
    struct growing_stream *s = user;
    if (count < 0) return -1;
    s->position += (size_t)count;
    return count;
}

static OPJ_BOOL j2k_write_seek(OPJ_OFF_T to, void *user) {
    struct growing_stream *s = user;
    if (to < 0) return OPJ_FALSE;
    s->position = (size_t)to;
    return OPJ_TRUE;
}

static int32_t sample_at(const uint8_t *samples, size_t index, int bits, int is_signed) {
    uint32_t v = bits > 8 ? (uint32_t)samples[2 * index] | ((uint32_t)samples[2 * index + 1] << 8) : samples[index];
    if (bits < 32) v &= (1u << bits) - 1;
    if (is_signed && bits < 32 && (v & (1u << (bits - 1)))) return (int32_t)(v | ~((1u << bits) - 1));
    return (int32_t)v;
}

int dicomfs_j2k_encode_lossless(const uint8_t *samples, int width, int height, int components, int bits, int is_signed,
                                uint8_t **out, size_t *out_length, char *error) {
    return dicomfs_j2k_encode(samples, width, height, components, bits, is_signed, 0, out, out_length, error);
}

int dicomfs_j2k_encode(const uint8_t *samples, int width, int height, int components, int bits, int is_signed, double ratio,
                       uint8_t **out, size_t *out_length, char *error) {
    error[0] = 0;
    *out = NULL;
    *out_length = 0;
    if (width < 1 || height < 1 || components < 1 || components > 4 || bits < 1 || bits > 16) {
        snprintf(error, 256, "JPEG 2000: cannot encode %d x %d x %d samples of %d bits", width, height, components, bits);
        return -1;
    }
    opj_image_cmptparm_t parms[4];
    memset(parms, 0, sizeof parms);
    for (int c = 0; c < components; c++) {
        parms[c].dx = parms[c].dy = 1;
        parms[c].w = (OPJ_UINT32)width;
        parms[c].h = (OPJ_UINT32)height;
        parms[c].prec = (OPJ_UINT32)bits;
        parms[c].sgnd = (OPJ_UINT32)(is_signed ? 1 : 0);
    }
    opj_image_t *image = opj_image_create((OPJ_UINT32)components, parms, components >= 3 ? OPJ_CLRSPC_SRGB : OPJ_CLRSPC_GRAY);
    if (!image) { snprintf(error, 256, "out of memory"); return -1; }
    image->x0 = image->y0 = 0;
    image->x1 = (OPJ_UINT32)width;
    image->y1 = (OPJ_UINT32)height;
    size_t pixels = (size_t)width * (size_t)height;
    for (size_t i = 0; i < pixels; i++)
        for (int c = 0; c < components; c++)
            image->comps[c].data[i] = sample_at(samples, i * (size_t)components + (size_t)c, bits, is_signed);
    opj_cparameters_t parameters;
    opj_set_default_encoder_parameters(&parameters);
    // ratio 0: the 5/3 reversible wavelet, no rate limit (lossless); else the 9/7
    // irreversible one, one quality layer at that compression ratio.
    parameters.irreversible = ratio > 0 ? 1 : 0;
    parameters.tcp_numlayers = 1;
    parameters.tcp_rates[0] = ratio > 0 ? (float)ratio : 0;
    parameters.cp_disto_alloc = 1;
    // Lossless: no colour transform (Photometric Interpretation stays); lossy colour: the
    // irreversible transform, YBR_ICT (PS3.5 8.2.4), as the US IODs require of .91.
    parameters.tcp_mct = ratio > 0 && components == 3 ? 1 : 0;
    int levels = 5;
    while (levels > 0 && ((width >> levels) < 1 || (height >> levels) < 1)) levels--;
    parameters.numresolution = levels + 1;
    opj_codec_t *codec = opj_create_compress(OPJ_CODEC_J2K);
    opj_set_error_handler(codec, j2k_message, error);
    opj_set_warning_handler(codec, j2k_quiet, NULL);
    opj_set_info_handler(codec, j2k_quiet, NULL);
    struct growing_stream sink = { NULL, 0, 0, 0, 0 };
    opj_stream_t *stream = opj_stream_default_create(OPJ_FALSE);
    opj_stream_set_user_data(stream, &sink, NULL);
    opj_stream_set_write_function(stream, j2k_write);
    opj_stream_set_skip_function(stream, j2k_write_skip);
    opj_stream_set_seek_function(stream, j2k_write_seek);
    int rc = -1;
    if (opj_setup_encoder(codec, &parameters, image) && opj_start_compress(codec, image, stream) &&
        opj_encode(codec, stream) && opj_end_compress(codec, stream) && !sink.failed) {
        *out = sink.bytes;
        *out_length = sink.length;
        sink.bytes = NULL;
        rc = 0;
    } else if (!error[0]) {
        snprintf(error, 256, "OpenJPEG could not encode the image");
    }
    free(sink.bytes);
    opj_stream_destroy(stream);
    opj_destroy_codec(codec);
    opj_image_destroy(image);
    return rc;
}

int dicomfs_jpegls_encode_lossless(const uint8_t *samples, int width, int height, int components, int bits,
                                   uint8_t **out, size_t *out_length, char *error) {
    *out = NULL;
    *out_length = 0;
    if (width < 1 || height < 1 || components < 1 || components > 4 || bits < 2 || bits > 16) {
        snprintf(error, 256, "JPEG-LS: cannot encode %d x %d x %d samples of %d bits", width, height, components, bits);
        return -1;
    }
    int bytesPer = bits > 8 ? 2 : 1;
    size_t size = (size_t)width * (size_t)height * (size_t)components * (size_t)bytesPer;
    // CharLS wants the samples within `bits`: the stored pattern is masked (signed data is
    // coded as its bit pattern, as DICOM does).
    uint8_t *masked = malloc(size ? size : 1);
    if (!masked) { snprintf(error, 256, "out of memory"); return -1; }
    for (size_t i = 0; i < size / (size_t)bytesPer; i++) {
        uint32_t v = (uint32_t)sample_at(samples, i, bits, 0);
        if (bytesPer == 1) masked[i] = (uint8_t)v;
        else { masked[2 * i] = (uint8_t)(v & 0xFF); masked[2 * i + 1] = (uint8_t)(v >> 8); }
    }
    charls_jpegls_encoder *encoder = charls_jpegls_encoder_create();
    if (!encoder) { free(masked); snprintf(error, 256, "cannot create a CharLS encoder"); return -1; }
    charls_frame_info frame = { (uint32_t)width, (uint32_t)height, bits, components };
    charls_jpegls_errc rc = charls_jpegls_encoder_set_frame_info(encoder, &frame);
    if (rc == 0) rc = charls_jpegls_encoder_set_near_lossless(encoder, 0);
    if (rc == 0 && components > 1) rc = charls_jpegls_encoder_set_interleave_mode(encoder, CHARLS_INTERLEAVE_MODE_SAMPLE);
    size_t capacity = 0;
    if (rc == 0) rc = charls_jpegls_encoder_get_estimated_destination_size(encoder, &capacity);
    uint8_t *buffer = NULL;
    if (rc == 0) {
        buffer = malloc(capacity ? capacity : 1);
        if (!buffer) { charls_jpegls_encoder_destroy(encoder); free(masked); snprintf(error, 256, "out of memory"); return -1; }
        rc = charls_jpegls_encoder_set_destination_buffer(encoder, buffer, capacity);
    }
    if (rc == 0) rc = charls_jpegls_encoder_encode_from_buffer(encoder, masked, size, 0);
    size_t written = 0;
    if (rc == 0) rc = charls_jpegls_encoder_get_bytes_written(encoder, &written);
    charls_jpegls_encoder_destroy(encoder);
    free(masked);
    if (rc != 0) {
        free(buffer);
        snprintf(error, 256, "CharLS: %s", charls_get_error_message(rc));
        return -1;
    }
    *out = buffer;
    *out_length = written;
    return 0;
}
