#ifndef ASSAY_CSQLITE_SHIM_H
#define ASSAY_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
