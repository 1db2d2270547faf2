/* Compiled kernel of the entity scanner (optional: spamguard.text.entities falls back to pure Python without it).
 *
 * anchors(low, settle): the matches of entity_patterns.anchor() over ``low``, in order, as finditer gives them:
 *   (start, end, unit_start, unit, sub) per match; unit_start is -1 (unit and sub None) unless the anchor read a
 *   money unit after the digits ("500k", "2.000.000 đồng"): then unit_start is m.start("u<d>"), unit is
 *   m.group("n<d>") and sub m.group("s<d>") (None when absent). The anchor regex is written out by hand below,
 *   branch by branch, with the backtracking order of Python's re (checked against the regex in
 *   tests/test_entityscan.py).
 *   With ``settle`` true, the runs of one or two digits that _Scanner.number() would give up on at once (its
 *   "short number that is nothing by itself" exit, whatever entity came before) are left out: the scanner would
 *   only step past them.
 *
 * context(low, at, keywords): the keyword before the number at ``at`` (entity_patterns.context()), read leftwards.
 *
 * scan(low, scanner, helpers): _Scanner.run() with its loop here, and the common outcomes of _Scanner.number(),
 *   quick_money() and keyword() settled here too: the short numbers it steps past, phones, dates and times, masked
 *   numbers, OTP codes before "la ma", USSD codes, money read by the anchor, and the accounts, shortcodes, OTP codes
 *   and masked phones a keyword claims. The scanner's own methods get the rest (links; numbers that may be IP
 *   links, "$" money or money with a unit; keyword claims of money or not surely near): see "the scan" below.
 *   The number shapes are the regexes of entity_patterns written out, with re's backtracking order (see "the
 *   shapes of a number"); shape(name, low, at) runs one of them alone, for the tests.
 *
 * entities(found, text, lengths, cls, placeholders): the Entity objects of the scanner's spans.
 *
 * Linear time: every test at a position looks at a bounded number of characters around it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Text;

static inline Py_UCS4 at_(const Text *t, Py_ssize_t i) { return PyUnicode_READ(t->kind, t->data, i); }

/* the character at i, or 0 past either end (0 is in none of the sets tested below) */
static inline Py_UCS4 ch(const Text *t, Py_ssize_t i) { return (i >= 0 && i < t->n) ? at_(t, i) : 0; }

static inline int is_digit09(Py_UCS4 c) { return c >= '0' && c <= '9'; }
static inline int is_udigit(Py_UCS4 c) { return c != 0 && Py_UNICODE_ISDECIMAL(c); }          /* re's \d */
static inline int is_word(Py_UCS4 c) { return c != 0 && (Py_UNICODE_ISALNUM(c) || c == '_'); } /* re's \w */
static inline int is_sp(Py_UCS4 c) { return c == ' ' || c == '\t' || c == 0xa0; }                /* [ \t\xa0] */

static int in_set(Py_UCS4 c, const Py_UCS4 *set)
{
    if (c == 0) return 0;
    for (; *set; set++)
        if (*set == c) return 1;
    return 0;
}

/* "nktcvđdu$ôo": the first letters of money units, and the letter o */
static const Py_UCS4 UNIT_FIRST[] = {'n', 'k', 't', 'c', 'v', 0x111, 'd', 'u', '$', 0xf4, 'o', 0};
/* [^0-9.,\t\xa0 nktcvđdu$ôo:h/\-x*] is a character outside this set */
static const Py_UCS4 SN_STOP[] = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.', ',', '\t', 0xa0, ' ',
                                  'n', 'k', 't', 'c', 'v', 0x111, 'd', 'u', '$', 0xf4, 'o', ':', 'h', '/', '-',
                                  'x', '*', 0};
static const Py_UCS4 BEFORE_SHORT[] = {'+', '(', '$', '*', 0};        /* also the [+($*] of the anchor */
static const Py_UCS4 BEFORE_SHORT_SP[] = {'+', '(', '$', '*', ' ', 0}; /* [+($* ] */
/* _AFTER_SHORT of entities.py: the unit first letters and ":h/-x*" */
static const Py_UCS4 AFTER_SHORT[] = {'n', 'k', 't', 'c', 'v', 0x111, 'd', 'u', '$', 0xf4, 'o', ':', 'h', '/', '-',
                                      'x', '*', 0};

typedef struct {
    int len;
    Py_UCS4 c[8];
} Word;

/* money.UNITS, longest first: where several fit at one place they are prefixes of each other, and the unit trie of
 * entity_patterns tries the longest first */
static const Word UNITS[] = {
    {5, {0x6e, 0x67, 0x68, 0xec, 0x6e}},  /* nghìn */
    {5, {0x6e, 0x67, 0x68, 0x69, 0x6e}},  /* nghin */
    {5, {0x74, 0x72, 0x69, 0x1ec7, 0x75}}, /* triệu */
    {5, {0x74, 0x72, 0x69, 0x65, 0x75}},  /* trieu */
    {5, {0x111, 0xf4, 0x20, 0x6c, 0x61}}, /* đô la */
    {4, {0x6e, 0x67, 0xe0, 0x6e}},        /* ngàn */
    {4, {0x6e, 0x67, 0x61, 0x6e}},        /* ngan */
    {4, {0x111, 0x1ed3, 0x6e, 0x67}},     /* đồng */
    {4, {0x64, 0x6f, 0x6e, 0x67}},        /* dong */
    {3, {0x76, 0x6e, 0x111}},             /* vnđ */
    {3, {0x76, 0x6e, 0x64}},              /* vnd */
    {3, {0x75, 0x73, 0x64}},              /* usd */
    {2, {0x74, 0x72}},                    /* tr */
    {2, {0x63, 0x1ee7}},                  /* củ */
    {2, {0x74, 0x1ef7}},                  /* tỷ */
    {2, {0x74, 0x1ec9}},                  /* tỉ */
    {2, {0x74, 0x79}},                    /* ty */
    {2, {0x111, 0xf4}},                   /* đô */
    {1, {0x6b}},                          /* k */
    {1, {0x111}},                         /* đ */
    {1, {0x64}},                          /* d */
    {1, {0x24}},                          /* $ */
};
#define N_UNITS ((int)(sizeof(UNITS) / sizeof(UNITS[0])))

/* the words after a unit: (?:dong|vn(?:d|đ)|đ(?:ồng)?), longest first */
static const Word TAILS[] = {
    {4, {0x111, 0x1ed3, 0x6e, 0x67}}, /* đồng */
    {4, {0x64, 0x6f, 0x6e, 0x67}},    /* dong */
    {3, {0x76, 0x6e, 0x111}},         /* vnđ */
    {3, {0x76, 0x6e, 0x64}},          /* vnd */
    {1, {0x111}},                     /* đ */
};
#define N_TAILS ((int)(sizeof(TAILS) / sizeof(TAILS[0])))

static int word_at(const Text *t, Py_ssize_t i, const Word *w)
{
    if (i < 0 || i + w->len > t->n) return 0;
    for (int k = 0; k < w->len; k++)
        if (at_(t, i + k) != w->c[k]) return 0;
    return 1;
}

/* whether some money unit starts at i (the regex's (?!{UNIT}) fails there) */
static const Py_UCS4 UNIT_STARTS[] = {'n', 't', 0x111, 'd', 'v', 'u', 'c', 'k', '$', 0};

static int any_unit_at(const Text *t, Py_ssize_t i)
{
    if (!in_set(ch(t, i), UNIT_STARTS)) return 0;
    for (int u = 0; u < N_UNITS; u++)
        if (word_at(t, i, &UNITS[u])) return 1;
    return 0;
}

/* _SHORT_NOTHING after the \d? at p (the first digit was at p-1 or p-2), from (?![0-9]|[.,][0-9.,]) on */
static int short_nothing_rest(const Text *t, Py_ssize_t p)
{
    Py_UCS4 c = ch(t, p), c1;
    if (is_digit09(c)) return 0;
    if (c == '.' || c == ',') {
        c1 = ch(t, p + 1);
        if (is_digit09(c1) || c1 == '.' || c1 == ',') return 0;
    }
    if (p >= t->n) return 1;                                        /* \Z */
    if (!in_set(c, SN_STOP)) return 1;                              /* [^0-9.,\t\xa0 nktcvđdu$ôo:h/\-x*] */
    if (c == ' ' || c == '.' || c == ',') {                         /* [ .,](?:\Z|[^nktcvđdu$ôo]) */
        if (p + 1 >= t->n || !in_set(ch(t, p + 1), UNIT_FIRST)) return 1;
    }
    if (c == ' ') {                                                 /* (?<![+($* ] \d)(?<![+($* ] \d\d) (?!UNIT) */
        if (p >= 3 && in_set(ch(t, p - 3), BEFORE_SHORT_SP) && ch(t, p - 2) == ' ' && is_udigit(ch(t, p - 1)))
            return 0;
        if (p >= 4 && in_set(ch(t, p - 4), BEFORE_SHORT_SP) && ch(t, p - 3) == ' ' && is_udigit(ch(t, p - 2)) &&
            is_udigit(ch(t, p - 1)))
            return 0;
        if (!any_unit_at(t, p + 1)) return 1;
    }
    return 0;
}

/* whether the anchor's negative lookahead after the first digit (at ``at``) matches: no anchor starts there */
static int short_nothing(const Text *t, Py_ssize_t at)
{
    if (at >= 1 && in_set(ch(t, at - 1), BEFORE_SHORT)) return 0;  /* (?<![+($*]\d) */
    if (ch(t, at) == '8' && ch(t, at + 1) == '4') return 0;          /* 8(?!(?!4)...) */
    if (is_udigit(ch(t, at + 1)) && short_nothing_rest(t, at + 2)) return 1;  /* \d? takes a digit, then none */
    return short_nothing_rest(t, at + 1);
}

/* (?![\w$]|-\d) at i */
static inline int money_end_ok(const Text *t, Py_ssize_t i)
{
    Py_UCS4 c = ch(t, i);
    if (is_word(c) || c == '$') return 0;
    if (c == '-' && is_udigit(ch(t, i + 1))) return 0;
    return 1;
}

typedef struct {
    Py_ssize_t ustart, nstart, nend, send, end;
} UnitMatch;

/* (?P<u>[ ]?(?P<n>UNIT)(?P<s>\d{1,3})?(?:[ ]?(?:dong|vn(?:d|đ)|đ(?:ồng)?))?(?![\w$]|-\d)) at e, tried in re's
 * order (greedy optional parts first, longest unit first); 1 and *m filled if it matches */
