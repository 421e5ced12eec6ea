#ifndef INTERNAL_API_SECURITY_CXML2_SHIM_H
#define INTERNAL_API_SECURITY_CXML2_SHIM_H

/* Debian's libxml2 is built with ICU, so libxml/encoding.h includes ICU's ucnv.h.
 * A module that imports both this one and Foundation then sees two definitions of
 * UErrorCode. Defining ucnv.h's include guard and declaring the two types that
 * encoding.h uses avoids the clash without changing any layout. */
#define UCNV_H
#include <stdint.h>
typedef struct UConverter UConverter;
typedef uint16_t UChar;

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#endif
