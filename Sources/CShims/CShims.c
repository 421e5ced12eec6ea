#include "CShims.h"

int cshims_SSL_CTX_set_min_proto_version(SSL_CTX *context, int version) {
    return (int)SSL_CTX_set_min_proto_version(context, version);
}

int cshims_SSL_CTX_set_max_proto_version(SSL_CTX *context, int version) {
    return (int)SSL_CTX_set_max_proto_version(context, version);
}

long cshims_SSL_CTX_set_options(SSL_CTX *context, long options) {
    return (long)SSL_CTX_set_options(context, (uint64_t)options);
}

long cshims_SSL_CTX_set_mode(SSL_CTX *context, long mode) {
    return SSL_CTX_set_mode(context, mode);
}

long cshims_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

long cshims_SSL_OP_NO_COMPRESSION(void) { return (long)SSL_OP_NO_COMPRESSION; }
long cshims_SSL_OP_NO_RENEGOTIATION(void) { return (long)SSL_OP_NO_RENEGOTIATION; }
long cshims_SSL_OP_CIPHER_SERVER_PREFERENCE(void) { return (long)SSL_OP_CIPHER_SERVER_PREFERENCE; }
long cshims_SSL_MODE_RELEASE_BUFFERS(void) { return (long)SSL_MODE_RELEASE_BUFFERS; }

#include <openssl/err.h>
#include <openssl/evperr.h>
#include <openssl/pemerr.h>
#include <openssl/pkcs12err.h>
#include <openssl/proverr.h>
#include <openssl/x509v3.h>

int cshims_keystores_sk_X509_num(const STACK_OF(X509) *stack) {
    return sk_X509_num(stack);
}

X509 *cshims_keystores_sk_X509_value(const STACK_OF(X509) *stack, int index) {
    return sk_X509_value(stack, index);
}

void cshims_keystores_sk_X509_pop_free(STACK_OF(X509) *stack) {
    sk_X509_pop_free(stack, X509_free);
}

int cshims_keystores_error_is_unsupported(unsigned long code) {
    int reason = ERR_GET_REASON(code);
    if (reason == ERR_R_UNSUPPORTED) return 1;
    return ERR_GET_LIB(code) == ERR_LIB_EVP && reason == EVP_R_UNSUPPORTED_ALGORITHM;
}

int cshims_keystores_error_is_bad_password(unsigned long code) {
    int library = ERR_GET_LIB(code);
    int reason = ERR_GET_REASON(code);
    if (library == ERR_LIB_PKCS12
        && (reason == PKCS12_R_MAC_VERIFY_FAILURE || reason == PKCS12_R_PKCS12_CIPHERFINAL_ERROR)) return 1;
    if (library == ERR_LIB_PROV && reason == PROV_R_BAD_DECRYPT) return 1;
    if (library == ERR_LIB_PEM && (reason == PEM_R_BAD_DECRYPT || reason == PEM_R_BAD_PASSWORD_READ)) return 1;
    return library == ERR_LIB_EVP && reason == EVP_R_BAD_DECRYPT;
}

unsigned long cshims_keystores_XN_FLAG_RFC2253(void) { return XN_FLAG_RFC2253; }

int cshims_keystores_add_extension(X509 *certificate, int nid, const char *value) {
    X509V3_CTX context;
    X509V3_set_ctx(&context, certificate, certificate, NULL, NULL, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(NULL, &context, nid, value);
    if (extension == NULL) return 0;
    int added = X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
    return added == 1;
}
