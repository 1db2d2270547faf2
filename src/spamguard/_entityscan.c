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
 * Linear time: every test at a position looks at a bounded number of characters around it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

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
    Py_UCS4 c[5];
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
    Py_ssize_t i = 0, n = t.n;
    while ((i = skip_plain(&t, i)) < n) {
        Py_UCS4 c = at_(&t, i);
        PyObject *item = NULL;
        Py_ssize_t next = i + 1;
        if (c == '.') {
            if (link_letter(ch(&t, i + 1))) item = anchor_tuple(low, i, i + 1, NULL);
        } else if (c == '[' || c == '(') {
            if (ch(&t, i + 1) == '.' && ch(&t, i + 2) == (c == '[' ? ']' : ')')) {
                item = anchor_tuple(low, i, i + 3, NULL);
                next = i + 3;
            }
        } else if (c == '@') {
            Py_UCS4 c1 = ch(&t, i + 1);
            if ((c1 >= 'a' && c1 <= 'z') || is_digit09(c1)) item = anchor_tuple(low, i, i + 1, NULL);
        } else if (is_digit09(c)) {
            if (!short_nothing(&t, i)) {
                Py_ssize_t e = i + 1, limit = n - i > 42 ? i + 42 : n;  /* (?:[0-9.,]{0,40}[0-9])? */
                for (Py_ssize_t j = i + 1; j < limit; j++) {
                    Py_UCS4 d = at_(&t, j);
                    if (is_digit09(d)) e = j + 1;
                    else if (d != '.' && d != ',') break;
                }
                UnitMatch u;
                if (unit_group(&t, e, &u)) {
                    item = anchor_tuple(low, i, u.end, &u);
                    next = u.end;
                } else {
                    next = e;
                    if (!(settle && settled_short(&t, i, e))) item = anchor_tuple(low, i, e, NULL);
                }
            }
        } else {
            i++;
            continue;
        }
        if (item != NULL) {
            if (PyList_Append(out, item) < 0) { Py_DECREF(item); Py_DECREF(out); return NULL; }
            Py_DECREF(item);
        } else if (PyErr_Occurred()) {
            Py_DECREF(out);
            return NULL;
        }
        i = next;
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
    if (at_(t, last) != PyUnicode_READ(kind, data, len - 1)) return 0;  /* most keywords differ there */
    for (Py_ssize_t k = 0; k < len - 1; k++)
        if (at_(t, first + k) != PyUnicode_READ(kind, data, k)) return 0;
    return 1;
}

/* entity_patterns.context() matched on the reversed text at the number starting at ``at``, read here leftwards on
 * the text itself: 1-3 of " :#=.-", then up to six words (letters, then 1-3 of " :,"), as few as possible, then a
 * keyword (longest first) with no letter before it. The alternatives re would try on failure (fewer separators or
 * letters) always fail here, as a word or keyword never starts with a separator, so one path is enough. */
static PyObject *context(PyObject *self, PyObject *args)
{
    PyObject *low, *keywords;
    Py_ssize_t at;
    if (!PyArg_ParseTuple(args, "UnO!:context", &low, &at, &PyTuple_Type, &keywords)) return NULL;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(low) < 0) return NULL;
#endif
    Py_ssize_t n_kw = PyTuple_GET_SIZE(keywords);
    for (Py_ssize_t k = 0; k < n_kw; k++) {
        PyObject *w = PyTuple_GET_ITEM(keywords, k);
        if (!PyUnicode_Check(w)) {
            PyErr_SetString(PyExc_TypeError, "context: keywords must be a tuple of str");
            return NULL;
        }
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(w) < 0) return NULL;
#endif
    }
    Text t = {PyUnicode_KIND(low), PyUnicode_DATA(low), PyUnicode_GET_LENGTH(low)};
    if (at < 0 || at > t.n) {
        PyErr_SetString(PyExc_ValueError, "context: position out of the text");
        return NULL;
    }
    Py_ssize_t pos = at - 1, count = 0;
    while (count < 3 && pos >= 0 && in_set(at_(&t, pos), (const Py_UCS4[]){' ', ':', '#', '=', '.', '-', 0})) {
        pos--;
        count++;
    }
    if (count == 0) Py_RETURN_NONE;
    Py_ssize_t between_end = pos + 1;
    for (int words = 0;; words++) {
        for (Py_ssize_t k = 0; k < n_kw; k++) {
            PyObject *w = PyTuple_GET_ITEM(keywords, k);
            if (ends_with_at(&t, pos, w) && !is_letter(ch(&t, pos - PyUnicode_GET_LENGTH(w))))
                return Py_BuildValue("(nnn)", pos - PyUnicode_GET_LENGTH(w) + 1, pos + 1, between_end);
        }
        if (words == 6) break;
        Py_ssize_t letters = 0;
        while (letters <= 15 && is_letter(ch(&t, pos - letters))) letters++;
        if (letters < 1 || letters > 15) break;
        pos -= letters;
        Py_ssize_t seps = 0;
        while (seps < 3 && pos - seps >= 0 && in_set(at_(&t, pos - seps), (const Py_UCS4[]){' ', ':', ',', 0}))
            seps++;
        if (seps == 0) break;
        pos -= seps;
    }
    Py_RETURN_NONE;
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
