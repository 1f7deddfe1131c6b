/* Model construction and lookups (see model.h). */
#include "model.h"

#include <string.h>

#include "util.h"

sc_model *sc_model_new(void)
{
    sc_arena *arena = sc_arena_new();
    sc_model *m = sc_arena_alloc(arena, sizeof *m);
    m->arena = arena;
    return m;
}

void sc_model_free(sc_model *model)
{
    if (model != NULL)
        sc_arena_free(model->arena);
}

sc_schema *sc_model_add_schema(sc_model *m, const char *name)
{
    sc_schema *s = sc_arena_alloc(m->arena, sizeof *s);
    s->name = sc_arena_strdup(m->arena, name);
    s->ord = m->next_ord++;
    SC_PUSH(m->arena, m->schemas, m->nschemas, m->capschemas, s);
    return s;
}

sc_extension *sc_model_add_extension(sc_model *m, const char *name)
{
    sc_extension *e = sc_arena_alloc(m->arena, sizeof *e);
    e->name = sc_arena_strdup(m->arena, name);
    e->ord = m->next_ord++;
    SC_PUSH(m->arena, m->extensions, m->nextensions, m->capextensions, e);
    return e;
}

sc_enum *sc_model_add_enum(sc_model *m, const char *schema, const char *name)
{
    sc_enum *e = sc_arena_alloc(m->arena, sizeof *e);
    e->schema = sc_arena_strdup(m->arena, schema);
    e->name = sc_arena_strdup(m->arena, name);
    e->ord = m->next_ord++;
    SC_PUSH(m->arena, m->enums, m->nenums, m->capenums, e);
    return e;
}

sc_enum_label *sc_enum_add_label(sc_model *m, sc_enum *e, const char *value)
{
    if (e->nlabels == e->caplabels)
        e->labels = sc_arena_grow(m->arena, e->labels, e->nlabels, &e->caplabels, sizeof *e->labels);
    sc_enum_label *l = &e->labels[e->nlabels++];
    memset(l, 0, sizeof *l);
    l->value = sc_arena_strdup(m->arena, value);
    return l;
}

sc_table *sc_model_add_table(sc_model *m, const char *schema, const char *name)
{
    sc_table *t = sc_arena_alloc(m->arena, sizeof *t);
    t->schema = sc_arena_strdup(m->arena, schema);
    t->name = sc_arena_strdup(m->arena, name);
    t->ord = m->next_ord++;
    SC_PUSH(m->arena, m->tables, m->ntables, m->captables, t);
    return t;
}

sc_sequence *sc_model_add_sequence(sc_model *m, const char *schema, const char *name)
{
    sc_sequence *q = sc_arena_alloc(m->arena, sizeof *q);
    q->schema = sc_arena_strdup(m->arena, schema);
    q->name = sc_arena_strdup(m->arena, name);
    q->type = sc_arena_strdup(m->arena, "bigint");
    q->ord = m->next_ord++;
    SC_PUSH(m->arena, m->sequences, m->nsequences, m->capsequences, q);
    return q;
}

sc_collation *sc_model_add_collation(sc_model *m, const char *schema, const char *name)
{
    sc_collation *k = sc_arena_alloc(m->arena, sizeof *k);
    k->schema = sc_arena_strdup(m->arena, schema);
    k->name = sc_arena_strdup(m->arena, name);
    k->provider = SC_COLL_LIBC;
    k->ord = m->next_ord++;
    SC_PUSH(m->arena, m->collations, m->ncollations, m->capcollations, k);
    return k;
}

void sc_seqopts_normalise(sc_seqopts *o, const char *type)
{
    int64_t inc = o->has_increment ? o->increment : 1;
    int64_t typemax = strcmp(type, "smallint") == 0  ? INT16_MAX
                      : strcmp(type, "integer") == 0 ? INT32_MAX
                                                     : INT64_MAX;
    int64_t typemin = strcmp(type, "smallint") == 0  ? INT16_MIN
                      : strcmp(type, "integer") == 0 ? INT32_MIN
                                                     : INT64_MIN;
    int64_t defmin = inc > 0 ? 1 : typemin;
    int64_t defmax = inc > 0 ? typemax : -1;
    if (o->has_increment && o->increment == 1)
        o->has_increment = false;
    if (o->no_min || (o->has_min && o->min == defmin)) {
        o->has_min = false;
        o->no_min = false;
    }
    if (o->no_max || (o->has_max && o->max == defmax)) {
        o->has_max = false;
        o->no_max = false;
    }
    int64_t min = o->has_min ? o->min : defmin, max = o->has_max ? o->max : defmax;
    if (o->has_start && o->start == (inc > 0 ? min : max))
        o->has_start = false;
    if (o->has_cache && o->cache == 1)
        o->has_cache = false;
    if (o->has_cycle && !o->cycle)
        o->has_cycle = false;
}

