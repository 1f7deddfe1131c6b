/*
 * What gen_glue.sh writes about a generated schema, for the tests of
 * generated code (test_validate.c, test_roundtrip.c).
 */
#ifndef SCHEMAC_TESTS_GLUE_H
#define SCHEMAC_TESTS_GLUE_H

#include <stdbool.h>
#include <stddef.h>

struct schemac_table;
struct schemac_violations;

struct glue_table {
    const struct schemac_table *desc;
    size_t size;
    bool (*validate)(const void *row, struct schemac_violations *out);
};

/* Every table of the schema, then one with a NULL desc. */
extern const struct glue_table glue_tables[];
/* The CHECK constraints the application's hooks decide (NULL-terminated). */
extern const char *const glue_hook_checks[];
/* The numbers of the schema's CHECK constraints (NULL-terminated). */
extern const char *const glue_numbers[];
/* How often the hooks (which accept every row) were called. */
extern unsigned long glue_hook_calls;

#endif
