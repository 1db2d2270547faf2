/* Compiled kernel of the syllable tokenizer (optional: spamguard.text.tokenize has the pure-Python definition).
 *
 * unit_tokens: for each message, the syllable-mode tokens of tokenize._tokens() built from its unit strings: the
 * units, the pairs of neighbouring units ("a_b"), then the same from the accent-free string with a "~" prefix,
 * with entity placeholders cut in and all-digit units written as their shape ("__num6__"). The entity attribute
 * and teencode tokens are added by the caller. Checked against the pure-Python path in tests/test_tokens_kernel.py.
 *
 * A batch repeats its tokens: in 216 distinct SMS of our corpora, 82% of the units are a unit seen before, and
 * 30% of the pairs. Each call keeps the units it made in a table (by their characters) and the "~" token of each
 * (by the unit's identity), so that a repeated unit costs a lookup instead of two new strings to allocate, free and
 * have the garbage collector visit. The tables live for one call.
 */
#include "_units.h"
#include <stdint.h>

/* ---- the per-call string tables ---------------------------------------------------------------------------- */

#define CACHE_CAP (1 << 16)  /* entries a table takes; past this, strings are made without it (bounded memory) */

typedef struct { uint64_t hash; PyObject *str; } TextSlot;  /* str NULL: empty */
typedef struct { TextSlot *slots; size_t mask, used; } TextCache;

typedef struct { PyObject *unit, *value; } PrefixedSlot;  /* unit NULL: empty */
typedef struct { PrefixedSlot *slots; size_t mask, used; } PrefixedCache;  /* unit -> "~" + unit */

static uint64_t text_hash(int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    uint64_t h = 1469598103934665603ULL;  /* FNV-1a over the code points */
    for (Py_ssize_t i = start; i < end; i++) h = (h ^ PyUnicode_READ(kind, data, i)) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static inline size_t pointer_hash(PyObject *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h ^ (h >> 29));
}

/* Whether the string s holds exactly the characters data[start:end] (of the given kind). */
static int same_text(PyObject *s, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t n = end - start;
    if (PyUnicode_GET_LENGTH(s) != n) return 0;
    int skind = PyUnicode_KIND(s);
    const void *sdata = PyUnicode_DATA(s);
    if (skind == kind) return memcmp(sdata, (const char *)data + start * kind, (size_t)(n * kind)) == 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (PyUnicode_READ(skind, sdata, i) != PyUnicode_READ(kind, data, start + i)) return 0;
    return 1;
}

static int text_grow(TextCache *c)
{
    size_t size = c->slots ? 2 * (c->mask + 1) : 1024;
    TextSlot *slots = PyMem_Calloc(size, sizeof(TextSlot));
    if (!slots) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; c->slots && i <= c->mask; i++) {
        if (!c->slots[i].str) continue;
        size_t j = c->slots[i].hash & (size - 1);
        while (slots[j].str) j = (j + 1) & (size - 1);
        slots[j] = c->slots[i];
    }
    PyMem_Free(c->slots);
    c->slots = slots;
    c->mask = size - 1;
    return 0;
}

/* str[start:end] as a new reference: the string made for the same characters earlier in this call, if any. */
static PyObject *cached_text(TextCache *c, PyObject *str, int kind, const void *data, Py_ssize_t start,
                             Py_ssize_t end)
{
    if (c->used >= CACHE_CAP) return PyUnicode_Substring(str, start, end);
    if ((c->used + 1) * 2 > (c->slots ? c->mask + 1 : 0) && text_grow(c) < 0) return NULL;
    uint64_t h = text_hash(kind, data, start, end);
    size_t j = h & c->mask;
    for (; c->slots[j].str; j = (j + 1) & c->mask) {
        if (c->slots[j].hash == h && same_text(c->slots[j].str, kind, data, start, end)) {
            Py_INCREF(c->slots[j].str);
            return c->slots[j].str;
        }
    }
    PyObject *s = PyUnicode_Substring(str, start, end);
    if (!s) return NULL;
    Py_INCREF(s);  /* the table's reference */
    c->slots[j].hash = h;
    c->slots[j].str = s;
    c->used++;
    return s;
}

static int prefixed_grow(PrefixedCache *c)
{
    size_t size = c->slots ? 2 * (c->mask + 1) : 1024;
    PrefixedSlot *slots = PyMem_Calloc(size, sizeof(PrefixedSlot));
    if (!slots) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; c->slots && i <= c->mask; i++) {
        if (!c->slots[i].unit) continue;
        size_t j = pointer_hash(c->slots[i].unit) & (size - 1);
        while (slots[j].unit) j = (j + 1) & (size - 1);
        slots[j] = c->slots[i];
    }
    PyMem_Free(c->slots);
    c->slots = slots;
    c->mask = size - 1;
    return 0;
}

