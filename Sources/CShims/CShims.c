#include "CShims.h"

#include <openssl/core_names.h>

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

int cshims_jwt_EVP_PKEY_PUBLIC_KEY(void) { return EVP_PKEY_PUBLIC_KEY; }
const char *cshims_jwt_OSSL_PKEY_PARAM_RSA_N(void) { return OSSL_PKEY_PARAM_RSA_N; }
const char *cshims_jwt_OSSL_PKEY_PARAM_RSA_E(void) { return OSSL_PKEY_PARAM_RSA_E; }

/* Weak, so the symbols resolve to the sanitizer runtime when it is linked and to NULL otherwise. */
extern void __tsan_acquire(void *address) __attribute__((weak));
extern void __tsan_release(void *address) __attribute__((weak));

void cshims_tsan_acquire(void *address) {
    if (__tsan_acquire) __tsan_acquire(address);
}

void cshims_tsan_release(void *address) {
    if (__tsan_release) __tsan_release(address);
}

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

#include <string.h>
#include <strings.h>
#include <openssl/err.h>

static void cshims_vault_append_alias(char *aliases, size_t aliases_size, const char *name) {
    if (aliases == NULL || aliases_size == 0) return;
    size_t used = strlen(aliases);
    const char *separator = used > 0 ? ", " : "";
    if (used + strlen(separator) + strlen(name) + 1 > aliases_size) return;
    strcat(aliases, separator);
    strcat(aliases, name);
}

/* Returns 1 when `bag` is a private key bag whose alias matches, 0 when it is not. */
static int cshims_vault_bag_matches(PKCS12_SAFEBAG *bag, const char *alias, char *aliases, size_t aliases_size) {
    int nid = PKCS12_SAFEBAG_get_nid(bag);
    if (nid != NID_keyBag && nid != NID_pkcs8ShroudedKeyBag) return 0;

    char *name = PKCS12_get_friendlyname(bag);
    cshims_vault_append_alias(aliases, aliases_size, name != NULL ? name : "(no alias)");
    int matches = alias == NULL || (name != NULL && strcasecmp(name, alias) == 0);
    OPENSSL_free(name);
    return matches;
}

static int cshims_vault_decode_key_bag(PKCS12_SAFEBAG *bag, const char *key_password, EVP_PKEY **key) {
    if (PKCS12_SAFEBAG_get_nid(bag) == NID_keyBag) {
        const PKCS8_PRIV_KEY_INFO *info = PKCS12_SAFEBAG_get0_p8inf(bag);
        *key = info != NULL ? EVP_PKCS82PKEY(info) : NULL;
        return *key != NULL ? CSHIMS_VAULT_P12_OK : CSHIMS_VAULT_P12_MALFORMED;
    }

    PKCS8_PRIV_KEY_INFO *info = PKCS12_decrypt_skey(bag, key_password, -1);
    if (info == NULL) return CSHIMS_VAULT_P12_KEY_UNREADABLE;
    *key = EVP_PKCS82PKEY(info);
    PKCS8_PRIV_KEY_INFO_free(info);
    return *key != NULL ? CSHIMS_VAULT_P12_OK : CSHIMS_VAULT_P12_MALFORMED;
}

int cshims_vault_pkcs12_find_key(PKCS12 *p12, const char *store_password, const char *key_password,
                                 const char *alias, EVP_PKEY **key, char *aliases, size_t aliases_size) {
    *key = NULL;
    if (aliases != NULL && aliases_size > 0) aliases[0] = '\0';

    STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
    if (safes == NULL) return CSHIMS_VAULT_P12_MALFORMED;

    int result = CSHIMS_VAULT_P12_KEY_NOT_FOUND;
    int container_unreadable = 0;
    for (int index = 0; index < sk_PKCS7_num(safes) && result == CSHIMS_VAULT_P12_KEY_NOT_FOUND; index++) {
        PKCS7 *safe = sk_PKCS7_value(safes, index);
        STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
        int type = OBJ_obj2nid(safe->type);
        if (type == NID_pkcs7_data) {
            bags = PKCS12_unpack_p7data(safe);
        } else if (type == NID_pkcs7_encrypted) {
            bags = PKCS12_unpack_p7encdata(safe, store_password, -1);
        }
        if (bags == NULL) {
            /* Keep looking: the key usually sits in a plain container even when the
               certificates sit in an RC2-encrypted one. */
            container_unreadable = 1;
            continue;
        }

        for (int bag_index = 0; bag_index < sk_PKCS12_SAFEBAG_num(bags); bag_index++) {
            PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, bag_index);
            if (cshims_vault_bag_matches(bag, alias, aliases, aliases_size)) {
                result = cshims_vault_decode_key_bag(bag, key_password, key);
                break;
            }
        }
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
    sk_PKCS7_pop_free(safes, PKCS7_free);

    if (result == CSHIMS_VAULT_P12_KEY_NOT_FOUND && container_unreadable) {
        return CSHIMS_VAULT_P12_CONTAINER_UNREADABLE;
    }
    return result;
}

int cshims_vault_error_is_unsupported(unsigned long code) {
    return ERR_GET_REASON(code) == ERR_R_UNSUPPORTED;
}

int cshims_SSL_CTX_add1_chain_cert(SSL_CTX *context, X509 *certificate) {
    return (int)SSL_CTX_add1_chain_cert(context, certificate);
}


unsigned long cshims_XN_FLAG_RFC2253(void) { return XN_FLAG_RFC2253; }
