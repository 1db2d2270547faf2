/* Compiled kernel of de-obfuscation (optional: spamguard.text.deobfuscate has the pure-Python definition).
 *
 * deobfuscate: spamguard.text.deobfuscate.deobfuscate() for a text in the lane (one byte per character, see
 * spamguard.text.lane): the same rounds of O-in-number and leetspeak edits, spaced or dotted letters and repeated
 * letters, with the same offsets, protected spans and counts. The regexes of deobfuscate.py are written out as
 * scans of the lane bytes, backtracking included where it can change a match (see each scan); every scan moves
 * forward, so a text costs time linear in its length. _unleet and split_syllables stay in Python (they read the
 * syllable tables and are cached there): the kernel calls them back where the Python code calls them, with the same
 * strings. The character classes come from deobfuscate.py (built from its regexes, one lane character at a time)
 * and the flag tables from lane.py, so the two definitions cannot drift apart.
 */
#include "_laneflags.h"
#include <stdlib.h>
#include <string.h>

/* Bits of the class table: \w, \d, [^\W\d_] (a letter), [^\W_], [\w@$!] (a token character), [0134@$!] (a leet
 * character), [0134@$] (one that may start leetspeak before a letter), [.\-_*·|] (a separator of dotted letters). */
enum { C_WORD = 1, C_DIGIT = 2, C_LETTER = 4, C_ALNUM = 8, C_TOKEN = 16, C_LEET = 32, C_LEET_START = 64, C_SEP = 128 };

typedef struct {
    unsigned char cls[256], fold[256], leet[256], digit0[256], spaced[256], left[256], right[256];
    Py_UCS4 chars[256];         /* the character of each lane byte */
    int d_stroke;               /* the lane byte of "đ", or -1 */
    PyObject *unleet, *split;   /* deobfuscate._unleet, syllable.split_syllables; borrowed from the arguments */
} Ctx;

#define IS(c, bit) (ctx->cls[(unsigned char)(c)] & (bit))

/* ---- the obfuscation flags (_laneflags.h, shared with _lanescan.c) ------------------------------------------ */

static int next_run(const Ctx *ctx, const unsigned char *f, Py_ssize_t n, Py_ssize_t *from, Py_ssize_t *start,
                    Py_ssize_t *end)
{
    return next_repeat_run(ctx->left, ctx->right, f, n, from, start, end);
}

/* lane.obfuscation_flags(folded). */
static int flags_of(const Ctx *ctx, const unsigned char *f, Py_ssize_t n)
{
    return lane_flags(f, n, ctx->leet, ctx->digit0, ctx->spaced, ctx->left, ctx->right);
}

/* ---- edits and protected spans ------------------------------------------------------------------------------ */

/* An edit (start, end, repl) of deobfuscate.py, repl being ``rlen`` copies of the lane byte ``byte``: every edit
 * the Python code makes has that form ("000", one letter, " ", ""). */
typedef struct { Py_ssize_t start, end, rlen; unsigned char byte; } Edit;
typedef struct { Edit *at; Py_ssize_t len, cap; } EditList;

static int push_edit(EditList *l, Py_ssize_t start, Py_ssize_t end, Py_ssize_t rlen, unsigned char byte)
{
    if (l->len == l->cap) {
        Py_ssize_t cap = l->cap ? 2 * l->cap : 16;
        if ((size_t)cap > PY_SSIZE_T_MAX / sizeof(Edit)) { PyErr_NoMemory(); return -1; }
        Edit *grown = PyMem_Realloc(l->at, (size_t)cap * sizeof(Edit));
        if (!grown) { PyErr_NoMemory(); return -1; }
        l->at = grown;
        l->cap = cap;
    }
    l->at[l->len++] = (Edit){start, end, rlen, byte};
    return 0;
}

/* Python's order of edit tuples: start, end, then the replacement strings (by code point, a prefix first). */
static int edit_cmp(const Ctx *ctx, const Edit *x, const Edit *y)
{
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    if (x->rlen == 0 || y->rlen == 0) return (x->rlen > 0) - (y->rlen > 0);
    Py_UCS4 a = ctx->chars[x->byte], b = ctx->chars[y->byte];
    if (a != b) return a < b ? -1 : 1;
    return (x->rlen > y->rlen) - (x->rlen < y->rlen);
}

