#include "dicomfs_label.h"
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <zint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MM (72.0 / 25.4)          /* points per millimetre */
#define DISC (120.0 * MM)

/* Centred lines at `size` points, made smaller (down to 5 pt) until they fit `height`;
   `height` 0 means no limit. */
static void text_block_fit(cairo_t *cr, const char *text, double x, double y, double width, double height, double size, int bold) {
    PangoLayout *layout = pango_cairo_create_layout(cr);
    pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    pango_layout_set_text(layout, text, -1);
    for (;;) {
        char font[96];
        /* DejaVu first: its line height sets the spacing (Noto Sans CJK's is twice the em and
           pushed long lists below the clear ring); CJK characters still fall back to Noto. */
        snprintf(font, sizeof font, "DejaVu Sans, Noto Sans CJK JP%s %.1f", bold ? " Bold" : "", size);
        PangoFontDescription *desc = pango_font_description_from_string(font);
        pango_layout_set_font_description(layout, desc);
        pango_font_description_free(desc);
        int w, h;
        pango_layout_get_size(layout, &w, &h);
        if (height <= 0 || (double)h / PANGO_SCALE <= height || size <= 5) break;
        size -= 0.5;
    }
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
    g_object_unref(layout);
}

static void text_block(cairo_t *cr, const char *text, double x, double y, double width, double size, int bold) {
    text_block_fit(cr, text, x, y, width, 0, size, bold);
}

/* QR through libqrencode: one square per dark module, with a quiet zone. */
static int draw_qr(cairo_t *cr, const char *value, double cx, double cy, double size, char *error) {
    QRcode *qr = QRcode_encodeString8bit(value, 0, QR_ECLEVEL_M);
    if (!qr) { snprintf(error, 256, "libqrencode could not encode the barcode value"); return -1; }
    double module = size / (qr->width + 8);
    double x0 = cx - size / 2 + 4 * module, y0 = cy - size / 2 + 4 * module;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, cx - size / 2, cy - size / 2, size, size);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            if (qr->data[y * qr->width + x] & 1) cairo_rectangle(cr, x0 + x * module, y0 + y * module, module, module);
    cairo_fill(cr);
    QRcode_free(qr);
    return 0;
}

/* Other symbologies through libzint's vector output, scaled into the box. */
static int draw_zint(cairo_t *cr, const char *value, int symbology, double cx, double cy, double w, double h, char *error) {
    struct zint_symbol *sym = ZBarcode_Create();
    if (!sym) { snprintf(error, 256, "libzint: out of memory"); return -1; }
    sym->symbology = symbology;
    sym->show_hrt = 1;
    if (ZBarcode_Encode(sym, (const unsigned char *)value, (int)strlen(value)) >= ZINT_ERROR ||
        ZBarcode_Buffer_Vector(sym, 0) >= ZINT_ERROR) {
        snprintf(error, 256, "libzint: %s", sym->errtxt);
        ZBarcode_Delete(sym);
        return -1;
    }
    struct zint_vector *v = sym->vector;
    double scale = fmin(w / v->width, h / v->height);
    double x0 = cx - v->width * scale / 2, y0 = cy - v->height * scale / 2;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x0, y0, v->width * scale, v->height * scale);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (struct zint_vector_rect *r = v->rectangles; r; r = r->next)
        cairo_rectangle(cr, x0 + r->x * scale, y0 + r->y * scale, r->width * scale, r->height * scale);
    cairo_fill(cr);
    for (struct zint_vector_string *s = v->strings; s; s = s->next) {
        char text[256];
        snprintf(text, sizeof text, "%s", (const char *)s->text);
        text_block(cr, text, x0 + (s->x - s->width / 2) * scale - 10, y0 + (s->y - s->fsize) * scale, s->width * scale + 20, s->fsize * scale * 0.75, 0);
    }
    ZBarcode_Delete(sym);
    return 0;
}

/* The logo in a box of w x h centred at (cx, top), aspect kept. */
static int draw_logo(cairo_t *cr, const char *path, double cx, double top, double w, double h, char *error) {
    cairo_surface_t *img = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        snprintf(error, 256, "logo %s: %s (a PNG file is expected)", path, cairo_status_to_string(cairo_surface_status(img)));
        cairo_surface_destroy(img);
        return -1;
    }
    double iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
    double scale = fmin(w / iw, h / ih);
    cairo_save(cr);
    cairo_translate(cr, cx - iw * scale / 2, top);
    cairo_scale(cr, scale, scale);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
    return 0;
}

