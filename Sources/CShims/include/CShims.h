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

/* Used by EventHTTP's TLSServerContext. */
int cshims_SSL_CTX_add1_chain_cert(SSL_CTX *context, X509 *certificate);
unsigned long cshims_XN_FLAG_RFC2253(void);

#endif