sc_column *sc_table_add_column(sc_model *m, sc_table *t, const char *name, const char *type)
{
    sc_column *c = sc_arena_alloc(m->arena, sizeof *c);
    c->name = sc_arena_strdup(m->arena, name);
    c->type = sc_arena_strdup(m->arena, type);
    SC_PUSH(m->arena, t->columns, t->ncolumns, t->capcolumns, c);
    return c;
}

sc_constraint *sc_table_add_constraint(sc_model *m, sc_table *t, sc_con_kind kind)
{
    sc_constraint *c = sc_arena_alloc(m->arena, sizeof *c);
    c->kind = kind;
    c->match = SC_MATCH_SIMPLE;
    c->on_delete = SC_FK_NO_ACTION;
    c->on_update = SC_FK_NO_ACTION;
    c->ord = t->next_entry++;
    SC_PUSH(m->arena, t->constraints, t->nconstraints, t->capconstraints, c);
    return c;
}

sc_index *sc_table_add_index(sc_model *m, sc_table *t)
{
    sc_index *x = sc_arena_alloc(m->arena, sizeof *x);
    x->ord = t->next_entry++;
    SC_PUSH(m->arena, t->indexes, t->nindexes, t->capindexes, x);
    return x;
}

sc_unmanaged *sc_model_add_unmanaged(sc_model *m, const char *kind, const char *schema,
                                     const char *name)
{
    sc_unmanaged *u = sc_arena_alloc(m->arena, sizeof *u);
    u->kind = sc_arena_strdup(m->arena, kind);
    u->schema = sc_arena_strdup(m->arena, schema);
    u->name = sc_arena_strdup(m->arena, name);
    SC_PUSH(m->arena, m->unmanaged, m->nunmanaged, m->capunmanaged, u);
    return u;
}

void sc_trivia_add_lead(sc_model *m, sc_trivia *t, const char *text)
{
    char *s = sc_arena_strdup(m->arena, text);
    SC_PUSH(m->arena, t->lead, t->nlead, t->caplead, s);
}

static bool str_eq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Schema names compare equal; NULL stands for public. */
static bool same_schema(const char *a, const char *b)
{
    return str_eq(a != NULL ? a : "public", b != NULL ? b : "public");
}

sc_table *sc_model_find_table(const sc_model *m, const char *schema, const char *name)
{
    for (size_t i = 0; i < m->ntables; i++)
        if (same_schema(m->tables[i]->schema, schema) && str_eq(m->tables[i]->name, name))
            return m->tables[i];
    return NULL;
}

sc_enum *sc_model_find_enum(const sc_model *m, const char *schema, const char *name)
{
    for (size_t i = 0; i < m->nenums; i++)
        if (same_schema(m->enums[i]->schema, schema) && str_eq(m->enums[i]->name, name))
            return m->enums[i];
    return NULL;
}

sc_sequence *sc_model_find_sequence(const sc_model *m, const char *schema, const char *name)
{
    for (size_t i = 0; i < m->nsequences; i++)
        if (same_schema(m->sequences[i]->schema, schema) && str_eq(m->sequences[i]->name, name))
            return m->sequences[i];
    return NULL;
}

sc_collation *sc_model_find_collation(const sc_model *m, const char *schema, const char *name)
{
    for (size_t i = 0; i < m->ncollations; i++)
        if (same_schema(m->collations[i]->schema, schema) && str_eq(m->collations[i]->name, name))
            return m->collations[i];
    return NULL;
}

sc_column *sc_table_find_column(const sc_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (str_eq(t->columns[i]->name, name))
            return t->columns[i];
    return NULL;
}

sc_constraint *sc_table_primary_key(const sc_table *t)
{
    for (size_t i = 0; i < t->nconstraints; i++)
        if (t->constraints[i]->kind == SC_CON_PRIMARY)
            return t->constraints[i];
    return NULL;
}

