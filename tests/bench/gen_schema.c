/* Writes the benchmark schema for N tables (default 2000) to stdout. */
#include <stdio.h>
#include <stdlib.h>

#include "gen.h"

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 2000;
    size_t len;
    char *text = sc_bench_schema(n, &len);
    fwrite(text, 1, len, stdout);
    free(text);
    return 0;
}