/* out = sorted(a + b) for two sorted lists (Python's stable sort: a's edit first on a tie). */
static int merge_edits(const Ctx *ctx, const EditList *a, const EditList *b, EditList *out)
{
    Py_ssize_t i = 0, j = 0;
    out->len = 0;
    while (i < a->len || j < b->len) {
        const Edit *e = (j >= b->len || (i < a->len && edit_cmp(ctx, &a->at[i], &b->at[j]) <= 0)) ? &a->at[i++]
                                                                                                 : &b->at[j++];
        if (push_edit(out, e->start, e->end, e->rlen, e->byte) < 0) return -1;
    }
    return 0;
}

/* deobfuscate._dedupe, in place: keeps an edit when it starts at or after the end of the last one kept. */
static void dedupe(EditList *l)
{
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < l->len; i++)
        if (kept == 0 || l->at[i].start >= l->at[kept - 1].end) l->at[kept++] = l->at[i];
    l->len = kept;
}

typedef struct { Py_ssize_t s, e, k; } Span;

static int span_cmp(const void *a, const void *b)
{
    const Span *x = a, *y = b;
    if (x->s != y->s) return x->s < y->s ? -1 : 1;
    return (x->e > y->e) - (x->e < y->e);
}

/* deobfuscate._Protected.hits on spans sorted as tuples: the last span starting before ``end`` ends after
 * ``start`` (spans that overlap each other are read the same way as there). */
static int hits(const Span *p, Py_ssize_t m, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t lo = 0, hi = m;
    while (lo < hi) {  /* bisect_right(starts, end - 1) */
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (p[mid].s <= end - 1) lo = mid + 1;
        else hi = mid;
    }
    return lo > 0 && p[lo - 1].e > start;
}

/* ---- the state of one call ------------------------------------------------------------------------------- */

typedef struct {
    unsigned char *text, *text2;  /* the current text (n bytes) and the next one; the text never grows */
    unsigned char *work, *folded; /* scratch, n bytes each */
    unsigned char *marks;         /* scratch for the cuts of a run of letters */
    Py_ssize_t *idx, *idx2;       /* offsets as indices into the caller's offsets */
    void *block;                  /* the allocation all of the above are in (apply() swaps them) */
    Py_ssize_t n;
    Span *spans;                  /* the protected spans in the caller's order (k: that order) */
    Span *prot;                   /* a sorted copy (with the O-in-number edits for the leetspeak step); apply()
                                   * sorts the spans in it too: every step fills it first, so it holds m spans */
    Py_ssize_t m, prot_cap;
    EditList a, b, c;
    Py_ssize_t counts[3];         /* leet, spaced, repeat */
} State;

/* st->prot = sorted(spans + [(s, e) of each edit of ``extra``]); returns its length (-1 on error). */
static Py_ssize_t protect(State *st, const EditList *extra)
{
    Py_ssize_t k = st->m + (extra ? extra->len : 0);
    if (k > st->prot_cap) {
        if ((size_t)k > PY_SSIZE_T_MAX / sizeof(Span)) { PyErr_NoMemory(); return -1; }
        Span *grown = PyMem_Realloc(st->prot, (size_t)k * sizeof(Span));
        if (!grown) { PyErr_NoMemory(); return -1; }
        st->prot = grown;
        st->prot_cap = k;
    }
    if (st->m) memcpy(st->prot, st->spans, (size_t)st->m * sizeof(Span));
    for (Py_ssize_t i = st->m; i < k; i++)
        st->prot[i] = (Span){extra->at[i - st->m].start, extra->at[i - st->m].end, 0};
    if (k > 1) qsort(st->prot, (size_t)k, sizeof(Span), span_cmp);
    return k;
}