static void text_clear(TextCache *c)
{
    for (size_t i = 0; c->slots && i <= c->mask; i++) Py_XDECREF(c->slots[i].str);
    PyMem_Free(c->slots);
    c->slots = NULL;
    c->used = 0;
}

static void prefixed_clear(PrefixedCache *c)
{
    for (size_t i = 0; c->slots && i <= c->mask; i++) {
        if (!c->slots[i].unit) continue;
        Py_DECREF(c->slots[i].unit);  /* the key is held too: no other string may take its address */
        Py_DECREF(c->slots[i].value);
    }
    PyMem_Free(c->slots);
    c->slots = NULL;
    c->used = 0;
}

static PyObject *shapes[13];  /* "__num1__" .. "__num12__", interned at import */

typedef struct {
    UnitSink sink;  /* first: the walker calls token_unit through it */
    PyObject *units;  /* list of the units of the side being walked */
    TextCache texts;  /* the units made in this call */
    PrefixedCache prefixed;  /* the "~" tokens of units made in this call */
} Collect;

static int token_unit(UnitSink *sink, PyObject *str, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    Collect *c = (Collect *)sink;
    PyObject *unit;
    if (unit_is_decimal(str, kind, data, start, end)) {
        unit = shapes[end - start < 12 ? end - start : 12];
        Py_INCREF(unit);
    } else if (start == 0 && end == PyUnicode_GET_LENGTH(str) && PyUnicode_CheckExact(str)) {
        unit = str;  /* a placeholder, whole */
        Py_INCREF(unit);
    } else {
        unit = cached_text(&c->texts, str, kind, data, start, end);
        if (!unit) return -1;
    }
    int failed = PyList_Append(c->units, unit);
    Py_DECREF(unit);
    return failed;
}

/* Copy the characters of ``src`` into ``out`` from position ``at`` (``out``'s kind is at least ``src``'s). */
static inline void copy_into(PyObject *out, Py_ssize_t at, PyObject *src)
{
    int kind = PyUnicode_KIND(out), src_kind = PyUnicode_KIND(src);
    Py_ssize_t n = PyUnicode_GET_LENGTH(src);
    void *data = PyUnicode_DATA(out);
    const void *from = PyUnicode_DATA(src);
    if (kind == src_kind) {
        memcpy((char *)data + at * kind, from, n * kind);
    } else {
        for (Py_ssize_t i = 0; i < n; i++) PyUnicode_WRITE(kind, data, at + i, PyUnicode_READ(src_kind, from, i));
    }
}

/* prefix + a, or prefix + a + "_" + b when b is given (prefix 0: none). Built in place: PyUnicode_Concat and
 * PyUnicode_CopyCharacters check more than tokens need and made the kernel twice as slow. */
static PyObject *joined(Py_UCS4 prefix, PyObject *a, PyObject *b)
{
    Py_ssize_t la = PyUnicode_GET_LENGTH(a), lb = b ? PyUnicode_GET_LENGTH(b) : 0;
    Py_ssize_t at = prefix ? 1 : 0, n = at + la + (b ? 1 + lb : 0);
    Py_UCS4 maxchar = PyUnicode_MAX_CHAR_VALUE(a);
    if (b && PyUnicode_MAX_CHAR_VALUE(b) > maxchar) maxchar = PyUnicode_MAX_CHAR_VALUE(b);
    PyObject *out = PyUnicode_New(n, maxchar < 127 ? 127 : maxchar);
    if (!out) return NULL;
    int kind = PyUnicode_KIND(out);
    void *data = PyUnicode_DATA(out);
    if (prefix) PyUnicode_WRITE(kind, data, 0, prefix);
    copy_into(out, at, a);
    if (b) {
        PyUnicode_WRITE(kind, data, at + la, '_');
        copy_into(out, at + la + 1, b);
    }
    return out;
}

/* Set out[*k] (a list of known size) to a new reference, or fail. */
static inline int put(PyObject *out, Py_ssize_t *k, PyObject *item)
{
    if (!item) return -1;
    PyList_SET_ITEM(out, (*k)++, item);
    return 0;
}

/* prefix + unit as joined() makes it, as a new reference: the string made for the same unit (the same object)
 * earlier in this call, if any. */
static PyObject *cached_prefixed(PrefixedCache *c, Py_UCS4 prefix, PyObject *unit)
{
    if (c->used >= CACHE_CAP) return joined(prefix, unit, NULL);
    if ((c->used + 1) * 2 > (c->slots ? c->mask + 1 : 0) && prefixed_grow(c) < 0) return NULL;
    size_t j = pointer_hash(unit) & c->mask;
    for (; c->slots[j].unit; j = (j + 1) & c->mask) {
        if (c->slots[j].unit == unit) {
            Py_INCREF(c->slots[j].value);
            return c->slots[j].value;
        }
    }
    PyObject *value = joined(prefix, unit, NULL);
    if (!value) return NULL;
    Py_INCREF(unit);
    Py_INCREF(value);
    c->slots[j] = (PrefixedSlot){unit, value};
    c->used++;
    return value;
}

