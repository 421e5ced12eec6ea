#ifndef INTERNAL_API_SECURITY_CCRYPT_SHIM_H
#define INTERNAL_API_SECURITY_CCRYPT_SHIM_H

#include <stddef.h>
#include <crypt.h>

/* Swift would import struct crypt_data's 32 KB of char arrays as huge tuples.
 * Callers use crypt_rn with an opaque buffer of this size instead. */
static inline size_t ccrypt_data_size(void) {
    return sizeof(struct crypt_data);
}

#endif