/* deobfuscate.apply_edits on sorted, non-overlapping edits, every one with end > start. */
static int apply(State *st, const EditList *edits)
{
    const Edit *ed = edits->at;
    Py_ssize_t k = edits->len, grow = 0;
    int same = 1;
    for (Py_ssize_t i = 0; i < k; i++) {
        if (ed[i].end - ed[i].start != ed[i].rlen) same = 0;
        grow += ed[i].rlen - (ed[i].end - ed[i].start);
    }
    if (same) {  /* same-length replacements: offsets and spans do not move */
        for (Py_ssize_t i = 0; i < k; i++) memset(st->text + ed[i].start, ed[i].byte, (size_t)ed[i].rlen);
        return 0;
    }
    if (grow > 0) {  /* (no step inserts: every replacement is at most as long as what it replaces) */
        PyErr_SetString(PyExc_SystemError, "_deobscan: an edit lengthens the text");
        return -1;
    }
    Py_ssize_t o = 0, last = 0;
    for (Py_ssize_t i = 0; i < k; i++) {
        Py_ssize_t start = ed[i].start, end = ed[i].end;
        if (start > last) {  /* text[last:start] (empty when an edit starts inside the previous one) */
            memcpy(st->text2 + o, st->text + last, (size_t)(start - last));
            memcpy(st->idx2 + o, st->idx + last, (size_t)(start - last) * sizeof(Py_ssize_t));
            o += start - last;
        }
        /* One character for a span keeps the offset of its start; more take one offset each, the last repeated. */
        for (Py_ssize_t j = 0; j < ed[i].rlen; j++) {
            Py_ssize_t from = ed[i].rlen == 1 ? start : start + (j < end - start - 1 ? j : end - start - 1);
            st->text2[o] = ed[i].byte;
            st->idx2[o++] = st->idx[from];
        }
        last = end;
    }
    if (st->n > last) {
        memcpy(st->text2 + o, st->text + last, (size_t)(st->n - last));
        memcpy(st->idx2 + o, st->idx + last, (size_t)(st->n - last) * sizeof(Py_ssize_t));
        o += st->n - last;
    }
    unsigned char *t = st->text;
    st->text = st->text2;
    st->text2 = t;
    Py_ssize_t *x = st->idx;
    st->idx = st->idx2;
    st->idx2 = x;
    st->n = o;
    if (st->m) {  /* each span moves back by what the edits ending at or before its start removed */
        for (Py_ssize_t i = 0; i < st->m; i++) {
            st->prot[i] = st->spans[i];
            st->prot[i].k = i;
        }
        qsort(st->prot, (size_t)st->m, sizeof(Span), span_cmp);
        Py_ssize_t shift = 0, i = 0;
        for (Py_ssize_t j = 0; j < st->m; j++) {
            Span sp = st->prot[j];
            while (i < k && ed[i].end <= sp.s) {
                shift += (ed[i].end - ed[i].start) - ed[i].rlen;
                i++;
            }
            st->spans[sp.k].s = sp.s - shift;
            st->spans[sp.k].e = sp.e - shift;
        }
    }
    return 0;
}

/* The lane byte of a character, or -1 when it is not one of the lane's. */
static int lane_byte(const Ctx *ctx, Py_UCS4 c)
{
    if (c < 128 && ctx->chars[c] == c) return (int)c;
    for (int b = 0; b < 256; b++)
        if (ctx->chars[b] == c) return b;
    return -1;
}

/* lane.decode(p[:n]): the str of the lane characters of the bytes (a compact str of the narrowest kind). */
static PyObject *decode(const Ctx *ctx, const unsigned char *p, Py_ssize_t n)
{
    Py_UCS4 widest = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (ctx->chars[p[i]] > widest) widest = ctx->chars[p[i]];
    PyObject *str = PyUnicode_New(n, widest);
    if (!str) return NULL;
    int kind = PyUnicode_KIND(str);
    void *data = PyUnicode_DATA(str);
    if (widest < 128) memcpy(data, p, (size_t)n);  /* the lane's ASCII bytes are ASCII */
    else
        for (Py_ssize_t i = 0; i < n; i++) PyUnicode_WRITE(kind, data, i, ctx->chars[p[i]]);
    return str;
}

/* ---- the steps ------------------------------------------------------------------------------------------ */

/* _O_IN_NUMBER's look-ahead after the o's of "(?<![^\W_])\d+(o+)": a digit, "%", "k" not before a letter, "đ", or
 * no letter. (Backing off the o's or digits cannot help: an "o" is a letter, and o+ cannot start on a digit.) */
static int o_end_ok(const Ctx *ctx, const unsigned char *t, Py_ssize_t n, Py_ssize_t r)
{
    if (r >= n) return 1;
    unsigned char c = t[r];
    if (IS(c, C_DIGIT) || c == '%' || (int)c == ctx->d_stroke || !IS(c, C_LETTER)) return 1;
    return c == 'k' && (r + 1 >= n || !IS(t[r + 1], C_LETTER));
}

