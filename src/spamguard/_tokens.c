/* Compiled kernel of the syllable tokenizer (optional: spamguard.text.tokenize has the pure-Python definition).
 *
 * unit_tokens: for each message, the syllable-mode tokens of tokenize._tokens() built from its unit strings: the
 * units, the pairs of neighbouring units ("a_b"), then the same from the accent-free string with a "~" prefix,
 * with entity placeholders cut in and all-digit units written as their shape ("__num6__"). The entity attribute
 * and teencode tokens are added by the caller. Checked against the pure-Python path in tests/test_tokens_kernel.py.
 */
#include "_units.h"

static PyObject *shapes[13];  /* "__num1__" .. "__num12__", interned at import */

typedef struct {
    UnitSink sink;  /* first: the walker calls token_unit through it */
    PyObject *units;  /* list of the units of the side being walked */
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
        unit = PyUnicode_Substring(str, start, end);
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

/* Fill ``out`` from position *k with the units of one side and their pairs, each with ``prefix`` (0: none). */
static int put_grams(PyObject *out, Py_ssize_t *k, PyObject *units, Py_UCS4 prefix)
{
    Py_ssize_t n = PyList_GET_SIZE(units);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *unit = PyList_GET_ITEM(units, i);
        if (!prefix) Py_INCREF(unit);
        if (put(out, k, prefix ? joined(prefix, unit, NULL) : unit) < 0) return -1;
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
    Collect c = {{token_unit}, NULL};
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
        failed = !tokens || put_grams(tokens, &k, plain_units, 0) < 0 || put_grams(tokens, &k, c.units, '~') < 0;
        Py_DECREF(plain_units);
        if (failed) goto fail;
    }
    Py_XDECREF(c.units);
    return rows;
fail:
    Py_XDECREF(c.units);
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
