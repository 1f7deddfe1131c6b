/* Compiles the public header alone under -std=c11 -pedantic: it must
 * stand on its own.  The test checks the two entry points it declares. */
#include <schemac/schemac.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    char hex[SCHEMAC_HASH_HEX_LEN + 1];
    if (schemac_hash_hex(hex, "", 0) != SCHEMAC_OK || strlen(hex) != SCHEMAC_HASH_HEX_LEN)
        return 1;
    /* XXH3-128 of the empty input. */
    if (strcmp(hex, "99aa06d3014798d86001c324468d497f") != 0) {
        fprintf(stderr, "unexpected hash %s\n", hex);
        return 1;
    }
    if (schemac_hash_hex(NULL, "", 0) != SCHEMAC_EINVALID)
        return 1;
    puts(schemac_version());
    return 0;
}
