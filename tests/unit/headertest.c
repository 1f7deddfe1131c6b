/* Compiles the public header alone under -std=c11 -pedantic: it must
 * stand on its own (schemac_verify() takes libpq's connection without
 * <libpq-fe.h> being included).  The test checks the entry points that
 * need no database. */
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
    /* Without a connection the start-up check cannot be made: -1 and why. */
    schemac_report *r = NULL;
    if (schemac_verify(NULL, "99aa06d3014798d86001c324468d497f", &r) != -1 || r == NULL ||
        schemac_report_text(r)[0] == '\0')
        return 1;
    schemac_report_free(r);
    puts(schemac_version());
    return 0;
}