/* deobfuscate.o_number_edits: _O_IN_NUMBER.finditer, edits on the o's of each match not protected. */
static int o_number_edits(const Ctx *ctx, State *st, const Span *prot, Py_ssize_t np, EditList *out)
{
    const unsigned char *t = st->text;
    Py_ssize_t n = st->n, p = 0;
    out->len = 0;
    while (p < n) {
        Py_ssize_t s = -1, e = -1;
        if (IS(t[p], C_DIGIT)) {
            if (p == 0 || !IS(t[p - 1], C_ALNUM)) {  /* first alternative; (?<![^\W_]) */
                Py_ssize_t q = p, r;
                while (q < n && IS(t[q], C_DIGIT)) q++;
                for (r = q; r < n && t[r] == 'o'; r++) {}
                if (r > q && o_end_ok(ctx, t, n, r)) s = q, e = r;
            }
        } else if (t[p] == 'o' && p >= 2 && IS(t[p - 2], C_DIGIT) && (t[p - 1] == '.' || t[p - 1] == ',')
                   && p + 2 < n && t[p + 1] == 'o' && t[p + 2] == 'o' && (p + 3 >= n || !IS(t[p + 3], C_LETTER))) {
            s = p, e = p + 3;  /* "(?<=\d[.,])(ooo)(?![^\W\d_])" */
        }
        if (s < 0) {
            p++;
            continue;
        }
        if (!hits(prot, np, s, e) && push_edit(out, s, e, e - s, '0') < 0) return -1;
        p = e;  /* (the match ends where its group does) */
    }
    return 0;
}

