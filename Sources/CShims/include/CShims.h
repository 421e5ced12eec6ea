#ifndef INTERNAL_API_SECURITY_CSHIMS_H
#define INTERNAL_API_SECURITY_CSHIMS_H

#include <sys/types.h>
#include <sys/time.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>
#include <openssl/bio.h>

/* Function-like OpenSSL macros, as functions Swift can call. */
int cshims_SSL_CTX_set_min_proto_version(SSL_CTX *context, int version);
int cshims_SSL_CTX_set_max_proto_version(SSL_CTX *context, int version);
long cshims_SSL_CTX_set_options(SSL_CTX *context, long options);
long cshims_SSL_CTX_set_mode(SSL_CTX *context, long mode);
long cshims_BIO_get_mem_data(BIO *bio, char **data);
long cshims_SSL_OP_NO_COMPRESSION(void);
long cshims_SSL_OP_NO_RENEGOTIATION(void);
long cshims_SSL_OP_CIPHER_SERVER_PREFERENCE(void);
long cshims_SSL_MODE_RELEASE_BUFFERS(void);

/* Selection flags that are macros built from other macros (JWTTokenSecurity). */
int cshims_jwt_EVP_PKEY_PUBLIC_KEY(void);
/* Parameter names with static storage: OSSL_PARAM_BLD keeps the key pointer, not a copy. */
const char *cshims_jwt_OSSL_PKEY_PARAM_RSA_N(void);
const char *cshims_jwt_OSSL_PKEY_PARAM_RSA_E(void);

/*
 * Tell ThreadSanitizer that a lock was taken or is about to be released, using `address` as
 * the synchronisation object. No-ops unless the ThreadSanitizer runtime is linked in.
 * Needed because Synchronization.Mutex on Linux (Swift 6.3) hands a contended lock over in
 * the kernel (FUTEX_LOCK_PI), which ThreadSanitizer cannot see.
 */
void cshims_jwt_tsan_acquire(void *address);
void cshims_jwt_tsan_release(void *address);

#endif
