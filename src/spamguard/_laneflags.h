/* Shared by the kernels that check lane bytes for obfuscation (_lanescan.c: the batch's flags; _deobscan.c: the
 * flags of each de-obfuscation round): lane.obfuscation_flags() written out. Each search of the Python code is a
 * scan of the bytes' classes in one of lane.py's tables, testing a needle only where its rarest byte is.
 */
#ifndef SPAMGUARD_LANEFLAGS_H
#define SPAMGUARD_LANEFLAGS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

enum { LEET = 1, ONUM = 2, SPACED = 4, REPEAT = 8 };

static inline int byte_in(unsigned char c, const char *set) { return c && strchr(set, c) != NULL; }

/* Each search below reads the class of a byte through its table as it goes (a pass writing the translated bytes
 * first cost as much again). */

/* Leet classes (lane._LEET_CLS) with a blank on each side: "a0a", "a00a", "aa0 ", " 0aa", "a@a". */
static inline int has_leet(const unsigned char *f, Py_ssize_t n, const unsigned char *leet)
{
#define AT(i) ((i) < 0 || (i) >= n ? ' ' : leet[f[i]])
    for (Py_ssize_t j = 0; j < n; j++) {
        unsigned char c = leet[f[j]];
        if (c == '0') {
            if (AT(j - 1) == 'a' && AT(j + 1) == 'a') return 1;
            if (AT(j - 1) == 'a' && AT(j + 1) == '0' && AT(j + 2) == 'a') return 1;
            if (AT(j - 2) == 'a' && AT(j - 1) == 'a' && AT(j + 1) == ' ') return 1;
            if (AT(j - 1) == ' ' && AT(j + 1) == 'a' && AT(j + 2) == 'a') return 1;
        } else if (c == '@' && AT(j - 1) == 'a' && AT(j + 1) == 'a') {
            return 1;
        }
    }
    return 0;
#undef AT
}

/* lane._DIGIT0 classes: "0o", "0.ooo", "0,ooo". */
static inline int has_o_in_number(const unsigned char *f, Py_ssize_t n, const unsigned char *digit0)
{
#define D(i) digit0[f[i]]
    for (Py_ssize_t j = 0; j + 1 < n; j++) {
        if (D(j) != '0') continue;
        if (D(j + 1) == 'o') return 1;
        if ((D(j + 1) == '.' || D(j + 1) == ',') && j + 4 < n && D(j + 2) == 'o' && D(j + 3) == 'o' && D(j + 4) == 'o')
            return 1;
    }
    return 0;
#undef D
}

/* lane._SPACED_CLS classes: "a a a a", and "a.a.a" with each of . - _ * | and ~ (the middle dot) */
static inline int has_spaced(const unsigned char *f, Py_ssize_t n, const unsigned char *spaced)
{
#define S(i) spaced[f[i]]
    for (Py_ssize_t j = 1; j + 3 < n; j++) {
        unsigned char sep = S(j);
        if (!(sep == ' ' || sep == '.' || sep == '-' || sep == '_' || sep == '*' || sep == '|' || sep == '~')) continue;
        if (S(j - 1) != 'a' || S(j + 1) != 'a' || S(j + 2) != sep || S(j + 3) != 'a') continue;
        if (sep != ' ' || (j + 5 < n && S(j + 4) == ' ' && S(j + 5) == 'a')) return 1;
    }
    return 0;
#undef S
}

static inline void translate(unsigned char *out, const unsigned char *f, Py_ssize_t n, const unsigned char *table)
{
    for (Py_ssize_t i = 0; i < n; i++) out[i] = table[f[i]];
}

/* The next run of lane.repeat_runs(f) found from *from on: 3+ of a vowel or 4+ of a consonant, not touching a
 * digit (the tables lane._LEFT and lane._RIGHT make equal neighbouring letters equal bytes). 1 with the run in
 * [*start, *end), else 0. */
static inline int next_repeat_run(const unsigned char *left, const unsigned char *right, const unsigned char *f,
                                  Py_ssize_t n, Py_ssize_t *from, Py_ssize_t *start, Py_ssize_t *end)
{
    Py_ssize_t i = *from;
    while (i + 2 < n) {
        if (left[f[i]] == right[f[i + 1]] && left[f[i + 1]] == right[f[i + 2]]) {
            unsigned char letter = f[i];
            Py_ssize_t e = i + 3;
            while (e < n && f[e] == letter) e++;
            int long_enough = e - i >= (byte_in(letter, "aeiouy") ? 3 : 4);
            int touches_digit = (i && byte_in(f[i - 1], "0123456789")) || (e < n && byte_in(f[e], "0123456789"));
            if (long_enough && !touches_digit) {
                *start = i;
                *from = *end = e;
                return 1;
            }
            i = e;  /* the next run starts at or after this one's end */
        } else {
            i++;
        }
    }
    *from = n;
    return 0;
}

/* lane.obfuscation_flags() of the accent-free lane bytes f[0:n], from lane.py's class tables. */
static inline int lane_flags(const unsigned char *f, Py_ssize_t n, const unsigned char *leet,
                             const unsigned char *digit0, const unsigned char *spaced, const unsigned char *left,
                             const unsigned char *right)
{
    int flags = 0;
    if (has_leet(f, n, leet)) flags |= LEET;
    if (has_o_in_number(f, n, digit0)) flags |= ONUM;
    if (has_spaced(f, n, spaced)) flags |= SPACED;
    Py_ssize_t from = 0, start, end;
    if (next_repeat_run(left, right, f, n, &from, &start, &end)) flags |= REPEAT;
    return flags;
}

#endif