/* Fill ``out`` from position *k with the units of one side and their pairs, each with ``prefix`` (0: none; the one
 * prefix of a call, as the table of prefixed units holds it). Pairs repeat less than units (30% against 82% in the
 * corpus count above): looking them up cost more instructions than it saved, so they are always made. */
static int put_grams(PrefixedCache *prefixed, PyObject *out, Py_ssize_t *k, PyObject *units, Py_UCS4 prefix)
{
    Py_ssize_t n = PyList_GET_SIZE(units);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *unit = PyList_GET_ITEM(units, i);
        if (!prefix) Py_INCREF(unit);
        if (put(out, k, prefix ? cached_prefixed(prefixed, prefix, unit) : unit) < 0) return -1;
    }
    for (Py_ssize_t i = 1; i < n; i++)
        if (put(out, k, joined(prefix, PyList_GET_ITEM(units, i - 1), PyList_GET_ITEM(units, i))) < 0) return -1;
    return 0;
}

static inline Py_ssize_t grams_of(PyObject *units)
{
    Py_ssize_t n = PyList_GET_SIZE(units);
    return n ? 2 * n - 1 : 0;
}

static int collect(Collect *c, PyObject *str, PyObject *spans, PyObject *entities)
{
    Py_XSETREF(c->units, PyList_New(0));
    return c->units ? walk_row(&c->sink, str, spans, entities) : -1;
}

static PyObject *unit_tokens(PyObject *self, PyObject *args)
{
    PyObject *plain, *ascii, *spans = Py_None, *entities = Py_None;
    if (!PyArg_ParseTuple(args, "O!O!|OO", &PyList_Type, &plain, &PyList_Type, &ascii, &spans, &entities))
        return NULL;
    if (check_rows(plain, ascii, spans, entities) < 0) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(plain);
    PyObject *rows = PyList_New(n);
    Collect c = {{token_unit}, NULL, {NULL, 0, 0}, {NULL, 0, 0}};
    if (!rows) return NULL;
    for (Py_ssize_t row = 0; row < n; row++) {
        PyObject *u = PyList_GET_ITEM(plain, row), *a = PyList_GET_ITEM(ascii, row);
        PyObject *row_spans = spans == Py_None ? Py_None : PyList_GET_ITEM(spans, row);
        PyObject *row_entities = spans == Py_None ? Py_None : PyList_GET_ITEM(entities, row);
        if (collect(&c, u, row_spans, row_entities) < 0) goto fail;
        PyObject *plain_units = c.units;
        Py_INCREF(plain_units);
        int failed = a != Py_None && collect(&c, a, row_spans, row_entities) < 0;
        PyObject *tokens = failed ? NULL : PyList_New(grams_of(plain_units) + grams_of(c.units));
        Py_ssize_t k = 0;
        if (tokens) PyList_SET_ITEM(rows, row, tokens);  /* a list with NULL items left is freed safely */
        failed = !tokens || put_grams(&c.prefixed, tokens, &k, plain_units, 0) < 0 ||
                 put_grams(&c.prefixed, tokens, &k, c.units, '~') < 0;
        Py_DECREF(plain_units);
        if (failed) goto fail;
    }
    Py_XDECREF(c.units);
    text_clear(&c.texts);
    prefixed_clear(&c.prefixed);
    return rows;
fail:
    Py_XDECREF(c.units);
    text_clear(&c.texts);
    prefixed_clear(&c.prefixed);
    Py_DECREF(rows);  /* rows not reached yet are NULL: list_dealloc skips them */
    return NULL;
}

static PyMethodDef methods[] = {
    {"unit_tokens", unit_tokens, METH_VARARGS,
     "unit_tokens(plain, ascii[, spans, entities]) -> list of token lists\n\n"
     "Per message: its units and neighbour pairs, then \"~\" + each of those of the accent-free string (``ascii[i]``\n"
     "None: the same string). With ``spans`` and ``entities`` (per row a list of (start, end), and of objects with a\n"
     "``placeholder``, or None), each span is replaced by its entity's placeholder first."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "spamguard._tokens",
                                    "Compiled kernel of the syllable tokenizer.", -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__tokens(void)
{
    if (units_init() < 0) return NULL;
    for (int n = 1; n <= 12; n++) {
        shapes[n] = PyUnicode_FromFormat("__num%d__", n);
        if (!shapes[n]) return NULL;
        PyUnicode_InternInPlace(&shapes[n]);
    }
    return PyModule_Create(&module);
}
