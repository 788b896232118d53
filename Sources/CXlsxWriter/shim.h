#ifndef KBM_CXLSXWRITER_SHIM_H
#define KBM_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
