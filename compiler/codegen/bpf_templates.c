/* The BPF build inputs embedded in the binary, when the build embedded
 * them (cmake/bpf_templates.cmake writes the table into the include path). */
#include "bpf_build.h"

#include <stddef.h>

#if defined(__has_include)
#if __has_include("bpf_templates_embed.inc")
#include "bpf_templates_embed.inc"
#define SGC_HAVE_EMBEDDED_TEMPLATES 1
#endif
#endif

const sgc_bpf_template_file *sgc_bpf_templates_embedded(int *n)
{
#ifdef SGC_HAVE_EMBEDDED_TEMPLATES
    *n = (int)(sizeof embedded_files / sizeof embedded_files[0]);
    return embedded_files;
#else
    *n = 0;
    return NULL;
#endif
}