/* deobfuscate.leet_edits (with _leet_tokens): each _LEET_AT match, the token around it, _unleet called back. */
static int leet_edits(const Ctx *ctx, State *st, const Span *prot, Py_ssize_t np, EditList *out)
{
    const unsigned char *t = st->text;
    Py_ssize_t n = st->n, done = 0, q = 0;
    out->len = 0;
    while (q < n) {
        unsigned char c = t[q];
        /* [0134@$!](?:(?<=[^\W\d_].)|(?<=[0134@$])(?=[^\W\d_])) */
        if (!(IS(c, C_LEET) && ((q >= 1 && IS(t[q - 1], C_LETTER))
                                || (IS(c, C_LEET_START) && q + 1 < n && IS(t[q + 1], C_LETTER))))) {
            q++;
            continue;
        }
        Py_ssize_t pos = q, end = q + 1, start = done;
        while (end < n && IS(t[end], C_TOKEN)) end++;  /* [\w@$!]* */
        for (Py_ssize_t j = pos - 1; j >= done; j--)   /* _TOKEN_BACK.match(text, done, pos) */
            if (!IS(t[j], C_TOKEN)) {
                start = j + 1;
                break;
            }
        done = q = end;
        while (end > start && t[end - 1] == '!' && end - 1 > start && t[end - 2] == '!') end--;  /* "!!!" */
        if (hits(prot, np, start, end)) continue;
        PyObject *token = decode(ctx, t + start, end - start);
        if (!token) return -1;
        PyObject *fixed = PyObject_CallOneArg(ctx->unleet, token);
        Py_DECREF(token);
        if (!fixed) return -1;
        if (fixed == Py_None) {
            Py_DECREF(fixed);
            continue;
        }
        if (!PyUnicode_Check(fixed)) {
            Py_DECREF(fixed);
            PyErr_SetString(PyExc_TypeError, "_unleet must return a str or None");
            return -1;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(fixed);
        int kind = PyUnicode_KIND(fixed);
        const void *data = PyUnicode_DATA(fixed);
        for (Py_ssize_t i = 0; i < len && i < end - start; i++) {  /* zip(token, fixed) */
            Py_UCS4 b = PyUnicode_READ(kind, data, i);
            if (b == ctx->chars[t[start + i]]) continue;
            int byte = lane_byte(ctx, b);
            if (byte < 0) {
                Py_DECREF(fixed);
                PyErr_SetString(PyExc_ValueError, "_unleet gave a character outside the lane");
                return -1;
            }
            if (push_edit(out, start + i, start + i + 1, 1, (unsigned char)byte) < 0) {
                Py_DECREF(fixed);
                return -1;
            }
        }
        Py_DECREF(fixed);
    }
    return 0;
}

/* The end of a match of _SPACED at s, or -1: "[^\W\d_](?<!\w.)(?: [^\W\d_]){3,}(?!\w)". When the longest run is
 * followed by a word character, the regex gives back one group (a blank then follows): possible from 4 groups. */
static Py_ssize_t spaced_at(const Ctx *ctx, const unsigned char *t, Py_ssize_t n, Py_ssize_t s)
{
    if (!IS(t[s], C_LETTER) || (s > 0 && IS(t[s - 1], C_WORD))) return -1;
    Py_ssize_t p = s + 1, groups = 0;
    while (p + 1 < n && t[p] == ' ' && IS(t[p + 1], C_LETTER)) {
        p += 2;
        groups++;
    }
    if (groups < 3) return -1;
    if (p < n && IS(t[p], C_WORD)) {
        if (groups == 3) return -1;
        p -= 2;
    }
    return p;
}

/* The end of a match of _DOTTED at s, or -1: "[^\W\d_](?<!\w.)([.\-_*·|])[^\W\d_](?:\1[^\W\d_])+(?!\w)". Giving
 * back a group leaves the separator next: that helps unless it is "_", a word character itself. */
static Py_ssize_t dotted_at(const Ctx *ctx, const unsigned char *t, Py_ssize_t n, Py_ssize_t s)
{
    if (!IS(t[s], C_LETTER) || (s > 0 && IS(t[s - 1], C_WORD))) return -1;
    if (s + 2 >= n || !IS(t[s + 1], C_SEP) || !IS(t[s + 2], C_LETTER)) return -1;
    unsigned char sep = t[s + 1];
    Py_ssize_t p = s + 3, groups = 0;
    while (p + 1 < n && t[p] == sep && IS(t[p + 1], C_LETTER)) {
        p += 2;
        groups++;
    }
    if (groups < 1) return -1;
    if (p < n && IS(t[p], C_WORD)) {
        if (groups == 1 || IS(sep, C_WORD)) return -1;
        p -= 2;
    }
    return p;
}

/* The edits of one run of letters t[s:e] (a letter every two characters): split_syllables called back on its
 * accent-free letters, a blank where it cuts, nothing elsewhere. */
static int run_edits(const Ctx *ctx, State *st, Py_ssize_t s, Py_ssize_t e, EditList *out)
{
    const unsigned char *t = st->text;
    Py_ssize_t count = (e - s + 1) / 2;
    for (Py_ssize_t i = 0; i < count; i++) {
        st->work[i] = ctx->fold[t[s + 2 * i]];
        st->marks[i] = 0;
    }
    PyObject *letters = decode(ctx, st->work, count);
    if (!letters) return -1;
    PyObject *cuts = PyObject_CallOneArg(ctx->split, letters);
    Py_DECREF(letters);
    if (!cuts) return -1;
    int truth = PyObject_IsTrue(cuts);  /* `or ()` */
    if (truth > 0) {
        PyObject *fast = PySequence_Fast(cuts, "split_syllables must return a tuple of ints or None");
        if (!fast) {
            Py_DECREF(cuts);
            return -1;
        }
        for (Py_ssize_t j = 0; j < PySequence_Fast_GET_SIZE(fast); j++) {
            PyObject *item = PySequence_Fast_GET_ITEM(fast, j);
            if (!PyLong_Check(item)) {
                PyErr_SetString(PyExc_TypeError, "split_syllables must return ints");
                Py_DECREF(fast);
                Py_DECREF(cuts);
                return -1;
            }
            int overflow;
            long long cut = PyLong_AsLongLongAndOverflow(item, &overflow);  /* (a huge int is no cut either) */
            if (!overflow && cut > 0 && cut < count) st->marks[cut] = 1;
        }
        Py_DECREF(fast);
    }
    Py_DECREF(cuts);
    if (truth < 0) return -1;
    for (Py_ssize_t i = 1; i < count; i++) {
        Py_ssize_t sep = s + 2 * i - 1;
        if (push_edit(out, sep, sep + 1, st->marks[i] ? 1 : 0, ' ') < 0) return -1;
    }
    return 0;
}

/* One regex of deobfuscate.spaced_edits: its finditer (the next search starts where a match ends), runs counted. */
static int spaced_runs(const Ctx *ctx, State *st, int dotted, const Span *prot, Py_ssize_t np, EditList *out,
                       Py_ssize_t *runs)
{
    const unsigned char *t = st->text;
    Py_ssize_t n = st->n, s = 0;
    out->len = 0;
    while (s + 1 < n) {
        unsigned char next = t[s + 1];  /* cheap filter: every match has a separator second */
        Py_ssize_t e = -1;
        if (dotted ? IS(next, C_SEP) != 0 : next == ' ') e = dotted ? dotted_at(ctx, t, n, s) : spaced_at(ctx, t, n, s);
        if (e < 0) {
            s++;
            continue;
        }
        if (!hits(prot, np, s, e)) {
            ++*runs;
            if (run_edits(ctx, st, s, e, out) < 0) return -1;
        }
        s = e;
    }
    return 0;
}

/* deobfuscate.repeat_edits: lane.repeat_runs of the folded text, each run not protected shortened to its first
 * letter. */
static int repeat_edits(const Ctx *ctx, State *st, const Span *prot, Py_ssize_t np, EditList *out)
{
    Py_ssize_t from = 0, start, end;
    translate(st->folded, st->text, st->n, ctx->fold);
    out->len = 0;
    while (next_run(ctx, st->folded, st->n, &from, &start, &end))
        if (!hits(prot, np, start, end) && push_edit(out, start + 1, end, 0, 0) < 0) return -1;
    return 0;
}

/* One round of deobfuscate.deobfuscate's loop; returns whether an edit was applied (-1 on error). */
static int round_of(const Ctx *ctx, State *st, int flags)
{
    int changed = 0;
    if (flags & (LEET | ONUM)) {
        Py_ssize_t np = protect(st, NULL);
        if (np < 0) return -1;
        st->a.len = st->b.len = 0;
        if ((flags & ONUM) && o_number_edits(ctx, st, st->prot, np, &st->a) < 0) return -1;
        if (flags & LEET) {  /* the O-in-number edits are protected from leetspeak */
            np = protect(st, &st->a);
            if (np < 0 || leet_edits(ctx, st, st->prot, np, &st->b) < 0) return -1;
        }
        if (st->a.len + st->b.len) {
            st->counts[0] += st->a.len + st->b.len;
            if (merge_edits(ctx, &st->a, &st->b, &st->c) < 0) return -1;
            dedupe(&st->c);
            if (apply(st, &st->c) < 0) return -1;
            changed = 1;
        }
    }
    if (flags & SPACED) {
        Py_ssize_t np = protect(st, NULL), runs = 0;
        if (np < 0 || spaced_runs(ctx, st, 0, st->prot, np, &st->a, &runs) < 0
            || spaced_runs(ctx, st, 1, st->prot, np, &st->b, &runs) < 0)
            return -1;
        if (st->a.len + st->b.len) {
            st->counts[1] += runs;
            if (merge_edits(ctx, &st->a, &st->b, &st->c) < 0 || apply(st, &st->c) < 0) return -1;
            changed = 1;
        }
    }
    if (flags & REPEAT) {
        Py_ssize_t np = protect(st, NULL);
        if (np < 0 || repeat_edits(ctx, st, st->prot, np, &st->a) < 0) return -1;
        if (st->a.len) {
            st->counts[2] += st->a.len;
            if (apply(st, &st->a) < 0) return -1;
            changed = 1;
        }
    }
    return changed;
}

/* ---- arguments ------------------------------------------------------------------------------------------ */

static int read_tables(PyObject *tables, Ctx *ctx)
{
    if (PyTuple_GET_SIZE(tables) != 8) {
        PyErr_SetString(PyExc_TypeError, "tables must be (classes, fold, leet, digit0, spaced, left, right, decode)");
        return -1;
    }
    unsigned char *slots[7] = {ctx->cls, ctx->fold, ctx->leet, ctx->digit0, ctx->spaced, ctx->left, ctx->right};
    for (int k = 0; k < 7; k++) {
        PyObject *table = PyTuple_GET_ITEM(tables, k);
        if (!PyBytes_Check(table) || PyBytes_GET_SIZE(table) != 256) {
            PyErr_SetString(PyExc_TypeError, "class tables must be bytes of length 256");
            return -1;
        }
        memcpy(slots[k], PyBytes_AS_STRING(table), 256);
    }
    PyObject *chars = PyTuple_GET_ITEM(tables, 7);
    if (!PyUnicode_Check(chars) || PyUnicode_GET_LENGTH(chars) != 256) {
        PyErr_SetString(PyExc_TypeError, "decode must be a str of the lane's 256 characters");
        return -1;
    }
    ctx->d_stroke = -1;
    for (int b = 0; b < 256; b++) {
        ctx->chars[b] = PyUnicode_READ_CHAR(chars, b);
        /* The scans compare ASCII bytes with ASCII characters, and decode() copies ASCII bytes as they are. */
        if (b < 128 ? ctx->chars[b] != (Py_UCS4)b : ctx->chars[b] < 128) {
            PyErr_SetString(PyExc_ValueError, "the lane's first 128 characters must be ASCII, and only those");
            return -1;
        }
        if (ctx->chars[b] == 0x111 && ctx->d_stroke < 0) ctx->d_stroke = b;  /* "đ" */
    }
    return 0;
}

/* The protected spans: a list of (start, end) tuples of ints with 0 <= start <= end <= n. */
static int read_spans(PyObject *spans, Py_ssize_t n, State *st)
{
    Py_ssize_t m = PyList_GET_SIZE(spans);
    st->spans = PyMem_Malloc((size_t)(m ? m : 1) * sizeof(Span));
    if (!st->spans) { PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < m; i++) {
        PyObject *span = PyList_GET_ITEM(spans, i);
        if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2 || !PyLong_Check(PyTuple_GET_ITEM(span, 0))
            || !PyLong_Check(PyTuple_GET_ITEM(span, 1))) {
            PyErr_SetString(PyExc_TypeError, "spans must be (start, end) tuples of ints");
            return -1;
        }
        Py_ssize_t s = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0)), e = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
        if ((s == -1 || e == -1) && PyErr_Occurred()) return -1;
        if (s < 0 || s > e || e > n) {
            PyErr_SetString(PyExc_ValueError, "a span is not within the text");
            return -1;
        }
        st->spans[i] = (Span){s, e, i};
    }
    st->m = m;
    return 0;
}