static int unit_group(const Text *t, Py_ssize_t e, UnitMatch *m)
{
    int sp_options = is_sp(ch(t, e)) ? 2 : 1;
    if (!in_set(ch(t, e + (sp_options == 2)), UNIT_STARTS) && !in_set(ch(t, e), UNIT_STARTS)) return 0;
    for (int o = 0; o < sp_options; o++) {
        Py_ssize_t q = e + (sp_options == 2 && o == 0 ? 1 : 0);
        for (int u = 0; u < N_UNITS; u++) {
            if (!word_at(t, q, &UNITS[u])) continue;
            Py_ssize_t r = q + UNITS[u].len;
            int nsub = 0;
            while (nsub < 3 && is_udigit(ch(t, r + nsub))) nsub++;
            for (int s = nsub; s >= 0; s--) {
                Py_ssize_t x = r + s;
                int tsp_options = is_sp(ch(t, x)) ? 2 : 1;
                for (int to = 0; to < tsp_options; to++) {
                    Py_ssize_t y = x + (tsp_options == 2 && to == 0 ? 1 : 0);
                    for (int w = 0; w < N_TAILS; w++) {
                        if (word_at(t, y, &TAILS[w]) && money_end_ok(t, y + TAILS[w].len)) {
                            m->ustart = e; m->nstart = q; m->nend = r; m->send = x; m->end = y + TAILS[w].len;
                            return 1;
                        }
                    }
                }
                if (money_end_ok(t, x)) {
                    m->ustart = e; m->nstart = q; m->nend = r; m->send = x; m->end = x;
                    return 1;
                }
            }
        }
    }
    return 0;
}

/* \.(?=[a-z\u0370-\u03ff\u0400-\u04ff]) */
static inline int link_letter(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= 0x370 && c <= 0x4ff); }

/* _Scanner.number()'s first exit ("2 phut", "100%"), for a run of digits low[at:run_end] with no unit read, in the
 * case where it holds whatever the floor (the end of the entity before) is */
static int settled_short(const Text *t, Py_ssize_t at, Py_ssize_t run_end)
{
    if (run_end - at > 2) return 0;
    Py_UCS4 q = ch(t, run_end), q2 = 0;
    if (q == ' ' || q == '.' || q == ',') q2 = ch(t, run_end + 1);
    if (in_set(q, AFTER_SHORT) || in_set(q2, UNIT_FIRST)) return 0;
    if (at > 0 && in_set(ch(t, at - 1), BEFORE_SHORT)) return 0;  /* "at <= floor or ...": kept for Python */
    if (run_end < t->n && ch(t, at) == '8' && ch(t, at + 1) == '4') return 0;  /* not (q and low.startswith("84")) */
    return 1;
}

/* a tuple of five new references (stolen), or NULL if one of them is NULL (then all are released) */
static PyObject *tuple5(PyObject *a, PyObject *b, PyObject *c, PyObject *d, PyObject *e)
{
    PyObject *items[5] = {a, b, c, d, e};
    PyObject *t = NULL;
    if (a && b && c && d && e) t = PyTuple_New(5);
    if (t == NULL) {
        for (int k = 0; k < 5; k++) Py_XDECREF(items[k]);
        return NULL;
    }
    for (int k = 0; k < 5; k++) PyTuple_SET_ITEM(t, k, items[k]);
    return t;
}

static PyObject *anchor_tuple(PyObject *low, Py_ssize_t start, Py_ssize_t end, const UnitMatch *u)
{
    if (u == NULL)
        return tuple5(PyLong_FromSsize_t(start), PyLong_FromSsize_t(end), PyLong_FromLong(-1), Py_NewRef(Py_None),
                      Py_NewRef(Py_None));
    return tuple5(PyLong_FromSsize_t(start), PyLong_FromSsize_t(end), PyLong_FromSsize_t(u->ustart),
                  PyUnicode_Substring(low, u->nstart, u->nend),
                  u->send > u->nend ? PyUnicode_Substring(low, u->nend, u->send) : Py_NewRef(Py_None));
}

/* the first index >= i whose character can start an anchor (".[(@" or an ASCII digit), or n */
static Py_ssize_t skip_plain(const Text *t, Py_ssize_t i)
{
    static const unsigned char starts[128] = {['.'] = 1, ['['] = 1, ['('] = 1, ['@'] = 1, ['0'] = 1, ['1'] = 1,
                                              ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
                                              ['8'] = 1, ['9'] = 1};
    Py_ssize_t n = t->n;
    switch (t->kind) {
    case PyUnicode_1BYTE_KIND: {
        const Py_UCS1 *d = t->data;
        while (i < n && (d[i] >= 128 || !starts[d[i]])) i++;
        break;
    }
    case PyUnicode_2BYTE_KIND: {
        const Py_UCS2 *d = t->data;
        while (i < n && (d[i] >= 128 || !starts[d[i]])) i++;
        break;
    }
    default: {
        const Py_UCS4 *d = t->data;
        while (i < n && (d[i] >= 128 || !starts[d[i]])) i++;
        break;
    }
    }
    return i;
}

typedef struct {
    Py_ssize_t start, end, next;  /* the match, and where the search for the next one goes on */
    int unit;                     /* 1 if the anchor read a money unit (then u is filled) */
    UnitMatch u;
} Anchor;

/* the first match of the anchor regex at or after i, into *a; 0 when there is none */
static int next_anchor(const Text *t, Py_ssize_t i, Anchor *a)
{
    Py_ssize_t n = t->n;
    while ((i = skip_plain(t, i)) < n) {
        Py_UCS4 c = at_(t, i);
        a->start = i;
        a->unit = 0;
        if (c == '.') {
            if (link_letter(ch(t, i + 1))) { a->end = a->next = i + 1; return 1; }
        } else if (c == '[' || c == '(') {
            if (ch(t, i + 1) == '.' && ch(t, i + 2) == (c == '[' ? ']' : ')')) { a->end = a->next = i + 3; return 1; }
        } else if (c == '@') {
            Py_UCS4 c1 = ch(t, i + 1);
            if ((c1 >= 'a' && c1 <= 'z') || is_digit09(c1)) { a->end = a->next = i + 1; return 1; }
        } else if (!short_nothing(t, i)) {  /* a digit */
            Py_ssize_t e = i + 1, limit = n - i > 42 ? i + 42 : n;  /* (?:[0-9.,]{0,40}[0-9])? */
            for (Py_ssize_t j = i + 1; j < limit; j++) {
                Py_UCS4 d = at_(t, j);
                if (is_digit09(d)) e = j + 1;
                else if (d != '.' && d != ',') break;
            }
            if (unit_group(t, e, &a->u)) {
                a->unit = 1;
                a->end = a->next = a->u.end;
            } else {
                a->end = a->next = e;
            }
            return 1;
        }
        i++;
    }
    return 0;
}

static PyObject *anchors(PyObject *self, PyObject *args)
{
    PyObject *low;
    int settle = 0;
    if (!PyArg_ParseTuple(args, "U|p:anchors", &low, &settle)) return NULL;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(low) < 0) return NULL;
#endif
    Text t = {PyUnicode_KIND(low), PyUnicode_DATA(low), PyUnicode_GET_LENGTH(low)};
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    Py_ssize_t i = 0;
    Anchor a;
    while (next_anchor(&t, i, &a)) {
        i = a.next;
        PyObject *item;
        if (a.unit) item = anchor_tuple(low, a.start, a.end, &a.u);
        else if (settle && is_digit09(at_(&t, a.start)) && settled_short(&t, a.start, a.end)) continue;
        else item = anchor_tuple(low, a.start, a.end, NULL);
        if (item == NULL || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(item);
    }
    return out;
}

/* ---- keyword before a number ---------------------------------------------------------------------------- */

/* [^\W\d_] of re: a letter (alphanumeric, not a decimal digit, not "_") */
static inline int is_letter(Py_UCS4 c) { return c != 0 && Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c) && c != '_'; }

static int ends_with_at(const Text *t, Py_ssize_t last, PyObject *word)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(word), first = last - len + 1;
    if (len == 0 || first < 0) return 0;
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    for (Py_ssize_t k = 0; k < len - 1; k++)
        if (at_(t, first + k) != PyUnicode_READ(kind, data, k)) return 0;
    return 1;
}

/* The keywords indexed by their last character (its low six bits), each bucket in the order given (longest
 * first), so a place is compared with the few keywords that end in its character instead of all of them. */
#define KW_BUCKETS 64
typedef struct {
    PyObject *keywords; /* borrowed tuple of str */
    Py_ssize_t *next;   /* next keyword in the same bucket, or -1 */
    Py_UCS4 *last;      /* each keyword's last character (0 for an empty one: it matches nowhere) */
    Py_ssize_t head[KW_BUCKETS];
} KwIndex;

static void kw_free(KwIndex *x)
{
    PyMem_Free(x->next);
    PyMem_Free(x->last);
    x->next = NULL;
    x->last = NULL;
}

/* 0, or -1 with an exception (keywords not a tuple of str, no memory) */
static int kw_build(KwIndex *x, PyObject *keywords)
{
    x->keywords = keywords;
    x->next = NULL;
    x->last = NULL;
    if (!PyTuple_Check(keywords)) {
        PyErr_SetString(PyExc_TypeError, "keywords must be a tuple of str");
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(keywords);
    x->next = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    x->last = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(n + 1));
    if (x->next == NULL || x->last == NULL) {
        kw_free(x);
        PyErr_NoMemory();
        return -1;
    }
    for (int b = 0; b < KW_BUCKETS; b++) x->head[b] = -1;
    for (Py_ssize_t k = n - 1; k >= 0; k--) { /* from the end, so each bucket keeps the given order */
        PyObject *w = PyTuple_GET_ITEM(keywords, k);
        if (!PyUnicode_Check(w)) {
            kw_free(x);
            PyErr_SetString(PyExc_TypeError, "keywords must be a tuple of str");
            return -1;
        }
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(w) < 0) { kw_free(x); return -1; }
#endif
        Py_ssize_t len = PyUnicode_GET_LENGTH(w);
        Py_UCS4 c = len ? PyUnicode_READ_CHAR(w, len - 1) : 0;
        x->last[k] = c;
        if (len == 0) { x->next[k] = -1; continue; }
        x->next[k] = x->head[c % KW_BUCKETS];
        x->head[c % KW_BUCKETS] = k;
    }
    return 0;
}

