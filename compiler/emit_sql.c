/* The SQL emitter (see emit_sql.h). */
#include "emit_sql.h"

#include <string.h>

#include "ident.h"

bool sc_plan_reversible(const sc_plan *plan)
{
    for (size_t i = 0; i < plan->nsteps; i++)
        if (plan->steps[i].down == NULL)
            return false;
    return true;
}

bool sc_plan_transactional(const sc_plan *plan)
{
    for (size_t i = 0; i < plan->nsteps; i++)
        if (!plan->steps[i].transactional || plan->steps[i].separate)
            return false;
    return true;
}

bool sc_sql_only_comments(const char *sql)
{
    while (sql != NULL && *sql != '\0') {
        while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r')
            sql++;
        if (*sql == '\0')
            break;
        if (strncmp(sql, "--", 2) != 0)
            return false;
        const char *nl = strchr(sql, '\n');
        if (nl == NULL)
            break;
        sql = nl + 1;
    }
    return true;
}

/* The SQL of step `s` in the file's direction. */
static const char *step_sql(const sc_step *s, bool down)
{
    return down ? s->down : s->up;
}

/* Appends the numbers of the steps (in the file's order) whose SQL there
 * is more than comments and that `pick` accepts; returns how many. */
static size_t step_numbers(sc_buf *out, const sc_plan *plan, bool down,
                           bool (*pick)(const sc_step *))
{
    size_t count = 0;
    for (size_t k = 0; k < plan->nsteps; k++) {
        size_t i = down ? plan->nsteps - 1 - k : k;
        const sc_step *s = &plan->steps[i];
        if (!pick(s) || sc_sql_only_comments(step_sql(s, down)))
            continue;
        sc_buf_printf(out, "%s%zu", count > 0 ? ", " : "", i + 1);
        count++;
    }
    return count;
}

static bool pick_non_transactional(const sc_step *s)
{
    return !s->transactional;
}

static bool pick_separate(const sc_step *s)
{
    return s->transactional && s->separate;
}

/* Appends `text` as comment lines, each starting with `prefix`. */
static void comment_lines(sc_buf *out, const char *prefix, const char *text)
{
    while (*text != '\0') {
        const char *nl = strchr(text, '\n');
        size_t n = nl != NULL ? (size_t)(nl - text) : strlen(text);
        sc_buf_puts(out, prefix);
        sc_buf_append(out, text, n);
        sc_buf_putc(out, '\n');
        text += n + (nl != NULL);
    }
}

/* Appends one header line per step: number, what, hazards, risk. */
static void step_lines(sc_buf *out, const sc_plan *plan, bool down)
{
    for (size_t k = 0; k < plan->nsteps; k++) {
        size_t i = down ? plan->nsteps - 1 - k : k;
        const sc_step *s = &plan->steps[i];
        sc_buf_printf(out, "--   %zu. %s%s", i + 1, down ? "undo: " : "", s->what);
        if (s->hazards != 0) {
            sc_buf_puts(out, " [");
            sc_hazards_words(out, s->hazards);
            sc_buf_putc(out, ']');
        }
        sc_buf_printf(out, " (%s)\n", sc_risk_name(sc_step_risk(s)));
    }
}

/* The header both files share, up to the step list. */
static void header(sc_buf *out, const sc_plan *plan, const sc_emit_info *info, bool down)
{
    sc_buf_printf(out, "-- schemac migration %s (%s)\n--\n", info->name, down ? "down" : "up");
    sc_buf_printf(out, "-- from schema %s\n-- to schema   %s\n",
                  down ? info->to_hash : info->from_hash, down ? info->from_hash : info->to_hash);
    sc_buf alone = SC_BUF_INIT, later = SC_BUF_INIT;
    size_t nalone = step_numbers(&alone, plan, down, pick_non_transactional);
    size_t nlater = step_numbers(&later, plan, down, pick_separate);
    if (nalone == 0 && nlater == 0) {
        sc_buf_puts(out, "-- transaction: one (every step runs in one transaction)\n");
    } else {
        sc_buf_puts(out, "-- transaction: several (");
        if (nalone > 0)
            sc_buf_printf(out, "step%s %s cannot run in a transaction block and run%s on %s own",
                          nalone > 1 ? "s" : "", sc_buf_str(&alone), nalone > 1 ? "" : "s",
                          nalone > 1 ? "their" : "its");
        if (nalone > 0 && nlater > 0)
            sc_buf_puts(out, "; ");
        if (nlater > 0)
            sc_buf_printf(out, "step%s %s start%s a new transaction after the steps before %s "
                               "have committed",
                          nlater > 1 ? "s" : "", sc_buf_str(&later), nlater > 1 ? "" : "s",
                          nlater > 1 ? "them" : "it");
        sc_buf_puts(out, ")\n");
    }
    sc_buf_free(&alone);
    sc_buf_free(&later);
    unsigned all = 0;
    for (size_t i = 0; i < plan->nsteps; i++)
        all |= plan->steps[i].hazards;
    sc_buf_puts(out, "-- hazards: ");
    if (all == 0)
        sc_buf_puts(out, "none");
    else
        sc_hazards_words(out, all);
    sc_buf_printf(out, "\n-- steps (%s order):\n", down ? "reverse" : "in");
    step_lines(out, plan, down);
}