/* (text, offsets, spans, leet, spaced, repeat). The offsets are the items of the caller's list: read only now
 * (no Python code runs from here on), after checking that the callbacks left its length alone. */
static PyObject *build_result(const Ctx *ctx, State *st, PyObject *original, Py_ssize_t n)
{
    if (PyList_GET_SIZE(original) != n) {
        PyErr_SetString(PyExc_RuntimeError, "the offsets list changed size during deobfuscate()");
        return NULL;
    }
    PyObject *out = PyTuple_New(6), *offsets = PyList_New(st->n), *spans = PyList_New(st->m), *item;
    if (!out || !offsets || !spans) goto fail;
    PyTuple_SET_ITEM(out, 1, offsets);
    PyTuple_SET_ITEM(out, 2, spans);
    offsets = spans = NULL;
    PyObject *offset_list = PyTuple_GET_ITEM(out, 1), *span_list = PyTuple_GET_ITEM(out, 2);
    for (Py_ssize_t i = 0; i < st->n; i++) {
        item = PyList_GET_ITEM(original, st->idx[i]);
        Py_INCREF(item);
        PyList_SET_ITEM(offset_list, i, item);
    }
    for (Py_ssize_t i = 0; i < st->m; i++) {
        PyObject *span = PyTuple_New(2);
        if (!span) goto fail;
        PyList_SET_ITEM(span_list, i, span);
        if (!(item = PyLong_FromSsize_t(st->spans[i].s))) goto fail;
        PyTuple_SET_ITEM(span, 0, item);
        if (!(item = PyLong_FromSsize_t(st->spans[i].e))) goto fail;
        PyTuple_SET_ITEM(span, 1, item);
    }
    if (!(item = decode(ctx, st->text, st->n))) goto fail;
    PyTuple_SET_ITEM(out, 0, item);
    for (int k = 0; k < 3; k++) {
        if (!(item = PyLong_FromSsize_t(st->counts[k]))) goto fail;
        PyTuple_SET_ITEM(out, 3 + k, item);
    }
    return out;
fail:  /* (a tuple or list with NULL items is freed fine) */
    Py_XDECREF(out);
    Py_XDECREF(offsets);
    Py_XDECREF(spans);
    return NULL;
}