/* entity_patterns.context() matched on the reversed text at the number starting at ``at``, read here leftwards on
 * the text itself: 1-3 of " :#=.-", then up to six words (letters, then 1-3 of " :,"), as few as possible, then a
 * keyword (longest first) with no letter before it. The alternatives re would try on failure (fewer separators or
 * letters) always fail here, as a word or keyword never starts with a separator, so one path is enough.
 * 1 and span[3] = (kw_start, kw_end, between_end) if it matches, else 0. */
static int context_match(const Text *t, Py_ssize_t at, const KwIndex *x, Py_ssize_t span[3])
{
    Py_ssize_t pos = at - 1, count = 0;
    while (count < 3 && pos >= 0 && in_set(at_(t, pos), (const Py_UCS4[]){' ', ':', '#', '=', '.', '-', 0})) {
        pos--;
        count++;
    }
    if (count == 0) return 0;
    Py_ssize_t between_end = pos + 1;
    for (int words = 0;; words++) {
        if (pos >= 0) {
            Py_UCS4 c = at_(t, pos);
            for (Py_ssize_t k = x->head[c % KW_BUCKETS]; k >= 0; k = x->next[k]) {
                if (x->last[k] != c) continue;
                PyObject *w = PyTuple_GET_ITEM(x->keywords, k);
                Py_ssize_t len = PyUnicode_GET_LENGTH(w);
                if (ends_with_at(t, pos, w) && !is_letter(ch(t, pos - len))) {
                    span[0] = pos - len + 1;
                    span[1] = pos + 1;
                    span[2] = between_end;
                    return 1;
                }
            }
        }
        if (words == 6) break;
        Py_ssize_t letters = 0;
        while (letters <= 15 && is_letter(ch(t, pos - letters))) letters++;
        if (letters < 1 || letters > 15) break;
        pos -= letters;
        Py_ssize_t seps = 0;
        while (seps < 3 && pos - seps >= 0 && in_set(at_(t, pos - seps), (const Py_UCS4[]){' ', ':', ',', 0}))
            seps++;
        if (seps == 0) break;
        pos -= seps;
    }
    return 0;
}

/* the index of the last keywords tuple seen (the scanner passes the same one every time), kept with a reference */
static KwIndex kw_cached;
static PyObject *kw_cached_of;

static KwIndex *kw_index(PyObject *keywords)
{
    if (keywords == kw_cached_of) return &kw_cached;
    KwIndex x;
    if (kw_build(&x, keywords) < 0) return NULL;
    kw_free(&kw_cached);
    Py_CLEAR(kw_cached_of);
    kw_cached = x;
    kw_cached_of = Py_NewRef(keywords);
    return &kw_cached;
}

static PyObject *context(PyObject *self, PyObject *args)
{
    PyObject *low, *keywords;
    Py_ssize_t at;
    if (!PyArg_ParseTuple(args, "UnO!:context", &low, &at, &PyTuple_Type, &keywords)) return NULL;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(low) < 0) return NULL;
#endif
    KwIndex *x = kw_index(keywords);
    if (x == NULL) return NULL;
    Text t = {PyUnicode_KIND(low), PyUnicode_DATA(low), PyUnicode_GET_LENGTH(low)};
    if (at < 0 || at > t.n) {
        PyErr_SetString(PyExc_ValueError, "context: position out of the text");
        return NULL;
    }
    Py_ssize_t span[3];
    int found = context_match(&t, at, x, span);
    if (!found) Py_RETURN_NONE;
    return Py_BuildValue("(nnn)", span[0], span[1], span[2]);
}

/* ---- the shapes of a number ----------------------------------------------------------------------------------
 *
 * The patterns of entity_patterns.shapes() that _Scanner.number() tries most (phone, datetime, masked, otpsfx),
 * matched as re's backtracking matches them. A part of a pattern gives the places where it can end, in the order
 * re tries them (greedy parts longest first, alternatives left to right); the next part is tried from each in turn,
 * and the match is the first end that passes the final lookaheads. A place seen before is dropped from a list: what
 * follows it depends only on the place, so it failed the first time and fails again. No pattern here captures a
 * group that is used later, and every part is bounded, so the lists stay short. */

#define MAXP 64
typedef struct {
    int n, over; /* over: more places than MAXP (never seen; the caller then leaves the number to Python) */
    Py_ssize_t p[MAXP];
} Ends;

static void add_end(Ends *e, Py_ssize_t p)
{
    for (int k = 0; k < e->n; k++)
        if (e->p[k] == p) return;
    if (e->n < MAXP) e->p[e->n++] = p;
    else e->over = 1;
}

static inline int is_sep_pd(Py_UCS4 c) { return c == ' ' || c == '.' || c == '-'; } /* [ .-] */
static inline int is_d19(Py_UCS4 c) { return c >= '1' && c <= '9'; }
static inline int is_d05(Py_UCS4 c) { return c >= '0' && c <= '5'; }
static inline int is_mobile3(Py_UCS4 c) { return c == '3' || c == '5' || c == '7' || c == '8' || c == '9'; }

/* (?:[ .-]?\d) from p: its one end, or -1 */
static Py_ssize_t sep_digit(const Text *t, Py_ssize_t p)
{
    if (is_sep_pd(ch(t, p)) && is_udigit(ch(t, p + 1))) return p + 2;
    if (is_udigit(ch(t, p))) return p + 1;
    return -1;
}

/* (?:[ .-]?\d){lo,hi} (hi <= 15), greedy */
static void rep_sep_digit(const Text *t, Py_ssize_t p, int lo, int hi, Ends *out)
{
    Py_ssize_t c[16];
    int k = 0;
    c[0] = p;
    while (k < hi) {
        Py_ssize_t q = sep_digit(t, c[k]);
        if (q < 0) break;
        c[++k] = q;
    }
    for (int j = k; j >= lo; j--) add_end(out, c[j]);
}

/* (?:[ .)-]{0,2}\d): the separators must all be taken (a digit cannot match one), so one end, or -1 */
static Py_ssize_t land_step(const Text *t, Py_ssize_t p)
{
    int s = 0;
    while (s < 2 && (is_sep_pd(ch(t, p + s)) || ch(t, p + s) == ')')) s++;
    return is_udigit(ch(t, p + s)) ? p + s + 1 : -1;
}

/* NO_UNIT at p: (?![ ]?UNIT(?!\w)) */
static int no_unit(const Text *t, Py_ssize_t p)
{
    for (int o = is_sp(ch(t, p)) ? 1 : 0; o >= 0; o--) {
        Py_ssize_t q = p + o;
        if (!in_set(ch(t, q), UNIT_STARTS)) continue;
        for (int u = 0; u < N_UNITS; u++)
            if (word_at(t, q, &UNITS[u]) && !is_word(ch(t, q + UNITS[u].len))) return 0;
    }
    return 1;
}

/* \(?\+[ ]?84\)?[ .-]? from p: its ends, in order */
static void plus84(const Text *t, Py_ssize_t p, Ends *out)
{
    for (int o1 = ch(t, p) == '(' ? 1 : 0; o1 >= 0; o1--) {
        Py_ssize_t a = p + o1;
        if (ch(t, a) != '+') continue;
        a++;
        for (int o2 = is_sp(ch(t, a)) ? 1 : 0; o2 >= 0; o2--) {
            Py_ssize_t b = a + o2;
            if (ch(t, b) != '8' || ch(t, b + 1) != '4') continue;
            b += 2;
            for (int o3 = ch(t, b) == ')' ? 1 : 0; o3 >= 0; o3--) {
                Py_ssize_t c = b + o3;
                if (is_sep_pd(ch(t, c))) add_end(out, c + 1);
                add_end(out, c);
            }
        }
    }
}

/* entity_patterns.shapes()["phone"].match(low, s): 1 and *end if it matches, 0 if not, -1 if unsure (too many
 * places: left to Python) */
static int phone_match(const Text *t, Py_ssize_t s, Py_ssize_t *end)
{
    Py_UCS4 b = ch(t, s - 1);
    if (s > 0 && (is_udigit(b) || b == '.' || b == ',' || b == '+')) return 0; /* (?<![\d.,+]) */
    Ends all, pre, x;
    all.n = all.over = pre.n = pre.over = x.n = x.over = 0;
    /* 1: (?:\(?\+[ ]?84\)?[ .-]?(?:\(0\)[ ]?|0)?|0084[ .-]?|84[ .-]?(?=...)|0)[35789]\d(?:[ .-]?\d){7} */
    plus84(t, s, &x);
    for (int k = 0; k < x.n; k++) {
        Py_ssize_t q = x.p[k];
        if (ch(t, q) == '(' && ch(t, q + 1) == '0' && ch(t, q + 2) == ')') {
            if (is_sp(ch(t, q + 3))) add_end(&pre, q + 4);
            add_end(&pre, q + 3);
        }
        if (ch(t, q) == '0') add_end(&pre, q + 1);
        add_end(&pre, q);
    }
    if (ch(t, s) == '0' && ch(t, s + 1) == '0' && ch(t, s + 2) == '8' && ch(t, s + 3) == '4') {
        if (is_sep_pd(ch(t, s + 4))) add_end(&pre, s + 5);
        add_end(&pre, s + 4);
    }
    if (ch(t, s) == '8' && ch(t, s + 1) == '4') {
        for (int o = is_sep_pd(ch(t, s + 2)) ? 1 : 0; o >= 0; o--) {
            Py_ssize_t q = s + 2 + o; /* (?=[35789](?:[ .-]?\d){8}(?![\d]|[ .-]\d)) */
            if (!is_mobile3(ch(t, q))) continue;
            Py_ssize_t r = q + 1;
            for (int k = 0; k < 8 && r >= 0; k++) r = sep_digit(t, r);
            if (r < 0 || is_udigit(ch(t, r)) || (is_sep_pd(ch(t, r)) && is_udigit(ch(t, r + 1)))) continue;
            add_end(&pre, q);
        }
    }
    if (ch(t, s) == '0') add_end(&pre, s + 1);
    for (int k = 0; k < pre.n; k++) {
        Py_ssize_t q = pre.p[k];
        if (!is_mobile3(ch(t, q)) || !is_udigit(ch(t, q + 1))) continue;
        Py_ssize_t r = q + 2;
        for (int j = 0; j < 7 && r >= 0; j++) r = sep_digit(t, r);
        if (r >= 0) add_end(&all, r);
    }
    /* 2: (?:\(?\+[ ]?84\)?[ .-]?|\(?0)2\d(?:[ .)-]{0,2}\d){8} */
    pre.n = 0;
    plus84(t, s, &pre);
    for (int o = ch(t, s) == '(' ? 1 : 0; o >= 0; o--)
        if (ch(t, s + o) == '0') add_end(&pre, s + o + 1);
    for (int k = 0; k < pre.n; k++) {
        Py_ssize_t q = pre.p[k];
        if (ch(t, q) != '2' || !is_udigit(ch(t, q + 1))) continue;
        Py_ssize_t r = q + 2;
        for (int j = 0; j < 8 && r >= 0; j++) r = land_step(t, r);
        if (r >= 0) add_end(&all, r);
    }
    /* 3: 1[89]00(?:[ .-]?\d){4,6} */
    if (ch(t, s) == '1' && (ch(t, s + 1) == '8' || ch(t, s + 1) == '9') && ch(t, s + 2) == '0' && ch(t, s + 3) == '0')
        rep_sep_digit(t, s + 4, 4, 6, &all);
    /* 4: \+[ ]?(?!84)[1-9]\d{0,2}(?:[ .-]?\d){6,12} */
    if (ch(t, s) == '+') {
        for (int o = is_sp(ch(t, s + 1)) ? 1 : 0; o >= 0; o--) {
            Py_ssize_t q = s + 1 + o;
            if ((ch(t, q) == '8' && ch(t, q + 1) == '4') || !is_d19(ch(t, q))) continue;
            int d = 0;
            while (d < 2 && is_udigit(ch(t, q + 1 + d))) d++;
            for (; d >= 0; d--) rep_sep_digit(t, q + 1 + d, 6, 12, &all);
        }
    }
    if (all.over || pre.over || x.over) return -1;
    for (int k = 0; k < all.n; k++) { /* (?!\d|[.,-]\d) NO_UNIT */
        Py_ssize_t e = all.p[k];
        Py_UCS4 c = ch(t, e);
        if (is_udigit(c) || ((c == '.' || c == ',' || c == '-') && is_udigit(ch(t, e + 1)))) continue;
        if (!no_unit(t, e)) continue;
        *end = e;
        return 1;
    }
    return 0;
}

