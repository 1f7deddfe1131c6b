/* Benchmark schema generator (see gen.h). */
#include "gen.h"

#include <stdlib.h>
#include <time.h>

#include "buf.h"

char *sc_bench_schema(size_t ntables, size_t *len)
{
    sc_buf b = SC_BUF_INIT;
    sc_buf_puts(&b, "-- generated benchmark schema\n"
                    "enum entity_status ('draft', 'active', 'suspended', 'closed', 'archived')\n"
                    "enum currency_code ('usd', 'eur', 'gbp', 'jpy', 'chf')\n\n");
    for (size_t i = 0; i < ntables; i++) {
        sc_buf_printf(&b, "table entity_%05zu {\n", i);
        sc_buf_puts(&b, "  id bigint primary key generated always as identity\n");
        if (i > 0)
            sc_buf_printf(&b, "  parent_id bigint references entity_%05zu (id) on delete cascade\n",
                          (i * 7919) % i);
        else
            sc_buf_puts(&b, "  parent_id bigint\n");
        sc_buf_puts(&b,
                    "  code varchar(64) not null check (length(code) between 1 and 64)\n"
                    "  name text not null\n"
                    "  status entity_status not null default 'draft'\n"
                    "  currency currency_code not null default 'usd'\n"
                    "  amount numeric(14, 2) not null default 0 check (amount >= 0)\n"
                    "  fee_bps integer not null default 0 check (fee_bps between 0 and 10000)\n"
                    "  version bigint not null default 1\n"
                    "  weight double precision\n"
                    "  tags text[] not null default '{}'\n"
                    "  payload jsonb\n"
                    "  created_at timestamptz not null default now()\n"
                    "  updated_at timestamptz\n"
                    "  deleted_at timestamptz comment 'soft delete marker'\n"
                    "  unique (parent_id, code)\n"
                    "  check (updated_at is null or updated_at >= created_at)\n"
                    "  index (status, created_at desc) where deleted_at is null\n"
                    "  index (lower(name))\n"
                    "}\n\n");
    }
    *len = b.len;
    return sc_buf_detach(&b);
}

double sc_bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double sc_bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
