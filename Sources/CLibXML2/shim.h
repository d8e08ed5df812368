#ifndef ASSAY_CLIBXML2_SHIM_H
#define ASSAY_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU; its <unicode/ucnv.h> clashes with the ICU copy inside Foundation.
   Assay never touches xmlCharEncodingHandler's ICU fields, so leave them out of this view of the headers. */
#undef LIBXML_ICU_ENABLED
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlreader.h>
#include <libxml/SAX2.h>

/// `xmlFree` is a mutable C global that Swift 6 rejects; call it through here.
static inline void assay_xmlFree(void *p) { xmlFree(p); }

/// Compares an element's name with a C string without making Swift strings.
static inline int assay_nameEquals(const xmlChar *name, const char *expected) {
    return name != NULL && strcmp((const char *)name, expected) == 0;
}
#endif