/* _DAY (?:[12]\d|3[01]|0?[1-9]) */
static void day_(const Text *t, Py_ssize_t p, Ends *o)
{
    Py_UCS4 c = ch(t, p), c1 = ch(t, p + 1);
    if ((c == '1' || c == '2') && is_udigit(c1)) add_end(o, p + 2);
    if (c == '3' && (c1 == '0' || c1 == '1')) add_end(o, p + 2);
    if (c == '0' && is_d19(c1)) add_end(o, p + 2);
    if (is_d19(c)) add_end(o, p + 1);
}

/* _MON (?:1[0-2]|0?[1-9]) */
static void mon_(const Text *t, Py_ssize_t p, Ends *o)
{
    Py_UCS4 c = ch(t, p), c1 = ch(t, p + 1);
    if (c == '1' && c1 >= '0' && c1 <= '2') add_end(o, p + 2);
    if (c == '0' && is_d19(c1)) add_end(o, p + 2);
    if (is_d19(c)) add_end(o, p + 1);
}

static int digits_at(const Text *t, Py_ssize_t p, int k)
{
    for (int j = 0; j < k; j++)
        if (!is_udigit(ch(t, p + j))) return 0;
    return 1;
}

/* DAY <sep> MON (?:<sep>(?:\d{4}|\d\d))? */
static void day_mon(const Text *t, Py_ssize_t p, Py_UCS4 sep, Ends *o)
{
    Ends d;
    d.n = d.over = 0; /* (the places are not cleared: only the first n are read) */
    day_(t, p, &d);
    for (int i = 0; i < d.n; i++) {
        if (ch(t, d.p[i]) != sep) continue;
        Ends m;
        m.n = m.over = 0;
        mon_(t, d.p[i] + 1, &m);
        for (int j = 0; j < m.n; j++) {
            Py_ssize_t q = m.p[j];
            if (ch(t, q) == sep) {
                if (digits_at(t, q + 1, 4)) add_end(o, q + 5);
                if (digits_at(t, q + 1, 2)) add_end(o, q + 3);
            }
            add_end(o, q);
        }
    }
}

/* _DATE */
static void date_(const Text *t, Py_ssize_t p, Ends *o)
{
    Py_UCS4 c = ch(t, p), c1 = ch(t, p + 1);
    if (((c == '1' && c1 == '9') || (c == '2' && c1 == '0')) && digits_at(t, p + 2, 2) && ch(t, p + 4) == '-') {
        Ends m;
        m.n = m.over = 0;
        mon_(t, p + 5, &m);
        for (int j = 0; j < m.n; j++)
            if (ch(t, m.p[j]) == '-') day_(t, m.p[j] + 1, o);
    }
    day_mon(t, p, '/', o);
    day_mon(t, p, '-', o);
    Ends d;
    d.n = d.over = 0;
    day_(t, p, &d);
    for (int i = 0; i < d.n; i++) {
        if (ch(t, d.p[i]) != '.') continue;
        Ends m;
        m.n = m.over = 0;
        mon_(t, d.p[i] + 1, &m);
        for (int j = 0; j < m.n; j++)
            if (ch(t, m.p[j]) == '.' && digits_at(t, m.p[j] + 1, 4)) add_end(o, m.p[j] + 5);
    }
    Ends m;
    m.n = m.over = 0;
    mon_(t, p, &m);
    for (int j = 0; j < m.n; j++)
        if (ch(t, m.p[j]) == '/' && digits_at(t, m.p[j] + 1, 4)) add_end(o, m.p[j] + 5);
}

/* _CLOCK (?:[01]?\d|2[0-4])(?::[0-5]\d(?::[0-5]\d)?|h[0-5]\d(?:ph|p)?|h) */
static void clock_(const Text *t, Py_ssize_t p, Ends *o)
{
    Ends h;
    h.n = h.over = 0;
    Py_UCS4 c = ch(t, p), c1 = ch(t, p + 1);
    if ((c == '0' || c == '1') && is_udigit(c1)) add_end(&h, p + 2);
    if (is_udigit(c)) add_end(&h, p + 1);
    if (c == '2' && c1 >= '0' && c1 <= '4') add_end(&h, p + 2);
    for (int i = 0; i < h.n; i++) {
        Py_ssize_t q = h.p[i];
        Py_UCS4 d = ch(t, q);
        if (d == ':' && is_d05(ch(t, q + 1)) && is_udigit(ch(t, q + 2))) {
            if (ch(t, q + 3) == ':' && is_d05(ch(t, q + 4)) && is_udigit(ch(t, q + 5))) add_end(o, q + 6);
            add_end(o, q + 3);
        }
        if (d == 'h' && is_d05(ch(t, q + 1)) && is_udigit(ch(t, q + 2))) {
            if (ch(t, q + 3) == 'p' && ch(t, q + 4) == 'h') add_end(o, q + 5);
            if (ch(t, q + 3) == 'p') add_end(o, q + 4);
            add_end(o, q + 3);
        }
        if (d == 'h') add_end(o, q + 1);
    }
}

/* _TIME {CLOCK}(?:[ ]?-[ ]?{CLOCK})? */
static void time_(const Text *t, Py_ssize_t p, Ends *o)
{
    Ends c;
    c.n = c.over = 0;
    clock_(t, p, &c);
    for (int i = 0; i < c.n; i++) {
        Py_ssize_t q = c.p[i];
        for (int o1 = is_sp(ch(t, q)) ? 1 : 0; o1 >= 0; o1--) {
            Py_ssize_t r = q + o1;
            if (ch(t, r) != '-') continue;
            r++;
            for (int o2 = is_sp(ch(t, r)) ? 1 : 0; o2 >= 0; o2--) clock_(t, r + o2, o);
        }
        add_end(o, q);
    }
}

static const Word NGAY[] = {{4, {'n', 'g', 0xe0, 'y'}}, {4, {'n', 'g', 'a', 'y'}}}; /* ngày, ngay */
static const Word LUC[] = {{3, {'l', 0xfa, 'c'}}, {3, {'l', 'u', 'c'}}};              /* lúc, luc */

/* (?:,?[ ](?:<w0>[ ]|<w1>[ ])?<next>)? after each place of ``in``, into ``o`` */
static void joined(const Text *t, const Ends *in, const Word *w, void (*next)(const Text *, Py_ssize_t, Ends *),
                   Ends *o)
{
    for (int i = 0; i < in->n; i++) {
        Py_ssize_t q = in->p[i];
        for (int oc = ch(t, q) == ',' ? 1 : 0; oc >= 0; oc--) {
            Py_ssize_t r = q + oc;
            if (!is_sp(ch(t, r))) continue;
            r++;
            for (int k = 0; k < 2; k++)
                if (word_at(t, r, &w[k]) && is_sp(ch(t, r + w[k].len))) next(t, r + w[k].len + 1, o);
            next(t, r, o);
        }
        add_end(o, q);
    }
    if (in->over) o->over = 1;
}

/* entity_patterns.shapes()["datetime"].match(low, at): 1 and *end, 0, or -1 if unsure */
static int datetime_match(const Text *t, Py_ssize_t at, Py_ssize_t *end)
{
    Py_UCS4 b = ch(t, at - 1);
    if (at > 0 && (is_word(b) || b == '.' || b == ',' || b == '/')) return 0; /* (?<![\w.,/]) */
    Ends tm, dt, all;
    tm.n = tm.over = dt.n = dt.over = all.n = all.over = 0;
    time_(t, at, &tm);
    joined(t, &tm, NGAY, date_, &all);
    date_(t, at, &dt);
    joined(t, &dt, LUC, time_, &all);
    if (all.over) return -1;
    for (int k = 0; k < all.n; k++) { /* (?![\w/:%]|[.,-]\d) */
        Py_ssize_t e = all.p[k];
        Py_UCS4 c = ch(t, e);
        if (is_word(c) || c == '/' || c == ':' || c == '%') continue;
        if ((c == '.' || c == ',' || c == '-') && is_udigit(ch(t, e + 1))) continue;
        *end = e;
        return 1;
    }
    return 0;
}

/* shapes()["masked"].match(low, at) with a digit at ``at``: (?<![\w*+])\d{1,8}[x*]{2,10}\d{2,6}(?![\w*]) (the
 * other branch starts with x or *). Each run must be taken whole, so the one end, or 0 */
