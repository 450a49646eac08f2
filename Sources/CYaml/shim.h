#ifndef KC_CYAML_SHIM_H
#define KC_CYAML_SHIM_H
#include <yaml.h>
#endif