char **sc_model_strv(sc_model *m, char *const *v, size_t n)
{
    char **out = sc_arena_alloc(m->arena, (n == 0 ? 1 : n) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = sc_arena_strdup(m->arena, v[i]);
    return out;
}

const char *sc_con_kind_name(sc_con_kind kind)
{
    switch (kind) {
    case SC_CON_PRIMARY: return "primary key";
    case SC_CON_UNIQUE: return "unique constraint";
    case SC_CON_FOREIGN: return "foreign key";
    case SC_CON_CHECK: return "check constraint";
    }
    return "constraint";
}

/* A string of `a`, or NULL for NULL. */
static char *dup_or_null(sc_arena *a, const char *s)
{
    return s != NULL ? sc_arena_strdup(a, s) : NULL;
}

/* Copies trivia into model `m`'s arena. */
static sc_trivia copy_trivia(sc_model *m, const sc_trivia *t)
{
    sc_trivia out = {.blank_after_lead = t->blank_after_lead,
                     .trail = dup_or_null(m->arena, t->trail)};
    for (size_t i = 0; i < t->nlead; i++)
        sc_trivia_add_lead(m, &out, t->lead[i]);
    return out;
}

sc_table *sc_table_copy(sc_model *dst, const sc_table *t)
{
    sc_arena *a = dst->arena;
    sc_table *c = sc_arena_alloc(a, sizeof *c);
    *c = *t;
    c->schema = dup_or_null(a, t->schema);
    c->name = dup_or_null(a, t->name);
    c->renamed_from = dup_or_null(a, t->renamed_from);
    c->comment = dup_or_null(a, t->comment);
    c->trivia = copy_trivia(dst, &t->trivia);
    c->comment_trivia = copy_trivia(dst, &t->comment_trivia);
    c->footer = copy_trivia(dst, &t->footer);
    c->columns = NULL;
    c->ncolumns = c->capcolumns = 0;
    c->constraints = NULL;
    c->nconstraints = c->capconstraints = 0;
    c->indexes = NULL;
    c->nindexes = c->capindexes = 0;

    for (size_t i = 0; i < t->ncolumns; i++) {
        const sc_column *tc = t->columns[i];
        sc_column *cc = sc_arena_alloc(a, sizeof *cc);
        *cc = *tc;
        cc->name = dup_or_null(a, tc->name);
        cc->type = dup_or_null(a, tc->type);
        cc->default_expr = dup_or_null(a, tc->default_expr);
        cc->generated_expr = dup_or_null(a, tc->generated_expr);
        cc->collation_schema = dup_or_null(a, tc->collation_schema);
        cc->collation = dup_or_null(a, tc->collation);
        cc->renamed_from = dup_or_null(a, tc->renamed_from);
        cc->comment = dup_or_null(a, tc->comment);
        cc->trivia = copy_trivia(dst, &tc->trivia);
        SC_PUSH(a, c->columns, c->ncolumns, c->capcolumns, cc);
    }
    for (size_t i = 0; i < t->nconstraints; i++) {
        const sc_constraint *tk = t->constraints[i];
        sc_constraint *ck = sc_arena_alloc(a, sizeof *ck);
        *ck = *tk;
        ck->name = dup_or_null(a, tk->name);
        ck->columns = sc_model_strv(dst, tk->columns, tk->ncolumns);
        ck->include = sc_model_strv(dst, tk->include, tk->ninclude);
        ck->ref_schema = dup_or_null(a, tk->ref_schema);
        ck->ref_table = dup_or_null(a, tk->ref_table);
        ck->ref_columns = sc_model_strv(dst, tk->ref_columns, tk->nref_columns);
        ck->delete_columns = sc_model_strv(dst, tk->delete_columns, tk->ndelete_columns);
        ck->expr = dup_or_null(a, tk->expr);
        ck->comment = dup_or_null(a, tk->comment);
        ck->trivia = copy_trivia(dst, &tk->trivia);
        SC_PUSH(a, c->constraints, c->nconstraints, c->capconstraints, ck);
    }
    for (size_t i = 0; i < t->nindexes; i++) {
        const sc_index *tx = t->indexes[i];
        sc_index *cx = sc_arena_alloc(a, sizeof *cx);
        *cx = *tx;
        cx->name = dup_or_null(a, tx->name);
        cx->method = dup_or_null(a, tx->method);
        cx->keys = sc_arena_alloc(a, (tx->nkeys == 0 ? 1 : tx->nkeys) * sizeof *cx->keys);
        for (size_t j = 0; j < tx->nkeys; j++) {
            const sc_index_key *tk = &tx->keys[j];
            sc_index_key *ck = &cx->keys[j];
            *ck = *tk;
            ck->column = dup_or_null(a, tk->column);
            ck->expr = dup_or_null(a, tk->expr);
            ck->colname = dup_or_null(a, tk->colname);
            ck->collation_schema = dup_or_null(a, tk->collation_schema);
            ck->collation = dup_or_null(a, tk->collation);
            ck->opclass_schema = dup_or_null(a, tk->opclass_schema);
            ck->opclass = dup_or_null(a, tk->opclass);
        }
        cx->include = sc_model_strv(dst, tx->include, tx->ninclude);
        cx->where = dup_or_null(a, tx->where);
        cx->comment = dup_or_null(a, tx->comment);
        cx->trivia = copy_trivia(dst, &tx->trivia);
        SC_PUSH(a, c->indexes, c->nindexes, c->capindexes, cx);
    }
    return c;
}