static Py_ssize_t masked_match(const Text *t, Py_ssize_t at)
{
    Py_UCS4 b = ch(t, at - 1);
    if (at > 0 && (is_word(b) || b == '*' || b == '+')) return 0;
    Py_ssize_t p = at;
    int k = 0;
    while (k <= 8 && is_udigit(ch(t, p + k))) k++;
    if (k < 1 || k > 8) return 0;
    p += k;
    for (k = 0; k <= 10 && (ch(t, p + k) == 'x' || ch(t, p + k) == '*'); k++) {}
    if (k < 2 || k > 10) return 0;
    p += k;
    for (k = 0; k <= 6 && is_udigit(ch(t, p + k)); k++) {}
    if (k < 2 || k > 6) return 0;
    p += k;
    if (is_word(ch(t, p)) || ch(t, p) == '*') return 0;
    return p;
}

static const Word OTP_WORDS[] = {{7, {'i', 's', ' ', 'y', 'o', 'u', 'r'}}, {6, {'i', 's', ' ', 't', 'h', 'e'}},
                                 {5, {'l', 0xe0, ' ', 'm', 0xe3}}, {5, {'l', 'a', ' ', 'm', 'a'}}};

/* shapes()["otpsfx"].match(low, at): (?<![\w.,])\d{4,8}(?=[ ]{1,3}(?:is[ ]your|is[ ]the|là[ ]mã|la[ ]ma)\b);
 * the digits and the spaces must be taken whole. Its end, or 0 */
static Py_ssize_t otpsfx_match(const Text *t, Py_ssize_t at)
{
    Py_UCS4 b = ch(t, at - 1);
    if (at > 0 && (is_word(b) || b == '.' || b == ',')) return 0;
    int k = 0;
    while (k <= 8 && is_udigit(ch(t, at + k))) k++;
    if (k < 4 || k > 8) return 0;
    Py_ssize_t e = at + k, p = e;
    for (k = 0; k <= 3 && is_sp(ch(t, p + k)); k++) {}
    if (k < 1 || k > 3) return 0;
    p += k;
    for (int w = 0; w < 4; w++) {
        const Word *x = &OTP_WORDS[w];
        if (p + x->len > t->n) continue;
        int ok = 1;
        for (int j = 0; j < x->len && ok; j++) {
            Py_UCS4 c = at_(t, p + j);
            ok = x->c[j] == ' ' ? is_sp(c) : c == x->c[j];
        }
        if (ok && !is_word(ch(t, p + x->len))) return e;
    }
    return 0;
}

/* entity_patterns.number_for("shortcode").match(low, at): \d{3,5}(?!\w|[ .,-]?\d) then NO_UNIT; the digits must be
 * taken whole (a digit after them fails the lookahead). Its end, or 0 */
static Py_ssize_t shortcode_match(const Text *t, Py_ssize_t at)
{
    int k = 0;
    while (k <= 5 && is_udigit(ch(t, at + k))) k++;
    if (k < 3 || k > 5) return 0;
    Py_ssize_t e = at + k;
    Py_UCS4 c = ch(t, e);
    if (is_word(c) || ((c == ' ' || c == '.' || c == ',' || c == '-') && is_udigit(ch(t, e + 1)))) return 0;
    return no_unit(t, e) ? e : 0;
}

/* number_for("otp"): (?:\d{3}[ ]\d{3}|\d{4,8})(?!\w|[ .,-]?\d) then NO_UNIT. Its end, or 0 */
static int kw_number_end_ok(const Text *t, Py_ssize_t e) /* (?!\w|[ .,-]?\d) NO_UNIT */
{
    Py_UCS4 c = ch(t, e);
    if (is_word(c) || ((c == ' ' || c == '.' || c == ',' || c == '-') && is_udigit(ch(t, e + 1)))) return 0;
    return no_unit(t, e);
}

static Py_ssize_t otp_number(const Text *t, Py_ssize_t at)
{
    int k = 0;
    while (k <= 8 && is_udigit(ch(t, at + k))) k++;
    if (k == 3 && is_sp(ch(t, at + 3)) && digits_at(t, at + 4, 3) && kw_number_end_ok(t, at + 7)) return at + 7;
    if (k >= 4 && k <= 8 && kw_number_end_ok(t, at + k)) return at + k;
    return 0;
}

/* number_for("phone"): \d{2,6}[x*]{2,6}\d{2,4}(?![\w*]) (each run taken whole). Its end, or 0 */
static Py_ssize_t masked_number(const Text *t, Py_ssize_t at)
{
    Py_ssize_t p = at;
    int k;
    for (k = 0; k <= 6 && is_udigit(ch(t, p + k)); k++) {}
    if (k < 2 || k > 6) return 0;
    p += k;
    for (k = 0; k <= 6 && (ch(t, p + k) == 'x' || ch(t, p + k) == '*'); k++) {}
    if (k < 2 || k > 6) return 0;
    p += k;
    for (k = 0; k <= 4 && is_udigit(ch(t, p + k)); k++) {}
    if (k < 2 || k > 4) return 0;
    p += k;
    return is_word(ch(t, p)) || ch(t, p) == '*' ? 0 : p;
}

/* number_for("account"): (?:\d[\dx*]{5,22}|\d{3,6}(?:[ .-]\d{3,6}){1,4})(?![\w*]) then NO_UNIT. In the first
 * branch the run must be taken whole (a shorter one is followed by a digit, x or *); in the second each group of
 * digits must (a digit is no separator and fails the lookahead), and fewer groups are tried as re backtracks.
 * Its end, or 0 */
static int account_end_ok(const Text *t, Py_ssize_t e)
{
    return !(is_word(ch(t, e)) || ch(t, e) == '*') && no_unit(t, e);
}

static Py_ssize_t account_number(const Text *t, Py_ssize_t at)
{
    if (!is_udigit(ch(t, at))) return 0;
    int k = 0;
    while (k <= 22 && (is_udigit(ch(t, at + 1 + k)) || ch(t, at + 1 + k) == 'x' || ch(t, at + 1 + k) == '*')) k++;
    if (k >= 5 && k <= 22 && account_end_ok(t, at + 1 + k)) return at + 1 + k;
    for (k = 0; k <= 6 && is_udigit(ch(t, at + k)); k++) {}
    if (k < 3 || k > 6) return 0;
    Py_ssize_t c[5];
    int g = 0;
    c[0] = at + k;
    while (g < 4 && is_sep_pd(ch(t, c[g]))) {
        for (k = 0; k <= 6 && is_udigit(ch(t, c[g] + 1 + k)); k++) {}
        if (k < 3 || k > 6) break;
        c[g + 1] = c[g] + 1 + k;
        g++;
    }
    for (; g >= 1; g--)
        if (account_end_ok(t, c[g])) return c[g];
    return 0;
}

/* Whether shapes()["money"] can match at the digit at ``at``: its number (digits, ".", ",", and "o" for NUM_O)
 * must end where a unit follows, directly or after one space, and that can only be where those characters stop;
 * what follows the number there is the anchor's unit group (the same parts; only its alternatives are in another
 * order, which does not change whether it matches). 0: it cannot; 1: it may (left to Python) */
static int money_possible(const Text *t, Py_ssize_t at)
{
    Py_UCS4 b = ch(t, at - 1);
    if (at > 0 && (is_word(b) || b == '.' || b == ',' || b == '$')) return 0; /* (?<![\w.,$]) */
    Py_ssize_t p = at;
    for (;; p++) {
        if (p - at > 200) return 1;
        Py_UCS4 c = ch(t, p);
        if (!(is_udigit(c) || c == '.' || c == ',' || c == 'o')) break;
    }
    UnitMatch u;
    return unit_group(t, p, &u);
}

/* shapes()["ussd"].match(low, p): (?<![\w*#])\*\d{2,4}(?:\*\d{1,16}){0,4}# (every run of digits must be taken
 * whole: a digit cannot match "*" or "#"). Its end, or 0 */
static Py_ssize_t ussd_match(const Text *t, Py_ssize_t p)
{
    Py_UCS4 b = ch(t, p - 1);
    if (ch(t, p) != '*' || (p > 0 && (is_word(b) || b == '*' || b == '#'))) return 0;
    int k = 0;
    while (k <= 4 && is_udigit(ch(t, p + 1 + k))) k++;
    if (k < 2 || k > 4) return 0;
    p += 1 + k;
    for (int g = 0; g < 4 && ch(t, p) == '*'; g++) {
        for (k = 0; k <= 16 && is_udigit(ch(t, p + 1 + k)); k++) {}
        if (k < 1 || k > 16) return 0;
        p += 1 + k;
    }
    return ch(t, p) == '#' ? p + 1 : 0;
}

/* ---- the scan ------------------------------------------------------------------------------------------------
 *
 * scan(low, scanner, helpers): _Scanner.run() with the loop over the anchors in C, and _Scanner.number(),
 * quick_money() and keyword() settled here for their common outcomes, step by step in number()'s order. What is
 * rare or takes more than a shape is handed back to the scanner's own Python methods: link(); number() as a whole
 * for a number that may be "$" money, an IP link or money with a unit; keyword() for a claim of money, or one
 * whose keyword_near() C cannot be sure of. number() and keyword() are pure up to the entity they add, so handing
 * them a number C has started on gives what Python alone gives. The attrs come from the Python helpers (pure and
 * cached; remembered here too). The scanner's floor (the end of the last entity) is written to it before each
 * call and read back after. */

typedef struct {
    Text t;
    PyObject *low, *scanner, *out;
    PyObject *phone_attrs, *datetime_attrs, *unit_money, *claimed;
    KwIndex *kw;
    Py_ssize_t floor;
} Scan;

#define DEFER (-2) /* number_c: leave this number to _Scanner.number() */

static PyObject *S_FLOOR, *S_OUT, *S_NUMBER, *S_LINK, *S_KEYWORD, *K_PHONE, *K_DATETIME, *K_MONEY, *K_ACCOUNT,
    *K_OTP, *K_SHORTCODE, *A_CODE, *A_USSD, *A_PREMIUM, *A_MASKED, *A_DIGITS, *A_LENGTH, *A_SIGN;

static int intern_names(void)
{
    struct { PyObject **slot; const char *name; } names[] = {
        {&S_FLOOR, "floor"}, {&S_OUT, "out"}, {&S_NUMBER, "number"}, {&S_LINK, "link"}, {&S_KEYWORD, "keyword"},
        {&K_PHONE, "phone"}, {&K_DATETIME, "datetime"}, {&K_MONEY, "money"}, {&K_ACCOUNT, "account"},
        {&K_OTP, "otp"}, {&K_SHORTCODE, "shortcode"}, {&A_CODE, "code"}, {&A_USSD, "ussd"},
        {&A_PREMIUM, "premium"}, {&A_MASKED, "masked"}, {&A_DIGITS, "digits"}, {&A_LENGTH, "length"}, {&A_SIGN, "sign"},
    };
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
        if (*names[k].slot == NULL && (*names[k].slot = PyUnicode_InternFromString(names[k].name)) == NULL)
            return -1;
    return 0;
}

