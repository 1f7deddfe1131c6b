/*
 * The tests' random numbers: splitmix64, seeded by the test, so that a
 * failing seed can be run again.
 */
#ifndef SCHEMAC_TESTS_RNG_H
#define SCHEMAC_TESTS_RNG_H

#include <stdbool.h>
#include <stdint.h>

static uint64_t rng_state;

static inline uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A number in [lo, hi], the whole int64_t range included. */
static inline int64_t range(int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    uint64_t off = span == UINT64_MAX ? rnd() : rnd() % (span + 1);
    return (int64_t)((uint64_t)lo + off);
}

static inline bool chance(int percent)
{
    return (int)(rnd() % 100) < percent;
}

#endif