static int draw(cairo_t *cr, const char *text, const char *footer, const char *barcode, const char *symbology,
                const char *logo, int compact, char *error) {
    double c = DISC / 2;
    /* Disc outline (58.5 mm printable radius), hub hole (7.5 mm) and the clear ring (21 mm). */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_arc(cr, c, c, 59.5 * MM, 0, 2 * M_PI);
    cairo_fill(cr);
    cairo_set_line_width(cr, 0.5);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_arc(cr, c, c, 59.5 * MM, 0, 2 * M_PI);
    cairo_stroke(cr);
    double dashes[] = { 2.0, 2.0 };
    cairo_set_dash(cr, dashes, 2, 0);
    cairo_arc(cr, c, c, 21 * MM, 0, 2 * M_PI);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    cairo_arc(cr, c, c, 7.5 * MM, 0, 2 * M_PI);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    /* Upper band (above the clear ring): patients, studies, label text. Lower band: content
       type, date, volume, then the barcode near the rim. */
    double top = 10 * MM;
    if (logo && *logo) {
        if (draw_logo(cr, logo, c, 4.5 * MM, 36 * MM, 9 * MM, error) != 0) return -1;
        top = 14.5 * MM;
    }
    text_block_fit(cr, text, c - 35 * MM, top, 70 * MM, 37.5 * MM - top, compact ? 11 : 9, compact);
    text_block_fit(cr, footer, c - 30 * MM, c + 22.5 * MM, 60 * MM, 14 * MM, 7.5, 1);
    if (barcode && *barcode) {
        if (!symbology || !*symbology || strcasecmp(symbology, "QR") == 0)
            return draw_qr(cr, barcode, c, c + 45 * MM, 13 * MM, error);
        int kind = BARCODE_CODE128;
        if (strcasecmp(symbology, "CODE39") == 0) kind = BARCODE_CODE39;
        else if (strcasecmp(symbology, "EAN13") == 0) kind = BARCODE_EANX;
        else if (strcasecmp(symbology, "DATAMATRIX") == 0) kind = BARCODE_DATAMATRIX;
        else if (strcasecmp(symbology, "PDF417") == 0) kind = BARCODE_PDF417;
        return draw_zint(cr, barcode, kind, c, c + 45 * MM, 40 * MM, 10 * MM, error);
    }
    return 0;
}

static int finish(cairo_surface_t *surface, cairo_t *cr, const char *what, char *error) {
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) { snprintf(error, 256, "cairo (%s): %s", what, cairo_status_to_string(status)); return -1; }
    return 0;
}

int dicomfs_label_write(const char *base, const char *text, const char *footer,
                        const char *barcode, const char *symbology, const char *logo, int compact, char *error) {
    char path[4096];
    error[0] = 0;
    snprintf(path, sizeof path, "%s.pdf", base);
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, DISC, DISC);
    cairo_t *cr = cairo_create(pdf);
    if (draw(cr, text, footer, barcode, symbology, logo, compact, error) != 0) { cairo_destroy(cr); cairo_surface_destroy(pdf); return -1; }
    if (finish(pdf, cr, "PDF", error) != 0) return -1;

    snprintf(path, sizeof path, "%s.svg", base);
    cairo_surface_t *svg = cairo_svg_surface_create(path, DISC, DISC);
    cr = cairo_create(svg);
    draw(cr, text, footer, barcode, symbology, logo, compact, error);
    if (finish(svg, cr, "SVG", error) != 0) return -1;

    /* 300 dpi PNG: 120 mm is 1417 pixels. */
    int px = (int)lround(120.0 / 25.4 * 300.0);
    cairo_surface_t *png = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, px, px);
    cr = cairo_create(png);
    cairo_scale(cr, px / DISC, px / DISC);
    draw(cr, text, footer, barcode, symbology, logo, compact, error);
    snprintf(path, sizeof path, "%s.png", base);
    cairo_status_t written = cairo_surface_write_to_png(png, path);
    if (finish(png, cr, "PNG", error) != 0) return -1;
    if (written != CAIRO_STATUS_SUCCESS) { snprintf(error, 256, "cannot write %s: %s", path, cairo_status_to_string(written)); return -1; }
    return 0;
}