/* _Scanner.add: (kind, s, e, attrs) appended, the floor moved to e; returns e, or -1 (attrs is stolen) */
static Py_ssize_t add_entity(Scan *S, PyObject *kind, Py_ssize_t s, Py_ssize_t e, PyObject *attrs)
{
    if (attrs == NULL) return -1;
    PyObject *item = PyTuple_New(4), *a = PyLong_FromSsize_t(s), *b = PyLong_FromSsize_t(e);
    if (item == NULL || a == NULL || b == NULL) {
        Py_XDECREF(item);
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_DECREF(attrs);
        return -1;
    }
    PyTuple_SET_ITEM(item, 0, Py_NewRef(kind));
    PyTuple_SET_ITEM(item, 1, a);
    PyTuple_SET_ITEM(item, 2, b);
    PyTuple_SET_ITEM(item, 3, attrs);
    int rc = PyList_Append(S->out, item);
    Py_DECREF(item);
    if (rc < 0) return -1;
    S->floor = e;
    return e;
}

static int put_floor(Scan *S)
{
    PyObject *f = PyLong_FromSsize_t(S->floor);
    if (f == NULL) return -1;
    int rc = PyObject_SetAttr(S->scanner, S_FLOOR, f);
    Py_DECREF(f);
    return rc;
}

static int get_floor(Scan *S)
{
    PyObject *f = PyObject_GetAttr(S->scanner, S_FLOOR);
    if (f == NULL) return -1;
    Py_ssize_t v = PyLong_AsSsize_t(f);
    Py_DECREF(f);
    if (v == -1 && PyErr_Occurred()) return -1;
    if (v < 0 || v > S->t.n) { /* the tests below read the text at floor - 1 */
        PyErr_SetString(PyExc_ValueError, "scan: scanner.floor out of the text");
        return -1;
    }
    S->floor = v;
    return 0;
}

/* scanner.<name>(a) or scanner.<name>(a, b): the position it returns (>= 0), or -1 with an exception */
static Py_ssize_t call_scanner(Scan *S, PyObject *name, Py_ssize_t a, Py_ssize_t b, int two)
{
    if (put_floor(S) < 0) return -1;
    PyObject *x = PyLong_FromSsize_t(a), *y = two ? PyLong_FromSsize_t(b) : NULL, *r = NULL;
    if (x != NULL && (!two || y != NULL)) r = PyObject_CallMethodObjArgs(S->scanner, name, x, y, NULL);
    Py_XDECREF(x);
    Py_XDECREF(y);
    if (r == NULL) return -1;
    Py_ssize_t v = PyLong_AsSsize_t(r);
    Py_DECREF(r);
    if (v == -1 && PyErr_Occurred()) return -1;
    if (get_floor(S) < 0) return -1;
    if (v < 0) {
        PyErr_Format(PyExc_ValueError, "scan: scanner.%U returned a negative position", name);
        return -1;
    }
    return v;
}

/* a copy of the dict d (stolen), as the public attrs functions give: the cached one must not change */
static PyObject *dict_copy(PyObject *d)
{
    if (d == NULL) return NULL;
    if (!PyDict_Check(d)) {
        Py_DECREF(d);
        PyErr_SetString(PyExc_TypeError, "scan: an attrs helper returned no dict");
        return NULL;
    }
    PyObject *c = PyDict_Copy(d);
    Py_DECREF(d);
    return c;
}

/* f(*args), remembered by ``key`` in memo table ``slot``, as long as f is the same function: the helpers are pure
 * (and cached in Python too, but an lru_cache call costs more than a dict lookup). A new reference, or NULL. */
#define MEMO_SLOTS 4
#define MEMO_MAX 8192
enum { MEMO_PHONE, MEMO_MASKED_PHONE, MEMO_DATETIME, MEMO_MONEY };
static PyObject *memo_table[MEMO_SLOTS], *memo_of[MEMO_SLOTS];

static PyObject *memo_call(int slot, PyObject *key, PyObject *f, PyObject *const *args, size_t nargs)
{
    if (memo_of[slot] != f || memo_table[slot] == NULL) {
        Py_XSETREF(memo_table[slot], PyDict_New());
        if (memo_table[slot] == NULL) return NULL;
        Py_XSETREF(memo_of[slot], Py_NewRef(f));
    }
    PyObject *r = PyDict_GetItemWithError(memo_table[slot], key);
    if (r != NULL) return Py_NewRef(r);
    if (PyErr_Occurred()) return NULL;
    r = PyObject_Vectorcall(f, args, nargs, NULL);
    if (r == NULL || memo_of[slot] != f) return r; /* (f ran Python code: the table may have changed hands) */
    if (PyDict_GET_SIZE(memo_table[slot]) >= MEMO_MAX) PyDict_Clear(memo_table[slot]);
    if (PyDict_SetItem(memo_table[slot], key, r) < 0) {
        Py_DECREF(r);
        return NULL;
    }
    return r;
}

static Py_ssize_t add_phone(Scan *S, Py_ssize_t s, Py_ssize_t e, int masked)
{
    PyObject *raw = PyUnicode_Substring(S->low, s, e);
    if (raw == NULL) return -1;
    PyObject *args[2] = {raw, masked ? Py_True : Py_False};
    PyObject *cached = memo_call(masked ? MEMO_MASKED_PHONE : MEMO_PHONE, raw, S->phone_attrs, args, 2);
    Py_DECREF(raw);
    return add_entity(S, K_PHONE, s, e, dict_copy(cached));
}

/* a dict of one or two int or bool items, or NULL */
static PyObject *small_dict(PyObject *k1, PyObject *v1, PyObject *k2, PyObject *v2)
{
    PyObject *d = PyDict_New();
    if (d == NULL || v1 == NULL || PyDict_SetItem(d, k1, v1) < 0 ||
        (k2 != NULL && (v2 == NULL || PyDict_SetItem(d, k2, v2) < 0))) {
        Py_XDECREF(d);
        Py_XDECREF(v1);
        Py_XDECREF(v2);
        return NULL;
    }
    Py_DECREF(v1);
    Py_XDECREF(v2);
    return d;
}

static const Py_UCS4 DATE_NEXT[] = {':', 'h', '/', '-', 0};

static inline int splits(Py_UCS4 c) { return Py_UNICODE_ISSPACE(c) || c == ':' || c == ','; }

/* A sure "yes" of _Scanner.keyword_near(at, kind) for the keyword at span (kw_start, kw_end): the keyword's last
 * word stands as a word of its own among the last seven of low[max(floor, at - 48):at] (split at spaces, ":" and
 * ","), so it is found there, and the kinds of that last word hold the kind the keyword claims. 0: not sure. */
static int surely_near(const Scan *S, Py_ssize_t at, const Py_ssize_t span[3])
{
    const Text *t = &S->t;
    Py_ssize_t lo = at - 48 > S->floor ? at - 48 : S->floor, ws = span[1];
    while (ws > span[0] && !Py_UNICODE_ISSPACE(at_(t, ws - 1))) ws--; /* the last word of the keyword */
    if (ws < lo || ws >= span[1] || (ws > lo && !splits(at_(t, ws - 1))) || span[1] >= at || !splits(at_(t, span[1])))
        return 0;
    int words = 0;
    for (Py_ssize_t i = ws; i < at; i++)
        if (!splits(at_(t, i)) && (i == ws || splits(at_(t, i - 1)))) words++;
    return words <= 7;
}

static Py_ssize_t count_digits(const Text *t, Py_ssize_t s, Py_ssize_t e) /* sum(c.isdigit() for c in low[s:e]) */
{
    Py_ssize_t n = 0;
    for (Py_ssize_t i = s; i < e; i++) n += Py_UNICODE_ISDIGIT(at_(t, i)) ? 1 : 0;
    return n;
}

/* ("account", s, e, {"masked": "x" or "*" in it, "digits": its digits}) */
static Py_ssize_t add_account(Scan *S, Py_ssize_t s, Py_ssize_t e)
{
    int masked = 0;
    for (Py_ssize_t i = s; i < e; i++) masked |= at_(&S->t, i) == 'x' || at_(&S->t, i) == '*';
    return add_entity(S, K_ACCOUNT, s, e, small_dict(A_MASKED, Py_NewRef(masked ? Py_True : Py_False), A_DIGITS,
                                                     PyLong_FromSsize_t(count_digits(&S->t, s, e))));
}

/* (kind, s, e, {key: its digits}) */
static Py_ssize_t add_digits_entity(Scan *S, PyObject *kind, PyObject *key, Py_ssize_t s, Py_ssize_t e)
{
    return add_entity(S, kind, s, e, small_dict(key, PyLong_FromSsize_t(count_digits(&S->t, s, e)), NULL, NULL));
}

/* _Scanner.keyword(at) once the keyword (at span) is found and claims the number as ``kind``: the end of the entity
 * it adds, 0 if it adds none; the kinds and cases not settled here go to keyword() itself. -1 on error. */
static Py_ssize_t claim(Scan *S, Py_ssize_t at, const Py_ssize_t span[3], PyObject *kind)
{
    const Text *t = &S->t;
    Py_ssize_t e;
    int which;
    if (!PyUnicode_Check(kind)) which = 0;
    else if (PyUnicode_CompareWithASCIIString(kind, "shortcode") == 0) which = 1;
    else if (PyUnicode_CompareWithASCIIString(kind, "account") == 0) which = 2;
    else if (PyUnicode_CompareWithASCIIString(kind, "phone") == 0) which = 3;
    else if (PyUnicode_CompareWithASCIIString(kind, "otp") == 0 || PyUnicode_CompareWithASCIIString(kind, "otp_is") == 0)
        which = 4;
    else which = 0; /* money */
    if (which == 0) return call_scanner(S, S_KEYWORD, at, 0, 0);
    e = which == 1 ? shortcode_match(t, at) : which == 2 ? account_number(t, at) : which == 3 ? masked_number(t, at)
                                                                                    : otp_number(t, at);
    if (e == 0) return 0; /* number_for(kind) does not match: keyword() says no */
    if (!surely_near(S, at, span)) return call_scanner(S, S_KEYWORD, at, 0, 0);
    switch (which) {
    case 1: {
        PyObject *code = PyUnicode_Substring(S->low, at, e), *d = PyDict_New();
        int premium = e - at == 4 && (at_(t, at) == '6' || at_(t, at) == '7' || at_(t, at) == '8');
        if (code == NULL || d == NULL || PyDict_SetItem(d, A_CODE, code) < 0 || PyDict_SetItem(d, A_USSD, Py_False) < 0 ||
            PyDict_SetItem(d, A_PREMIUM, premium ? Py_True : Py_False) < 0) {
            Py_XDECREF(code);
            Py_XDECREF(d);
            return -1;
        }
        Py_DECREF(code);
        return add_entity(S, K_SHORTCODE, at, e, d);
    }
    case 2:
        return add_account(S, at, e);
    case 3:
        return add_phone(S, at, e, 1);
    default:
        return add_digits_entity(S, K_OTP, A_LENGTH, at, e);
    }
}

