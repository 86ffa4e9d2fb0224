/* Every catalog field's extractor, by field id. The table is generated from
 * schema/fields.def: each row's EXTRACTOR names an object sgc_x_<EXTRACTOR>
 * that a runtime/eval/fields_*.c file defines, so a row whose extractor is
 * missing fails to link. */
#include "extract_registry.h"

#define F(id, name, type, arg, flags, ex, kernel, desc) extern const sgc_extractor sgc_x_##ex;
#include "fields.def"
#include "fields_k8saudit.def"
#undef F

const sgc_extractor *const sgc_extractor_registry[SGC_F__COUNT] = {
#define F(id, name, type, arg, flags, ex, kernel, desc) [SGC_F_##id] = &sgc_x_##ex,
#include "fields.def"
#include "fields_k8saudit.def"
#undef F
};
