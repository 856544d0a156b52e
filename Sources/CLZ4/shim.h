#ifndef WEIGHSTREAM_CLZ4_SHIM_H
#define WEIGHSTREAM_CLZ4_SHIM_H
#include <lz4.h>
#endif