/* _Scanner.number(at, run_end): the position to go on from (an entity added, or not), DEFER, or -1 on error */
static Py_ssize_t number_c(Scan *S, Py_ssize_t at, Py_ssize_t run_end)
{
    const Text *t = &S->t;
    Py_ssize_t floor = S->floor;
    Py_UCS4 q = ch(t, run_end), q2 = 0;
    if (q == ' ' || q == '.' || q == ',') q2 = ch(t, run_end + 1);
    if (run_end - at <= 2 && !in_set(q, AFTER_SHORT) && !in_set(q2, UNIT_FIRST) &&
        (at <= floor || !in_set(ch(t, at - 1), BEFORE_SHORT)) &&
        !(run_end < t->n && ch(t, at) == '8' && ch(t, at + 1) == '4'))
        return run_end; /* "2 phut", "100%" */
    Py_ssize_t start = at;
    Py_UCS4 b1 = ch(t, at - 1);
    if (at > floor && in_set(b1, BEFORE_SHORT_SP) &&
        (b1 != ' ' || (at - 1 > floor && in_set(ch(t, at - 2), BEFORE_SHORT_SP)))) {
        while (start > floor && start > at - 3 && in_set(ch(t, start - 1), BEFORE_SHORT_SP)) start--;
        while (start < at && ch(t, start) == ' ') start++;
    }
    int bracket_or_plus = 0, star = 0;
    for (Py_ssize_t i = start; i < at; i++) {
        Py_UCS4 c = at_(t, i);
        if (c == '$') return DEFER; /* "$100" */
        star |= c == '*';
        bracket_or_plus |= c == '+' || c == '(';
    }
    Py_ssize_t e;
    if (star && (e = ussd_match(t, at - 1)) != 0) {
        PyObject *d = PyDict_New(), *code = PyUnicode_Substring(S->low, at - 1, e);
        if (d == NULL || code == NULL || PyDict_SetItem(d, A_CODE, code) < 0 || PyDict_SetItem(d, A_USSD, Py_True) < 0 ||
            PyDict_SetItem(d, A_PREMIUM, Py_False) < 0) {
            Py_XDECREF(d);
            Py_XDECREF(code);
            return -1;
        }
        Py_DECREF(code);
        return add_entity(S, K_SHORTCODE, at - 1, e, d);
    }
    Py_ssize_t dots = 0, commas = 0;
    for (Py_ssize_t i = at; i < run_end; i++) {
        Py_UCS4 c = at_(t, i);
        dots += c == '.';
        commas += c == ',';
    }
    if (dots >= 3) return DEFER; /* an IP link? */
    if ((in_set(q, UNIT_FIRST) || in_set(q2, UNIT_FIRST)) && money_possible(t, at)) return DEFER;
    Py_ssize_t digits = run_end - at - dots - commas;
    int q_mask = q == 'x' || q == '*';
    if (digits >= 3 || q_mask) {
        Py_ssize_t span[3];
        if (context_match(t, at, S->kw, span)) {
            /* keyword(at) says no at once when the keyword and the words after it claim nothing, or claim a
             * shortcode and the number has not its shape: only the other numbers are handed to it */
            PyObject *kw = PyUnicode_Substring(S->low, span[0], span[1]);
            PyObject *between = PyUnicode_Substring(S->low, span[1], span[2]), *kind = NULL;
            if (kw && between) kind = PyObject_CallFunctionObjArgs(S->claimed, kw, between, NULL);
            Py_XDECREF(kw);
            Py_XDECREF(between);
            if (kind == NULL) return -1;
            Py_ssize_t r = kind == Py_None ? 0 : claim(S, at, span, kind);
            Py_DECREF(kind);
            if (r != 0) return r; /* claimed, or -1 */
        }
    }
    Py_UCS4 c0 = ch(t, at), c1 = run_end - at >= 2 ? ch(t, at + 1) : 0;
    if (c0 == '0' || bracket_or_plus || (c0 == '8' && c1 == '4') || (c0 == '1' && (c1 == '8' || c1 == '9'))) {
        Py_ssize_t s = start;
        int r = phone_match(t, start, &e);
        if (r == 0 && start < at) {
            s = at;
            r = phone_match(t, at, &e);
        }
        if (r < 0) return DEFER;
        if (r) return add_phone(S, s, e, 0);
    }
    if (q_mask && (e = masked_match(t, at)) != 0) {
        if (e - at == 10 && ch(t, at) == '0' && is_mobile3(ch(t, at + 1)) && is_udigit(ch(t, at + 2)))
            return add_phone(S, at, e, 1); /* "(0377xxx295)": a mobile number shown masked */
        return add_account(S, at, e); /* (masked: it holds x or *) */
    }
    if (q == ' ' && digits >= 4 && digits <= 8 && (e = otpsfx_match(t, at)) != 0)
        return add_entity(S, K_OTP, at, e, small_dict(A_LENGTH, PyLong_FromSsize_t(e - at), NULL, NULL));
    if (in_set(q, DATE_NEXT) || dots == 2) {
        int r = datetime_match(t, at, &e);
        if (r < 0) return DEFER;
        if (r) {
            PyObject *raw = PyUnicode_Substring(S->low, at, e), *attrs = NULL;
            if (raw != NULL) attrs = memo_call(MEMO_DATETIME, raw, S->datetime_attrs, &raw, 1);
            Py_XDECREF(raw);
            if (attrs == NULL) return -1;
            if (attrs == Py_None) {
                Py_DECREF(attrs);
                return e;
            }
            return add_entity(S, K_DATETIME, at, e, dict_copy(attrs));
        }
    }
    return run_end;
}

/* _Scanner.quick_money for the anchor a: its end if money was read (or skipped as under 100 dong), 0 if the number
 * is malformed or glued to what is before it, -1 on error */
static Py_ssize_t quick_money_c(Scan *S, const Anchor *a)
{
    const Text *t = &S->t;
    Py_ssize_t at = a->start;
    if (at > S->floor) {
        Py_UCS4 b = ch(t, at - 1);
        if (b == '.' || b == ',' || b == '$' || b == '_' || Py_UNICODE_ISALNUM(b)) return 0;
    }
    PyObject *num = PyUnicode_Substring(S->low, at, a->u.ustart);
    PyObject *unit = PyUnicode_Substring(S->low, a->u.nstart, a->u.nend);
    PyObject *sub = a->u.send > a->u.nend ? PyUnicode_Substring(S->low, a->u.nend, a->u.send) : Py_NewRef(Py_None);
    PyObject *parsed = NULL, *key = NULL;
    if (num && unit && sub && (key = PyTuple_Pack(3, num, unit, sub)) != NULL) {
        PyObject *args[3] = {num, unit, sub};
        parsed = memo_call(MEMO_MONEY, key, S->unit_money, args, 3);
    }
    Py_XDECREF(key);
    Py_XDECREF(num);
    Py_XDECREF(unit);
    Py_XDECREF(sub);
    if (parsed == NULL) return -1;
    if (parsed == Py_False || parsed == Py_None) {
        Py_DECREF(parsed);
        return parsed == Py_False ? 0 : a->end; /* (the singletons outlive the reference) */
    }
    if (!PyDict_Check(parsed)) {
        Py_DECREF(parsed);
        PyErr_SetString(PyExc_TypeError, "scan: unit_money must return a dict, False or None");
        return -1;
    }
    PyObject *attrs = PyDict_Copy(parsed);
    Py_DECREF(parsed);
    if (attrs == NULL) return -1;
    if (at > 0 && (at_(t, at - 1) == '+' || at_(t, at - 1) == '-')) {
        PyObject *sign = PyUnicode_Substring(S->low, at - 1, at);
        if (sign == NULL || PyDict_SetItem(attrs, A_SIGN, sign) < 0) {
            Py_XDECREF(sign);
            Py_DECREF(attrs);
            return -1;
        }
        Py_DECREF(sign);
    }
    return add_entity(S, K_MONEY, at, a->end, attrs);
}

static PyObject *scan(PyObject *self, PyObject *args)
{
    PyObject *low, *scanner, *helpers;
    if (!PyArg_ParseTuple(args, "UOO!:scan", &low, &scanner, &PyTuple_Type, &helpers)) return NULL;
    if (PyTuple_GET_SIZE(helpers) != 5) {
        PyErr_SetString(PyExc_TypeError,
                        "scan: helpers must be (keywords, phone_attrs, datetime_attrs, unit_money, claimed)");
        return NULL;
    }
    for (int k = 1; k < 5; k++) {
        if (!PyCallable_Check(PyTuple_GET_ITEM(helpers, k))) {
            PyErr_SetString(PyExc_TypeError, "scan: the helpers after the keywords must be callable");
            return NULL;
        }
    }
    if (intern_names() < 0) return NULL;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(low) < 0) return NULL;
