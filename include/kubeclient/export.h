/*
 * kubeclient/export.h — KC_EXTERN, the one declaration macro of the C API. Every kubeclient
 * header that declares functions includes this; include <kubeclient.h> instead.
 */
#ifndef KUBECLIENT_EXPORT_H
#define KUBECLIENT_EXPORT_H

/* Marks every function of the C API: extern with default visibility, so the symbols stay
 * exported even when the including program compiles with -fvisibility=hidden. */
#if defined(__GNUC__) || defined(__clang__)
#define KC_EXTERN extern __attribute__((visibility("default")))
#else
#define KC_EXTERN extern
#endif

#endif /* KUBECLIENT_EXPORT_H */
