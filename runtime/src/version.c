/* The runtime's public entry points that need no database. */
#include "schemac/schemac.h"

#include "hash.h"

const char *schemac_version(void)
{
    return SCHEMAC_VERSION;
}

int schemac_hash_hex(char out[SCHEMAC_HASH_HEX_LEN + 1], const void *data, size_t len)
{
    if (out == NULL || (data == NULL && len > 0))
        return SCHEMAC_EINVALID;
    sc_hash_hex(out, data, len);
    return SCHEMAC_OK;
}
