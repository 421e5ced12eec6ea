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
void cshims_tsan_acquire(void *address);
void cshims_tsan_release(void *address);

/* KeyStores: typed stack access, error classification and certificate extensions. */
#include <openssl/x509.h>

int cshims_keystores_sk_X509_num(const STACK_OF(X509) *stack);
X509 *cshims_keystores_sk_X509_value(const STACK_OF(X509) *stack, int index);
/* Frees the stack and every certificate in it. */
void cshims_keystores_sk_X509_pop_free(STACK_OF(X509) *stack);
/* Returns 1 when the error code means an algorithm is not available in the loaded providers. */
int cshims_keystores_error_is_unsupported(unsigned long code);
/* Returns 1 when the error code means a PKCS#12 MAC check or a decryption failed (the
   padding check of a block cipher), which is how a wrong password shows. */
int cshims_keystores_error_is_bad_password(unsigned long code);
unsigned long cshims_keystores_XN_FLAG_RFC2253(void);
/* Adds an X.509 v3 extension written in OpenSSL's configuration syntax, with the
   certificate as its own issuer. Returns 1 on success. */
int cshims_keystores_add_extension(X509 *certificate, int nid, const char *value);

/* Secure vault: PKCS#12 key lookup by alias, which needs OpenSSL's STACK_OF macros. */
#include <openssl/evp.h>
#include <openssl/pkcs12.h>

/* Outcomes of cshims_vault_pkcs12_find_key. */
enum {
    CSHIMS_VAULT_P12_OK = 0,
    /* The file is PKCS#12 but its contents could not be decoded. */
    CSHIMS_VAULT_P12_MALFORMED = 1,
    /* No private key with the requested alias (or no private key at all). */
    CSHIMS_VAULT_P12_KEY_NOT_FOUND = 2,
    /* An encrypted container could not be decrypted: usually an algorithm such as RC2 that
       needs OpenSSL's legacy provider. */
    CSHIMS_VAULT_P12_CONTAINER_UNREADABLE = 3,
    /* A shrouded key bag could not be decrypted: a wrong key password or an algorithm that
       needs the legacy provider. */
    CSHIMS_VAULT_P12_KEY_UNREADABLE = 4,
};

/* Finds the private key whose friendlyName equals `alias` (ASCII case-insensitive, as Java's
   PKCS12 key store compares aliases), or the first private key when `alias` is NULL.
   On success stores a new reference in `*key`, which the caller frees with EVP_PKEY_free.
   The friendly names of the private keys seen are written to `aliases` (comma separated,
   truncated to `aliases_size` bytes) so that a "not found" error can list them.
   The MAC is not checked here: call PKCS12_verify_mac first. */
/* Returns 1 when an OpenSSL error code means "algorithm not available", as when RC2 is needed
   and the legacy provider is not loaded. */
int cshims_vault_error_is_unsupported(unsigned long code);

int cshims_vault_pkcs12_find_key(PKCS12 *p12, const char *store_password, const char *key_password,
                                 const char *alias, EVP_PKEY **key, char *aliases, size_t aliases_size);

/* Used by EventHTTP's TLSServerContext. */
int cshims_SSL_CTX_add1_chain_cert(SSL_CTX *context, X509 *certificate);
unsigned long cshims_XN_FLAG_RFC2253(void);

#endif
