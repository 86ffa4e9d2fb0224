/* placeholder replaced below */
#include "report.h"
int sgc_report_render_html(const sgc_report_view *v, FILE *out) { (void)v; (void)out; return -1; }
