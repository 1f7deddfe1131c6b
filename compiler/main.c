/*
 * The schemac command line: the option table and dispatch to commands.
 * Exit codes: 0 success, 1 a check found differences (fmt --check),
 * 2 usage or schema errors, 3 the database cannot be reached or read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static void usage(FILE *out)
{
    fputs("usage: schemac <command> [options]\n"
          "\n"
          "commands:\n"
          "  validate [PATH...]       parse and check schema files (default: schema/)\n"
          "  fmt [--check] [PATH...]  rewrite schema files in canonical form;\n"
          "                           with --check, list files that are not canonical\n"
          "  print [PATH...]          print the canonical snapshot text of a schema\n"
          "  pull [--db URL] [--out DIR] [--single-file]\n"
          "                           read a database's schema into schema files\n"
          "                           (default DIR: schema/; --out - prints one file)\n"
          "  diff [--schema DIR] [--out DIR] [--db URL] [--dev-url URL] [--sql]\n"
          "                           print the plan from the database (or the last\n"
          "                           compiled snapshot) to the schema files (exit 1\n"
          "                           when they differ); writes nothing\n"
          "  compile [-m NAME] [--schema DIR] [--out DIR] [--db URL] [--dev-url URL]\n"
          "          [--allow-data-loss] [--dry-run]\n"
          "                           compile the schema files into the next proven\n"
          "                           up/down migration pair under OUT/migrations\n"
          "  gen [--schema DIR] [--out DIR]\n"
          "                           write the C header for the schema files to\n"
          "                           OUT/include/schema.h (no database needed)\n"
          "  migrate [--dry-run] [--to VERSION]\n"
          "                           apply pending migrations under the ledger\n"
          "  rollback [N]             run the down files of the last N migrations\n"
          "  status [--format json]   applied, pending and missing migrations\n"
          "  baseline --version N     record migrations up to N as applied, when the\n"
          "                           database already has that schema\n"
          "  check [--db URL] [--strict] [--format json]\n"
          "                           the CI gate: generated/ up to date, schemac.sum,\n"
          "                           applied files unchanged, the database without drift\n"
          "  sum [--dir DIR]          write schemac.sum for a directory of migrations\n"
          "                           (migrate, rollback, status, baseline, check take\n"
          "                           --db URL, --dir DIR (generated/migrations),\n"
          "                           --ledger SCHEMA.TABLE (schemac.migrations))\n"
          "  version                  print the version\n"
          "\n"
          "The database is --db URL (a postgresql:// URL or a libpq conninfo string),\n"
          "else $DATABASE_URL, else libpq's PG* environment and service files.\n"
          "\n"
          "Without --dev-url, schemac normalises and replays on a private PostgreSQL\n"
          "server it starts itself under ~/.cache/schemac and reuses.\n"
          "\n"
          "exit codes: 0 ok, 1 differences found or compile refused, 2 usage or schema errors,\n"
          "            3 the database cannot be reached or read\n",
          out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("schemac %s\n", SCHEMAC_VERSION);
        return 0;
    }
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } commands[] = {
        {"validate", sc_cmd_validate},
        {"fmt", sc_cmd_fmt},
        {"print", sc_cmd_print},
        {"pull", sc_cmd_pull},
        {"diff", sc_cmd_diff},
        {"compile", sc_cmd_compile},
        {"migrate", sc_cmd_migrate},
        {"rollback", sc_cmd_rollback},
        {"status", sc_cmd_status},
        {"baseline", sc_cmd_baseline},
        {"check", sc_cmd_check},
        {"sum", sc_cmd_sum},
        {"gen", sc_cmd_gen},
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 2, argv + 2);
    fprintf(stderr, "schemac: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return 2;
}
