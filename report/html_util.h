/* Helpers of the HTML renderer: escaping and the priority palette shared by
 * every view (so Warning is the same amber in the area chart, the pie, the
 * bars and the badges). */
#ifndef SGC_REPORT_HTML_UTIL_H
#define SGC_REPORT_HTML_UTIL_H

#include "report.h"

#include <stddef.h>
#include <stdio.h>

/* Text or attribute value: & < > " ' escaped, control characters and invalid
 * UTF-8 as U+FFFD. */
void sgc_html_esc(FILE *out, const char *s, size_t n);
void sgc_html_escz(FILE *out, const char *s);

/* "#rrggbb" of a priority; tint 0 = the colour, up to 1 = white. */
const char *sgc_html_prio_color(int prio);
void sgc_html_tint(int prio, double tint, char buf[8]);
/* Whether text on the priority's colour should be dark (light backgrounds). */
int sgc_html_prio_dark_text(int prio);

/* Priorities from most severe to least, then Unknown (the stacking order). */
extern const int sgc_html_prio_order[SGC_RPRIO_N];

/* The SVG charts (render_svg.c). */
void sgc_svg_area(FILE *out, const sgc_report_view *v);
/* Donut of the top `top` rules plus one "other rules" slice. */
void sgc_svg_donut(FILE *out, const sgc_report_view *v, size_t top);
/* The colour of the pie slice of rule row i (of the top), for the legend. */
void sgc_svg_slice_color(const sgc_report_view *v, size_t i, size_t top, char buf[8]);

#endif
