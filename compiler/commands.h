/* The schemac commands; each takes the arguments after its name. */
#ifndef SC_COMMANDS_H
#define SC_COMMANDS_H

#include <stdbool.h>

#include "lock.h"
#include "source.h"

int sc_cmd_validate(int argc, char **argv);
int sc_cmd_fmt(int argc, char **argv);
int sc_cmd_print(int argc, char **argv);
int sc_cmd_pull(int argc, char **argv);
int sc_cmd_diff(int argc, char **argv);
int sc_cmd_compile(int argc, char **argv);
int sc_cmd_migrate(int argc, char **argv);
int sc_cmd_rollback(int argc, char **argv);
int sc_cmd_status(int argc, char **argv);
int sc_cmd_baseline(int argc, char **argv);
int sc_cmd_check(int argc, char **argv);
int sc_cmd_sum(int argc, char **argv);
int sc_cmd_gen(int argc, char **argv);

/* What `compile` and `diff` share: the options of one run. */
typedef struct sc_compile_opts {
    const char *cmd;    /* "compile" or "diff", for messages */
    const char *name;   /* -m NAME, or NULL */
    const char *schema; /* --schema DIR */
    const char *out;    /* --out DIR (schema.lock and migrations/) */
    const char *db;     /* --db URL, or NULL: compare with schema.lock */
    const char *dev;    /* --dev-url URL, or NULL: the private server */
    bool allow_loss, dry_run;
    bool diff; /* diff: print the plan (and with `sql` the up file), write nothing */
    bool sql;
    bool quiet; /* diff: print nothing, only the exit code tells */
} sc_compile_opts;

/* Runs compile (or diff) with `o`; returns the exit code. */
int sc_compile_run(const sc_compile_opts *o);

/* Whether the schema files `s` (read from directory `dir`) are exactly
 * those `lock` recorded, by path and hash. */
bool sc_compile_files_match(const sc_sources *s, const sc_lock *lock, const char *dir);

#endif