#endif
    Scan S = {{PyUnicode_KIND(low), PyUnicode_DATA(low), PyUnicode_GET_LENGTH(low)}, low, scanner, NULL,
              PyTuple_GET_ITEM(helpers, 1), PyTuple_GET_ITEM(helpers, 2), PyTuple_GET_ITEM(helpers, 3),
              PyTuple_GET_ITEM(helpers, 4), NULL, 0};
    S.out = PyObject_GetAttr(scanner, S_OUT);
    if (S.out == NULL) return NULL;
    if (!PyList_Check(S.out)) {
        Py_DECREF(S.out);
        PyErr_SetString(PyExc_TypeError, "scan: scanner.out must be a list");
        return NULL;
    }
    if (get_floor(&S) < 0 || (S.kw = kw_index(PyTuple_GET_ITEM(helpers, 0))) == NULL) {
        Py_DECREF(S.out);
        return NULL;
    }
    Py_ssize_t i = 0, pos = 0;
    Anchor a;
    while (next_anchor(&S.t, i, &a)) {
        i = a.next;
        Py_ssize_t at = a.start, r = 0;
        if (at < pos) continue; /* inside the entity just read */
        if (a.unit) {
            r = quick_money_c(&S, &a);
            if (r == 0 && (r = number_c(&S, at, a.u.ustart)) == DEFER)
                r = call_scanner(&S, S_NUMBER, at, a.u.ustart, 1);
        } else if (is_digit09(at_(&S.t, at))) {
            if ((r = number_c(&S, at, a.end)) == DEFER) r = call_scanner(&S, S_NUMBER, at, a.end, 1);
        } else {
            r = call_scanner(&S, S_LINK, at, 0, 0);
        }
        if (r < 0) goto fail;
        pos = r;
    }
    if (put_floor(&S) < 0) {
        Py_DECREF(S.out);
        return NULL;
    }
    return S.out;
fail:
    Py_DECREF(S.out);
    return NULL;
}

/* shape(name, low, at): one of the matchers above on its own, for the tests (against the regexes) */
static PyObject *shape(PyObject *self, PyObject *args)
{
    const char *name;
    PyObject *low;
    Py_ssize_t at, end = 0;
    if (!PyArg_ParseTuple(args, "sUn:shape", &name, &low, &at)) return NULL;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(low) < 0) return NULL;
#endif
    Text t = {PyUnicode_KIND(low), PyUnicode_DATA(low), PyUnicode_GET_LENGTH(low)};
    if (at < 0 || at > t.n) {
        PyErr_SetString(PyExc_ValueError, "shape: position out of the text");
        return NULL;
    }
    int r;
    if (strcmp(name, "phone") == 0) r = phone_match(&t, at, &end);
    else if (strcmp(name, "datetime") == 0) r = datetime_match(&t, at, &end);
    else if (strcmp(name, "masked") == 0) r = (end = masked_match(&t, at)) != 0;
    else if (strcmp(name, "otpsfx") == 0) r = (end = otpsfx_match(&t, at)) != 0;
    else if (strcmp(name, "ussd") == 0) r = (end = ussd_match(&t, at)) != 0;
    else if (strcmp(name, "shortcode") == 0) r = (end = shortcode_match(&t, at)) != 0;
    else if (strcmp(name, "otp_number") == 0) r = (end = otp_number(&t, at)) != 0;
    else if (strcmp(name, "masked_number") == 0) r = (end = masked_number(&t, at)) != 0;
    else if (strcmp(name, "account_number") == 0) r = (end = account_number(&t, at)) != 0;
    else if (strcmp(name, "money") == 0) return PyBool_FromLong(money_possible(&t, at));
    else {
        PyErr_Format(PyExc_ValueError, "shape: no matcher %s", name);
        return NULL;
    }
    if (r < 0) return PyLong_FromLong(-1);
    if (r == 0) Py_RETURN_NONE;
    return PyLong_FromSsize_t(end);
}

/* ---- entities ------------------------------------------------------------------------------------------- */

static PyObject *FIELDS[6]; /* kind start end text placeholder attrs, interned */
static const char *FIELD_NAMES[6] = {"kind", "start", "end", "text", "placeholder", "attrs"};

/* cls(kind, start, end, text, placeholder, attrs) without calling __init__: each field set as object.__setattr__
 * would (a frozen dataclass forbids only its own __setattr__). Steals nothing. */
static PyObject *make_entity(PyTypeObject *cls, PyObject *empty, PyObject *values[6])
{
    PyObject *e = cls->tp_new(cls, empty, NULL);
    if (e == NULL) return NULL;
    for (int k = 0; k < 6; k++) {
        if (PyObject_GenericSetAttr(e, FIELDS[k], values[k]) < 0) {
            Py_DECREF(e);
            return NULL;
        }
    }
    return e;
}

static PyObject *entities(PyObject *self, PyObject *args)
{
    PyObject *found, *text, *lengths, *cls_obj, *placeholders;
    if (!PyArg_ParseTuple(args, "O!UOO!O!:entities", &PyList_Type, &found, &text, &lengths, &PyType_Type, &cls_obj,
                          &PyDict_Type, &placeholders))
        return NULL;
    PyTypeObject *cls = (PyTypeObject *)cls_obj;
    if (cls->tp_new != PyBaseObject_Type.tp_new) {
        PyErr_SetString(PyExc_TypeError, "entities: the entity class must not define __new__");
        return NULL;
    }
    int batch = lengths != Py_None;
    if (batch && !PyList_Check(lengths)) {
        PyErr_SetString(PyExc_TypeError, "entities: lengths must be a list of int or None");
        return NULL;
    }
    for (int k = 0; k < 6; k++) {
        if (FIELDS[k] == NULL && (FIELDS[k] = PyUnicode_InternFromString(FIELD_NAMES[k])) == NULL) return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) return NULL;
#endif
    Py_ssize_t n_text = PyUnicode_GET_LENGTH(text);
    Py_ssize_t n_msgs = batch ? PyList_GET_SIZE(lengths) : 1;
    PyObject *empty = PyTuple_New(0);
    PyObject *out = PyList_New(n_msgs);
    if (empty == NULL || out == NULL) goto fail;
    for (Py_ssize_t m = 0; m < n_msgs; m++) {
        PyObject *l = PyList_New(0);
        if (l == NULL) goto fail;
        PyList_SET_ITEM(out, m, l);
    }
    Py_ssize_t msg = 0, base = 0, next = PY_SSIZE_T_MAX;
    if (batch) {
        if (n_msgs == 0) {
            if (PyList_GET_SIZE(found)) {
                PyErr_SetString(PyExc_ValueError, "entities: entities but no message");
                goto fail;
            }
        } else {
            Py_ssize_t first = PyLong_AsSsize_t(PyList_GET_ITEM(lengths, 0));
            if (first == -1 && PyErr_Occurred()) goto fail;
            next = first + 1;
        }
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(found); i++) {
        PyObject *item = PyList_GET_ITEM(found, i);
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 4) {
            PyErr_SetString(PyExc_TypeError, "entities: found must hold (kind, start, end, attrs) tuples");
            goto fail;
        }
        PyObject *kind = PyTuple_GET_ITEM(item, 0), *attrs = PyTuple_GET_ITEM(item, 3);
        Py_ssize_t s = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 1));
        if (s == -1 && PyErr_Occurred()) goto fail;
        Py_ssize_t e = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 2));
        if (e == -1 && PyErr_Occurred()) goto fail;
        if (s < 0 || e < s || e > n_text) {
            PyErr_SetString(PyExc_ValueError, "entities: span out of the text");
            goto fail;
        }
        while (s >= next) { /* entities come in order: step to the message holding this one */
            if (++msg >= n_msgs) {
                PyErr_SetString(PyExc_ValueError, "entities: span past the last message");
                goto fail;
            }
            Py_ssize_t len = PyLong_AsSsize_t(PyList_GET_ITEM(lengths, msg));
            if (len == -1 && PyErr_Occurred()) goto fail;
            base = next;
            next = next + len + 1;
        }
        PyObject *placeholder = PyDict_GetItemWithError(placeholders, kind);
        if (placeholder == NULL) {
            if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, kind);
            goto fail;
        }
        PyObject *values[6] = {kind, PyLong_FromSsize_t(s - base), PyLong_FromSsize_t(e - base),
                               PyUnicode_Substring(text, s, e), placeholder, attrs};
        PyObject *entity = NULL;
        if (values[1] && values[2] && values[3]) entity = make_entity(cls, empty, values);
        Py_XDECREF(values[1]);
        Py_XDECREF(values[2]);
        Py_XDECREF(values[3]);
        if (entity == NULL) goto fail;
        int rc = PyList_Append(PyList_GET_ITEM(out, msg), entity);
        Py_DECREF(entity);
        if (rc < 0) goto fail;
    }
    Py_DECREF(empty);
    if (!batch) {
        PyObject *only = Py_NewRef(PyList_GET_ITEM(out, 0));
        Py_DECREF(out);
        return only;
    }
    return out;
fail:
    Py_XDECREF(empty);
    Py_XDECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"shape", shape, METH_VARARGS,
     "shape(name, low, at) -> end, None or -1\n\n"
     "A number shape matched in C at ``at``, as scan() uses it (for the tests): the end of the match of\n"
     "entity_patterns.shapes()[name] ('phone', 'datetime', 'otpsfx', 'ussd'; 'masked' from a digit) or of\n"
     "number_for('shortcode') ('shortcode'), None if it does not match, -1 if unsure (scan() then asks Python).\n"
     "'money': whether shapes()['money'] may match from the digit at ``at`` (False: it cannot)."},
    {"scan", scan, METH_VARARGS,
     "scan(low, scanner, helpers) -> scanner.out\n\n"
     "_Scanner.run() over low with the loop and the common outcomes of number() and quick_money() in C; the rest\n"
     "is handed to the scanner's link(), keyword() and number(). helpers: (keywords, phone_attrs, datetime_attrs,\n"
     "unit_money), as entities.py has them."},
    {"context", context, METH_VARARGS,
     "context(low, at, keywords) -> (kw_start, kw_end, between_end) or None\n\n"
     "entity_patterns.context() at the number starting at ``at``, read leftwards on low itself: the keyword is\n"
     "low[kw_start:kw_end] (one of keywords, given longest first), the words between low[kw_end:between_end]."},
    {"entities", entities, METH_VARARGS,
     "entities(found, text, lengths, cls, placeholders) -> [[entity, ...], ...]\n\n"
     "The entities of the scanner's (kind, start, end, attrs) spans of text: cls(kind, start - base, end - base,\n"
     "text[start:end], placeholders[kind], attrs) per span, without calling __init__, in lists per message, the\n"
     "messages having the given lengths and one separator character between them. lengths None: one message,\n"
     "one flat list."},
    {"anchors", anchors, METH_VARARGS,
     "anchors(low, settle=False) -> [(start, end, unit_start, unit, sub), ...]\n\n"
     "The matches of entity_patterns.anchor() over low, in order (unit_start -1, unit and sub None when no money\n"
     "unit was read). settle: leave out the short digit runs that _Scanner.number() gives up on at once."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "spamguard._entityscan",
                                    "Compiled kernel of the entity scanner.", -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__entityscan(void) { return PyModule_Create(&module); }
