/*
 * `schemac diff`: the plan that would take the current state (the database
 * named with --db, else the snapshot OUT/schema.lock, else the empty
 * schema) to the schema files, in words (and with --sql, the up file);
 * writes nothing.  Exit 0 when there is no difference, 1 when there is, 2
 * on usage or schema errors, 3 when a database or the development server
 * cannot be reached.  It shares compile's pipeline (cmd_compile.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static void usage(void)
{
    fputs("usage: schemac diff [--schema DIR] [--out DIR] [--db URL] [--dev-url URL] [--sql]\n",
          stderr);
}

int sc_cmd_diff(int argc, char **argv)
{
    sc_compile_opts o = {.cmd = "diff", .schema = "schema", .out = "generated",
                         .dev = getenv("SCHEMAC_DEV_URL"), .diff = true};
    for (int i = 0; i < argc; i++) {
        bool has = i + 1 < argc;
        if (strcmp(argv[i], "--schema") == 0 && has)
            o.schema = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && has)
            o.out = argv[++i];
        else if (strcmp(argv[i], "--db") == 0 && has)
            o.db = argv[++i];
        else if (strcmp(argv[i], "--dev-url") == 0 && has)
            o.dev = argv[++i];
        else if (strcmp(argv[i], "--sql") == 0)
            o.sql = true;
        else {
            fprintf(stderr, "schemac diff: unknown argument '%s'\n", argv[i]);
            usage();
            return 2;
        }
    }
    return sc_compile_run(&o);
}