/* The tables of the last call, read once: the slow path calls once per message with the same tuple. The tuple is
 * kept alive with them; each call copies them (a callback may call again with other tables). */
static PyObject *cached_tables = NULL;
static Ctx cached_ctx;

static int ctx_for(PyObject *tables, Ctx *ctx)
{
    if (tables != cached_tables) {
        if (read_tables(tables, ctx) < 0) return -1;
        cached_ctx = *ctx;
        Py_INCREF(tables);
        Py_XSETREF(cached_tables, tables);
        return 0;
    }
    *ctx = cached_ctx;
    return 0;
}

/* The flags argument: None (compute them) or the 4 flags (leet, O in number, spaced, repeated), read as the
 * Python code reads them (their truth). Returns the mask, -1 for None, -2 on error. */
static int flags_arg(PyObject *flags)
{
    if (flags == Py_None) return -1;
    if (!PyTuple_Check(flags) || PyTuple_GET_SIZE(flags) != 4) {
        PyErr_SetString(PyExc_ValueError, "flags must be None or a tuple of 4 flags");
        return -2;
    }
    int mask = 0;
    for (int k = 0; k < 4; k++) {
        int truth = PyObject_IsTrue(PyTuple_GET_ITEM(flags, k));
        if (truth < 0) return -2;
        mask |= truth << k;
    }
    return mask;
}

