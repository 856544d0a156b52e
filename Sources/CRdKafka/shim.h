#ifndef WEIGHSTREAM_CRDKAFKA_SHIM_H
#define WEIGHSTREAM_CRDKAFKA_SHIM_H
// librdkafka's public API and its in-process mock cluster (used as WeighStream's embedded cluster).
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#endif
