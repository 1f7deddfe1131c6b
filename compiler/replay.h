/*
 * Proof by replay: a new migration pair is written only after it worked on
 * a scratch database.  The scratch database starts from the migration
 * history (every earlier up file, which must reach the previous snapshot's
 * schema hash) or, when compiling against a live database, from that
 * database's schema created by the DDL printer.  Then the new up file runs
 * (the catalog must hash to the desired schema), the down file (back to
 * the previous hash) and the up file again.  The scratch database is
 * dropped afterwards, whatever happened.
 */
#ifndef SC_REPLAY_H
#define SC_REPLAY_H

#include "buf.h"
#include "migrations.h"
#include "model.h"

typedef struct sc_replay {
    const char *server;            /* conninfo of a server where databases may be created */
    const sc_migrations *history;  /* earlier migrations, replayed first... */
    const sc_model *start;         /* ...unless this is set: the starting schema */
    const sc_model *from, *to;     /* the schemas before and after the new migration */
    const char *up, *down;         /* the new files; down NULL when the plan has no inverse */
} sc_replay;

typedef struct sc_replay_stats {
    double seconds;
    size_t statements;
} sc_replay_stats;

/*
 * Runs the proof.  Returns 0, or -1 after one line in `err` saying what
 * diverged: which file and step failed with the server's message, or
 * which object of the schema differs after a file ran; `*connect_failed`
 * is set when the server could not be reached.
 */
int sc_replay_prove(const sc_replay *r, sc_replay_stats *stats, int *connect_failed, sc_buf *err);

/*
 * The schema hash of `read` (a catalog just read) as `ref` counts it:
 * extension schemas and versions that `ref` leaves open (NULL) are not
 * compared.  Changes `read`.
 */
void sc_hash_like(char out[33], sc_model *read, const sc_model *ref);

#endif
