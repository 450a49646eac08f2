/*
 * kubeclient/object.h — what every C controller does with an object's bytes: its cache key,
 * its resourceVersion, and a key split back into namespace and name (client-go's
 * MetaNamespaceKeyFunc and SplitMetaNamespaceKey).
 *
 *   #include <kubeclient.h>   (which includes this header)
 *
 * These read `metadata` straight from the JSON bytes an informer callback or a call gave you,
 * without building a jansson tree: a handler that only needs a key pays no parse. The bytes
 * need not be NUL-terminated. Malformed JSON, a value that is not an object, or a missing
 * metadata.name give KC_ERR_INVALID_ARGUMENT with the reason in kc_error_last().
 *
 * Strings returned through out-parameters are malloc'd: free each with kc_free(). The
 * functions keep no state; any thread may call them, callbacks included.
 */
#ifndef KUBECLIENT_OBJECT_H
#define KUBECLIENT_OBJECT_H

#include <stddef.h>
#include "export.h"
#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The object's key as informers, listers and workqueues use it: "namespace/name", or "name"
 * for a cluster-scoped object (no or empty metadata.namespace).
 */
KC_EXTERN kc_status kc_object_key(const char *object_json, size_t length, char **out_key);

/**
 * metadata.resourceVersion of the object; "" when it has none (an object not yet created).
 * Two deliveries of the same object with equal resourceVersions are the same version (an
 * informer resync), which is what an update handler compares.
 */
KC_EXTERN kc_status kc_object_resource_version(const char *object_json, size_t length, char **out_resource_version);

/**
 * Splits a key made by kc_object_key(): "ns/name" gives "ns" and "name"; "name" gives "" and
 * "name". A key with more than one '/' or an empty name is KC_ERR_INVALID_ARGUMENT.
 * `out_namespace` may be NULL when only the name is wanted.
 */
KC_EXTERN kc_status kc_key_split(const char *key, char **out_namespace, char **out_name);

#ifdef __cplusplus
}
#endif

#endif /* KUBECLIENT_OBJECT_H */
