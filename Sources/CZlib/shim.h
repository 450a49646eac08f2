#ifndef KC_CZLIB_SHIM_H
#define KC_CZLIB_SHIM_H
#include <zlib.h>

/* deflateInit2/inflateInit are macros (they pass ZLIB_VERSION and sizeof(z_stream)):
   Swift cannot import them, so one inline wrapper each. */
static inline int kc_deflate_init2(z_streamp s, int level, int windowBits, int memLevel) {
    return deflateInit2(s, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}
static inline int kc_inflate_init(z_streamp s) { return inflateInit(s); }
#endif