/* SET lock_timeout / statement_timeout, and the search path the file's
 * names are written for (tables qualified, public's types and operator
 * classes not; without it a schema named after the connecting role, which
 * the default "$user", public puts first, would receive new extensions). */
static void settings(sc_buf *out)
{
    sc_buf_puts(out, "\nSET lock_timeout = '" SC_LOCK_TIMEOUT "';\n"
                     "SET statement_timeout = '" SC_STATEMENT_TIMEOUT "';\n"
                     "SET search_path = public;\n");
}

/*
 * Appends the preflights, then the steps' SQL: runs of transactional steps
 * in BEGIN/COMMIT, each non-transactional step alone between them, and a
 * COMMIT and a new BEGIN before a `separate` step unless the step before
 * it was separate too.  A step whose SQL in this direction is only
 * comments (the other direction does its work) is written where it falls
 * and neither opens nor closes a transaction.
 */
static void body(sc_buf *out, const sc_plan *plan, bool down)
{
    bool preflights = false;
    for (size_t k = 0; k < plan->nsteps; k++) {
        const sc_step *s = &plan->steps[down ? plan->nsteps - 1 - k : k];
        const char *p = down ? s->down_preflight : s->preflight;
        if (p == NULL)
            continue;
        if (!preflights)
            sc_buf_puts(out, "\n-- pre-flight checks: each fails before anything changes\n");
        preflights = true;
        sc_buf_puts(out, p);
    }
    bool open = false, last_separate = false;
    for (size_t k = 0; k < plan->nsteps; k++) {
        size_t i = down ? plan->nsteps - 1 - k : k;
        const sc_step *s = &plan->steps[i];
        const char *sql = step_sql(s, down);
        bool idle = sc_sql_only_comments(sql);
        const char *note = "";
        if (idle) {
            /* no statement: the transaction state stays as it is */
        } else if (!s->transactional) {
            if (open)
                sc_buf_puts(out, "\nCOMMIT;\n");
            open = false;
            note = " (outside a transaction)";
        } else if (!open) {
            sc_buf_puts(out, "\nBEGIN;\n");
            open = true;
            last_separate = s->separate;
            if (s->separate)
                note = " (in a transaction of its own, after the steps before it have committed)";
        } else if (s->separate && !last_separate) {
            sc_buf_puts(out, "\nCOMMIT;\n\nBEGIN;\n");
            last_separate = true;
            note = " (in a transaction of its own, after the steps before it have committed)";
        } else {
            last_separate = s->separate;
        }
        sc_buf_printf(out, "\n-- step %zu: %s%s%s\n", i + 1, down ? "undo: " : "", s->what,
                      note);
        sc_buf_puts(out, sql);
    }
    if (open)
        sc_buf_puts(out, "\nCOMMIT;\n");
}

void sc_emit_up(sc_buf *out, const sc_plan *plan, const sc_emit_info *info)
{
    header(out, plan, info, false);
    bool lossy = false;
    for (size_t i = 0; i < plan->nsteps; i++)
        lossy |= plan->steps[i].down_why != NULL && plan->steps[i].down != NULL;
    if (!sc_plan_reversible(plan))
        sc_buf_puts(out, "-- the down file cannot undo this migration (see its header)\n");
    else if (lossy)
        sc_buf_puts(out, "-- the down file restores the schema but not all data (see its header)\n");
    sc_buf_puts(out, "-- Written by schemac compile; do not edit (schemac.sum records its checksum).\n");
    settings(out);
    body(out, plan, false);
}

void sc_emit_down(sc_buf *out, const sc_plan *plan, const sc_emit_info *info)
{
    header(out, plan, info, true);
    const sc_step *none = NULL;
    bool lossy = false;
    for (size_t i = 0; i < plan->nsteps; i++) {
        const sc_step *s = &plan->steps[i];
        if (s->down == NULL && none == NULL)
            none = s;
        if (s->down_why != NULL) {
            if (!lossy)
                sc_buf_puts(out, "-- not restored by this file:\n");
            lossy = true;
            sc_buf_printf(out, "--   step %zu (%s): ", i + 1, s->what);
            comment_lines(out, "", s->down_why);
        }
    }
    sc_buf_puts(out, "-- Written by schemac compile; do not edit (schemac.sum records its checksum).\n");
    if (none != NULL) {
        /* Refuse to run at all: a partial rollback would leave a schema no
         * migration describes. */
        sc_buf msg = SC_BUF_INIT, lit = SC_BUF_INIT, tag = SC_BUF_INIT;
        sc_buf_printf(&msg, "schemac: migration %s cannot be rolled back: step \"%s\" has no inverse",
                      info->name, none->what);
        sc_sql_literal_append(&lit, sc_buf_str(&msg));
        /* A dollar quote whose tag the text does not contain. */
        sc_buf_puts(&tag, "$schemac$");
        for (int n = 1; strstr(sc_buf_str(&lit), sc_buf_str(&tag)) != NULL; n++) {
            sc_buf_reset(&tag);
            sc_buf_printf(&tag, "$schemac%d$", n);
        }
        sc_buf_printf(out, "\nDO %s BEGIN RAISE EXCEPTION '%%', %s; END %s;\n", sc_buf_str(&tag),
                      sc_buf_str(&lit), sc_buf_str(&tag));
        sc_buf_free(&msg);
        sc_buf_free(&lit);
        sc_buf_free(&tag);
        return;
    }
    settings(out);
    body(out, plan, true);
}
