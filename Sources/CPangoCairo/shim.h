// cairo (PDF, SVG and PNG surfaces) and pango (text layout in any script) for the disc
// labels; the pkg-config flags of pangocairo reach the C target that draws them.
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