static PyObject *deobfuscate(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "deobfuscate() takes 7 arguments");
        return NULL;
    }
    /* (the arguments are the caller's references, alive for the call: data's bytes are read in place) */
    PyObject *data = args[0], *offsets = args[1], *spans = args[2], *flags_obj = args[3], *tables = args[4];
    PyObject *unleet = args[5], *split = args[6];
    if (!PyBytes_Check(data) || !PyList_Check(offsets) || !PyList_Check(spans) || !PyTuple_Check(tables)) {
        PyErr_SetString(PyExc_TypeError, "deobfuscate(data: bytes, offsets: list, spans: list, flags, tables: tuple, "
                                         "unleet, split_syllables)");
        return NULL;
    }
    PyObject *result = NULL;
    State st;
    memset(&st, 0, sizeof st);
    Ctx ctx;
    Py_ssize_t n = PyBytes_GET_SIZE(data);
    int flags;
    if (ctx_for(tables, &ctx) < 0) goto done;
    if (!PyCallable_Check(unleet) || !PyCallable_Check(split)) {
        PyErr_SetString(PyExc_TypeError, "unleet and split_syllables must be callable");
        goto done;
    }
    ctx.unleet = unleet;
    ctx.split = split;
    if ((flags = flags_arg(flags_obj)) == -2) goto done;
    if (PyList_GET_SIZE(offsets) != n) {
        PyErr_SetString(PyExc_ValueError, "offsets must have one item per character of the text");
        goto done;
    }
    if (read_spans(spans, n, &st) < 0) goto done;
    /* One block: the two index arrays, then the five byte buffers (the text never grows). */
    if ((size_t)n + 1 > PY_SSIZE_T_MAX / (2 * sizeof(Py_ssize_t) + 5)) {
        PyErr_NoMemory();
        goto done;
    }
    size_t size = (size_t)n + 1;
    st.block = st.idx = PyMem_Malloc(size * (2 * sizeof(Py_ssize_t) + 5));
    if (!st.block) {
        PyErr_NoMemory();
        goto done;
    }
    st.idx2 = st.idx + size;
    st.text = (unsigned char *)(st.idx2 + size);
    st.text2 = st.text + size;
    st.work = st.text2 + size;
    st.folded = st.work + size;
    st.marks = st.folded + size;
    memcpy(st.text, PyBytes_AS_STRING(data), (size_t)n);
    for (Py_ssize_t i = 0; i < n; i++) st.idx[i] = i;
    st.n = n;
    int any = 0;
    for (int r = 0; r < 4; r++) {
        int round_flags = flags;
        if (r > 0 || flags < 0) {  /* step_flags(): lane.obfuscation_flags(lane.fold(data)) */
            translate(st.folded, st.text, st.n, ctx.fold);
            round_flags = flags_of(&ctx, st.folded, st.n);
        }
        int changed = round_of(&ctx, &st, round_flags);
        if (changed < 0) goto done;
        if (!changed) break;
        any = 1;
    }
    if (!any) {  /* nothing undone: the caller returns its own arguments, as the Python code does */
        result = Py_None;
        Py_INCREF(result);
    } else {
        result = build_result(&ctx, &st, offsets, n);
    }
done:
    PyMem_Free(st.block);
    PyMem_Free(st.spans);
    PyMem_Free(st.prot);
    PyMem_Free(st.a.at);
    PyMem_Free(st.b.at);
    PyMem_Free(st.c.at);
    return result;
}

static PyMethodDef methods[] = {
    {"deobfuscate", (PyCFunction)(void (*)(void))deobfuscate, METH_FASTCALL,
     "deobfuscate(data, offsets, spans, flags, tables, unleet, split_syllables) -> None | tuple\n\n"
     "spamguard.text.deobfuscate.deobfuscate() of the text whose lane bytes are ``data``: (text, offsets, spans,\n"
     "leet, spaced, repeat) with the counts to add, or None when nothing was undone. ``offsets`` is a list of one\n"
     "item per character, ``spans`` a list of (start, end) tuples; ``flags`` None (computed) or a tuple of 4 flags\n"
     "(leetspeak, O in a number, spaced, repeated letters); ``tables`` (classes, fold, leet, digit0, spaced, left,\n"
     "right, decode) as deobfuscate.py builds them; ``unleet`` and ``split_syllables`` are called back."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "spamguard._deobscan",
                                    "Compiled kernel of de-obfuscation.", -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__deobscan(void) { return PyModule_Create(&module); }
