/* Shared by the compiled kernels that read unit strings (_speedups.c: hashed columns, _tokens.c: token strings).
 *
 * A unit string is a message's syllables, numbers and entity markers separated by blanks. walk_row() hands each unit
 * of a row to a sink, as str.split() finds them, with each entity span replaced by its entity's placeholder first
 * (as tokenize._cut_entities writes it). unit_is_decimal() tells the all-digit units, which the models see as their
 * shape ("__num6__").
 */
#ifndef SPAMGUARD_UNITS_H
#define SPAMGUARD_UNITS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct UnitSink UnitSink;
struct UnitSink {
    /* A unit: str[start:end] (kind and data are the str's). Returns -1 with an exception set to stop. */
    int (*unit)(UnitSink *sink, PyObject *str, int kind, const void *data, Py_ssize_t start, Py_ssize_t end);
};

static unsigned char latin1_blank[256];  /* Py_UNICODE_ISSPACE of each Latin-1 character: units_init() */
static PyObject *placeholder_name;       /* "placeholder", interned by units_init() */

static inline int units_init(void)
{
    for (int c = 0; c < 256; c++) latin1_blank[c] = (unsigned char)Py_UNICODE_ISSPACE(c);
    placeholder_name = PyUnicode_InternFromString("placeholder");
    return placeholder_name ? 0 : -1;
}

/* The units of str[from:n]. */
static inline int walk_units(UnitSink *sink, PyObject *str, Py_ssize_t from, Py_ssize_t n)
{
    int kind = PyUnicode_KIND(str);
    const void *data = PyUnicode_DATA(str);
    Py_ssize_t i = from;
    while (i < n) {
        Py_ssize_t start;
        if (kind == PyUnicode_1BYTE_KIND) {  /* Latin-1 (ASCII included): str.split()'s blanks by table */
            const Py_UCS1 *chars = data;
            while (i < n && latin1_blank[chars[i]]) i++;
            if (i >= n) break;
            start = i;
            while (i < n && !latin1_blank[chars[i]]) i++;
        } else {
            while (i < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i++;
            if (i >= n) break;
            start = i;
            while (i < n && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i++;
        }
        if (sink->unit(sink, str, kind, data, start, i) < 0) return -1;
    }
    return 0;
}

static inline int span_bound(PyObject *span, int k, Py_ssize_t *out)
{
    *out = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, k));
    if (*out == -1 && PyErr_Occurred()) return -1;
    if (*out < 0) {
        PyErr_SetString(PyExc_ValueError, "negative entity span");
        return -1;
    }
    return 0;
}

/* The units of a row: with entity spans (a list of (start, end)) and their entities (a list of objects with a
 * ``placeholder``), those of str[0:s1], then entity 1's placeholder, those of str[e1:s2] and so on, slices clipped
 * as Python clips them; ``spans`` None: the units of str. */
static inline int walk_row(UnitSink *sink, PyObject *str, PyObject *spans, PyObject *entities)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(str), last = 0, cuts = 0;
    if (spans != Py_None) {
        if (!PyList_Check(spans) || !PyList_Check(entities)) {
            PyErr_SetString(PyExc_TypeError, "entity spans and entities must be lists (or None)");
            return -1;
        }
        cuts = PyList_GET_SIZE(spans) < PyList_GET_SIZE(entities) ? PyList_GET_SIZE(spans)
                                                                    : PyList_GET_SIZE(entities);
    }
    for (Py_ssize_t k = 0; k < cuts; k++) {
        PyObject *span = PyList_GET_ITEM(spans, k);
        Py_ssize_t start, end;
        if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
            PyErr_SetString(PyExc_TypeError, "an entity span must be a (start, end) tuple");
            return -1;
        }
        if (span_bound(span, 0, &start) < 0 || span_bound(span, 1, &end) < 0) return -1;
        Py_ssize_t a = last < n ? last : n, b = start < n ? start : n;
        if (b > a && walk_units(sink, str, a, b) < 0) return -1;
        PyObject *place = PyObject_GetAttr(PyList_GET_ITEM(entities, k), placeholder_name);
        if (!place) return -1;
        int failed = !PyUnicode_Check(place) || walk_units(sink, place, 0, PyUnicode_GET_LENGTH(place)) < 0;
        if (failed && !PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "a placeholder must be a str");
        Py_DECREF(place);
        if (failed) return -1;
        last = end;
    }
    return last < n ? walk_units(sink, str, last, n) : 0;
}

/* Whether str[start:end] is all decimal digits (str.isdecimal()). */
static inline int unit_is_decimal(PyObject *str, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    if (PyUnicode_IS_ASCII(str)) {
        const unsigned char *ascii = (const unsigned char *)data;
        for (Py_ssize_t i = start; i < end; i++)
            if (ascii[i] < '0' || ascii[i] > '9') return 0;
        return 1;
    }
    for (Py_ssize_t i = start; i < end; i++)
        if (!Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i))) return 0;
    return 1;
}

/* Check the per-row arguments shared by the kernels: lists of one length (spans and entities may be None). */
static inline int check_rows(PyObject *plain, PyObject *ascii, PyObject *spans, PyObject *entities)
{
    Py_ssize_t n = PyList_GET_SIZE(plain);
    if (PyList_GET_SIZE(ascii) != n || (spans != Py_None && (!PyList_Check(spans) || !PyList_Check(entities)
                                                            || PyList_GET_SIZE(spans) != n
                                                            || PyList_GET_SIZE(entities) != n))) {
        PyErr_SetString(PyExc_ValueError, "plain, ascii, spans and entities must be lists of one length");
        return -1;
    }
    for (Py_ssize_t row = 0; row < n; row++) {
        PyObject *u = PyList_GET_ITEM(plain, row), *a = PyList_GET_ITEM(ascii, row);
        if (!PyUnicode_Check(u) || (a != Py_None && !PyUnicode_Check(a))) {
            PyErr_SetString(PyExc_TypeError, "unit strings must be str (ascii: str or None)");
            return -1;
        }
    }
    return 0;
}

#endif
