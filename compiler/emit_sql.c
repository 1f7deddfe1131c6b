/* The SQL emitter (see emit_sql.h). */
#include "emit_sql.h"

#include <string.h>

#include "ident.h"

/* Names of the hazard bits, in bit order (plan.h). */
static const char *const hazard_names[] = {
    "data_loss", "rewrite", "access_exclusive", "scan", "data_dependent", "non_transactional",
};

static const char *const risk_names[] = {"safe", "risky", "dangerous"};

void sc_hazards_words(sc_buf *out, unsigned hazards)
{
    const char *sep = "";
    for (size_t b = 0; b < sizeof hazard_names / sizeof *hazard_names; b++)
        if (hazards & (1u << b)) {
            sc_buf_printf(out, "%s%s", sep, hazard_names[b]);
            sep = ", ";
        }
}

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
        if (!plan->steps[i].transactional)
            return false;
    return true;
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
        sc_buf_printf(out, " (%s)\n", risk_names[sc_step_risk(s)]);
    }
}

/* The header both files share, up to the step list. */
static void header(sc_buf *out, const sc_plan *plan, const sc_emit_info *info, bool down)
{
    sc_buf_printf(out, "-- schemac migration %s (%s)\n--\n", info->name, down ? "down" : "up");
    sc_buf_printf(out, "-- from schema %s\n-- to schema   %s\n",
                  down ? info->to_hash : info->from_hash, down ? info->from_hash : info->to_hash);
    if (sc_plan_transactional(plan)) {
        sc_buf_puts(out, "-- transaction: one (every step runs in one transaction)\n");
    } else {
        sc_buf_puts(out, "-- transaction: several (steps ");
        const char *sep = "";
        for (size_t i = 0; i < plan->nsteps; i++)
            if (!plan->steps[i].transactional) {
                sc_buf_printf(out, "%s%zu", sep, i + 1);
                sep = ", ";
            }
        sc_buf_puts(out, " cannot run in a transaction block and run on their own)\n");
    }
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

/* SET lock_timeout / statement_timeout. */
static void settings(sc_buf *out)
{
    sc_buf_puts(out, "\nSET lock_timeout = '" SC_LOCK_TIMEOUT "';\n"
                     "SET statement_timeout = '" SC_STATEMENT_TIMEOUT "';\n");
}

/* Appends the steps' SQL: transactional runs in BEGIN/COMMIT. */
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
    bool open = false;
    for (size_t k = 0; k < plan->nsteps; k++) {
        size_t i = down ? plan->nsteps - 1 - k : k;
        const sc_step *s = &plan->steps[i];
        if (s->transactional && !open) {
            sc_buf_puts(out, "\nBEGIN;\n");
            open = true;
        } else if (!s->transactional && open) {
            sc_buf_puts(out, "\nCOMMIT;\n");
            open = false;
        }
        sc_buf_printf(out, "\n-- step %zu: %s%s%s\n", i + 1, down ? "undo: " : "", s->what,
                      s->transactional ? "" : " (outside a transaction)");
        sc_buf_puts(out, down ? s->down : s->up);
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
