/* Compiled kernel of the text fast path (optional: spamguard.text.lane has the pure-Python definition).
 *
 * obfuscation_flags: for each message of a batch of accent-free lane bytes (messages joined by one separator byte),
 * which de-obfuscation steps may apply: leetspeak, a letter O in a number, spaced letters, repeated letters. Exactly
 * lane.obfuscation_flags() of each message on its own, in one pass over the batch instead of several searches
 * over the joined text (and the per-message re-encoding of the messages it flags). The class tables come from
 * lane.py, so the two definitions cannot drift apart.
 * encode: the lane bytes of a text (what the charmap codec gives, about twenty times faster); lower_encode: the
 * same of its lower-case form, without str.lower()'s per-character case lookups.
 * decode: the way back, whole or split at a separator (the codec costs ~30 instructions a character).
 * outside: which messages of a batch hold a character outside a set (the regex character class costs ~100
 * instructions a character, a bit table two).
 *
 * unit_words: in the unit bytes of a batch (lane bytes with every non-unit a blank), where the teencode words are
 * (with the checks of teencode.expansions_in_units on their neighbours), and the distinct words that are not ASCII
 * (the only ones whose tone mark may be misplaced), without splitting every message into Python strings.
 */
#include "_laneflags.h"
#include <stdint.h>
#include <string.h>

typedef struct { const unsigned char *leet, *digit0, *spaced, *left, *right; } Tables;

/* lane.obfuscation_flags() of one message. */
static int flags_of(const unsigned char *f, Py_ssize_t n, const Tables *t)
{
    return lane_flags(f, n, t->leet, t->digit0, t->spaced, t->left, t->right);
}

static int table_arg(PyObject *obj, const unsigned char **out)
{
    if (!PyBytes_Check(obj) || PyBytes_GET_SIZE(obj) != 256) {
        PyErr_SetString(PyExc_TypeError, "class tables must be bytes of length 256");
        return -1;
    }
    *out = (const unsigned char *)PyBytes_AS_STRING(obj);
    return 0;
}

static PyObject *obfuscation_flags(PyObject *self, PyObject *args)
{
    Py_buffer folded;
    PyObject *lengths, *tables;
    if (!PyArg_ParseTuple(args, "y*OO!", &folded, &lengths, &PyTuple_Type, &tables)) return NULL;
    PyObject *result = NULL, *fast = NULL;
    Tables t;
    if (PyTuple_GET_SIZE(tables) != 5) {
        PyErr_SetString(PyExc_TypeError, "tables must be (leet, digit0, spaced, left, right)");
        goto done;
    }
    const unsigned char **slots[5] = {&t.leet, &t.digit0, &t.spaced, &t.left, &t.right};
    for (int k = 0; k < 5; k++)
        if (table_arg(PyTuple_GET_ITEM(tables, k), slots[k]) < 0) goto done;
    fast = PySequence_Fast(lengths, "lengths must be a sequence of ints");
    if (!fast) goto done;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(fast), at = 0;
    result = PyBytes_FromStringAndSize(NULL, count);
    if (!result) goto done;
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(result);
    const unsigned char *data = folded.buf;
    for (Py_ssize_t m = 0; m < count; m++) {
        Py_ssize_t n = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(fast, m));
        if (n == -1 && PyErr_Occurred()) { Py_CLEAR(result); goto done; }
        if (n < 0 || at + n > folded.len) {
            PyErr_SetString(PyExc_ValueError, "message lengths run past the end of the batch");
            Py_CLEAR(result);
            goto done;
        }
        out[m] = (unsigned char)flags_of(data + at, n, &t);
        at += n + 1;  /* the separator */
    }
done:
    Py_XDECREF(fast);
    PyBuffer_Release(&folded);
    return result;
}

/* ---- unit_words ------------------------------------------------------------------------------------------- */

typedef struct { uint64_t hash; const unsigned char *word; Py_ssize_t len, value; } Slot;  /* len 0: empty */
typedef struct { Slot *slots; size_t mask; } WordTable;

static uint64_t fnv1a(const unsigned char *p, Py_ssize_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (Py_ssize_t i = 0; i < n; i++) { h ^= p[i]; h *= 1099511628211ULL; }
    return h;
}

static int table_init(WordTable *t, Py_ssize_t expected)
{
    size_t size = 16;
    while (size < (size_t)expected * 2) size *= 2;
    t->slots = PyMem_Calloc(size, sizeof(Slot));
    t->mask = size - 1;
    if (!t->slots) { PyErr_NoMemory(); return -1; }
    return 0;
}

/* The slot of word ``p[0:n]``: where it is, or the empty slot for it. The words stay in the caller's buffers. */
static Slot *table_find(const WordTable *t, const unsigned char *p, Py_ssize_t n, uint64_t h)
{
    for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
        Slot *s = &t->slots[i];
        if (s->len == 0 || (s->hash == h && s->len == n && memcmp(s->word, p, n) == 0)) return s;
    }
}

static PyObject *decode_word(const unsigned char *p, Py_ssize_t n, PyObject *decode)
{
    Py_UCS4 maxchar = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(decode, p[i]);
        if (c > maxchar) maxchar = c;
    }
    PyObject *word = PyUnicode_New(n, maxchar);
    if (!word) return NULL;
    int kind = PyUnicode_KIND(word);
    void *data = PyUnicode_DATA(word);
    for (Py_ssize_t i = 0; i < n; i++) PyUnicode_WRITE(kind, data, i, PyUnicode_READ_CHAR(decode, p[i]));
    return word;
}

enum { BLANK = 1, DIGIT = 2 };

/* teencode.expansions_in_units' tests on a key at text[start:end] of a message of n bytes: not glued to "@$_"
 * before or "@_" after, and not right after a number ("500 k" is money, "10 h" a time). */
static int key_stands_alone(const unsigned char *text, Py_ssize_t n, Py_ssize_t start, Py_ssize_t end,
                            const unsigned char *classes)
{
    if (start && (text[start - 1] == '@' || text[start - 1] == '$' || text[start - 1] == '_')) return 0;
    if (end < n && (text[end] == '@' || text[end] == '_')) return 0;
    Py_ssize_t j = start - 1;
    while (j >= 0 && (classes[text[j]] & BLANK)) j--;
    while (j >= 0 && (text[j] == '.' || text[j] == ',')) j--;
    return !(j >= 0 && (classes[text[j]] & DIGIT));
}

/* The table of the keys, built once for a tuple of keys and kept with a reference to it (the slots point into its
 * bytes): the slow path calls unit_words for one message at a time, with the same keys. */
static PyObject *cached_keys = NULL;
static WordTable cached_table = {NULL, 0};

static int key_table_for(PyObject *keys, WordTable *out)
{
    if (keys != cached_keys) {
        Py_ssize_t n_keys = PyTuple_GET_SIZE(keys);
        WordTable table;
        if (table_init(&table, n_keys) < 0) return -1;
        for (Py_ssize_t k = 0; k < n_keys; k++) {
            PyObject *key = PyTuple_GET_ITEM(keys, k);
            if (!PyBytes_Check(key) || PyBytes_GET_SIZE(key) == 0) {
                PyErr_SetString(PyExc_TypeError, "keys must be non-empty bytes");
                PyMem_Free(table.slots);
                return -1;
            }
            const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(key);
            Py_ssize_t n = PyBytes_GET_SIZE(key);
            uint64_t h = fnv1a(p, n);
            Slot *s = table_find(&table, p, n, h);
            if (s->len == 0) *s = (Slot){h, p, n, k};
        }
        PyMem_Free(cached_table.slots);
        cached_table = table;
        Py_INCREF(keys);
        Py_XSETREF(cached_keys, keys);
    }
    *out = cached_table;
    return 0;
}

/* Append (start, end, name) to ``places``, or one (start, end, item) per item when ``name`` is a tuple (the
 * expansions of a key: the caller then gets its expansions without a Python loop over the places). */
static int append_places(PyObject *places, Py_ssize_t start, Py_ssize_t end, PyObject *name)
{
    PyObject *s = PyLong_FromSsize_t(start), *e = PyLong_FromSsize_t(end);
    int failed = !s || !e;
    Py_ssize_t n = failed ? 0 : PyTuple_Check(name) ? PyTuple_GET_SIZE(name) : 1;
    for (Py_ssize_t k = 0; k < n && !failed; k++) {
        PyObject *hit = PyTuple_Pack(3, s, e, PyTuple_Check(name) ? PyTuple_GET_ITEM(name, k) : name);
        failed = !hit || PyList_Append(places, hit) < 0;
        Py_XDECREF(hit);
    }
    Py_XDECREF(s);
    Py_XDECREF(e);
    return failed ? -1 : 0;
}

static PyObject *unit_words(PyObject *self, PyObject *args)
{
    Py_buffer units, text;
    PyObject *lengths, *keys, *names, *decode, *classes_obj;
    if (!PyArg_ParseTuple(args, "y*y*OO!O!US", &units, &text, &lengths, &PyTuple_Type, &keys, &PyTuple_Type, &names,
                          &decode, &classes_obj))
        return NULL;
    const unsigned char *classes = (const unsigned char *)PyBytes_AS_STRING(classes_obj);
    PyObject *fast = NULL, *hits = NULL, *words = NULL, *result = NULL, *places = NULL;
    WordTable key_table = {NULL, 0}, seen = {NULL, 0};
    Py_ssize_t n_keys = PyTuple_GET_SIZE(keys);
    if (PyUnicode_GET_LENGTH(decode) != 256 || PyBytes_GET_SIZE(classes_obj) != 256) {
        PyErr_SetString(PyExc_ValueError, "decode and classes must cover the 256 bytes of the lane");
        goto done;
    }
    if (text.len != units.len) {
        PyErr_SetString(PyExc_ValueError, "the text and its unit bytes differ in length");
        goto done;
    }
    if (PyTuple_GET_SIZE(names) != n_keys) {
        PyErr_SetString(PyExc_ValueError, "keys and names differ in length");
        goto done;
    }
    fast = PySequence_Fast(lengths, "lengths must be a sequence of ints");
    /* A table of about two slots a unit (the units are at most half the bytes), grown when needed. */
    if (!fast || key_table_for(keys, &key_table) < 0 || table_init(&seen, units.len < 1024 ? units.len / 2 : 512) < 0)
        goto done;
    hits = PyDict_New();
    words = PySet_New(NULL);
    if (!hits || !words) goto done;
    const unsigned char *data = units.buf;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(fast), at = 0, n_seen = 0;
    for (Py_ssize_t m = 0; m < count; m++) {
        Py_ssize_t n = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(fast, m));
        if (n == -1 && PyErr_Occurred()) goto done;
        if (n < 0 || at + n > units.len) {
            PyErr_SetString(PyExc_ValueError, "message lengths run past the end of the batch");
            goto done;
        }
        const unsigned char *message = (const unsigned char *)text.buf + at;
        for (Py_ssize_t i = at, end = at + n; i < end;) {
            while (i < end && data[i] == ' ') i++;
            Py_ssize_t start = i;
            int wide = 0;
            while (i < end && data[i] != ' ') wide |= data[i++] >= 0x80;
            if (i == start) break;
            const unsigned char *w = data + start;
            Py_ssize_t len = i - start;
            uint64_t h = fnv1a(w, len);
            Slot *key = table_find(&key_table, w, len, h);
            if (key->len && key_stands_alone(message, n, start - at, i - at, classes)) {
                if (!places && !(places = PyList_New(0))) goto done;
                if (append_places(places, start - at, i - at, PyTuple_GET_ITEM(names, key->value)) < 0) goto done;
            }
            if (wide) {
                Slot *s = table_find(&seen, w, len, h);
                if (s->len == 0) {
                    PyObject *word = decode_word(w, len, decode);
                    if (!word || PySet_Add(words, word) < 0) { Py_XDECREF(word); goto done; }
                    Py_DECREF(word);
                    *s = (Slot){h, w, len, 0};
                    if (++n_seen * 2 > (Py_ssize_t)seen.mask) {  /* keep the table at most half full */
                        WordTable bigger;
                        if (table_init(&bigger, 2 * n_seen) < 0) goto done;
                        for (size_t j = 0; j <= seen.mask; j++)
                            if (seen.slots[j].len) {
                                Slot *old = &seen.slots[j];
                                *table_find(&bigger, old->word, old->len, old->hash) = *old;
                            }
                        PyMem_Free(seen.slots);
                        seen = bigger;
                    }
                }
            }
        }
        if (places) {
            PyObject *key = PyLong_FromSsize_t(m);
            int failed = !key || PyDict_SetItem(hits, key, places) < 0;
            Py_XDECREF(key);
            Py_CLEAR(places);
            if (failed) goto done;
        }
        at += n + 1;  /* the separator */
    }
    result = PyTuple_Pack(2, hits, words);
done:
    PyMem_Free(seen.slots);
    Py_XDECREF(hits);
    Py_XDECREF(places);
    Py_XDECREF(words);
    Py_XDECREF(fast);
    PyBuffer_Release(&units);
    PyBuffer_Release(&text);
    return result;
}

/* ---- encode ------------------------------------------------------------------------------------------------ */

/* The reverse of the lane's 256 characters (lane._DECODE): a byte for each code point of the Basic Multilingual
 * Plane (0: not in the lane; ASCII is itself), and the few characters beyond it (emoji) sorted for a binary search.
 * Built once for a decode string and kept with a reference to it. */
static PyObject *encode_for = NULL;
static unsigned char bmp_byte[0x10000];
static Py_UCS4 lane_char[256];  /* and the way back: the character of each byte */
static unsigned char lane_width[256];  /* and its width: 0 ASCII, 1 Latin-1, 2 the rest of the BMP, 4 beyond */
static Py_UCS4 astral_code[256];
static unsigned char astral_byte[256];
static int n_astral;

static int encode_table(PyObject *decode)
{
    if (decode == encode_for) return 0;
    if (PyUnicode_GET_LENGTH(decode) != 256) {
        PyErr_SetString(PyExc_ValueError, "decode must hold the 256 characters of the lane");
        return -1;
    }
    memset(bmp_byte, 0, sizeof bmp_byte);
    n_astral = 0;
    for (int b = 0; b < 256; b++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(decode, b);
        if ((b < 128) != (c < 128) || (b < 128 && c != (Py_UCS4)b)) {
            encode_for = NULL;
            PyErr_SetString(PyExc_ValueError, "the lane's first 128 characters must be ASCII, and only those");
            return -1;
        }
        lane_char[b] = c;
        lane_width[b] = c < 0x80 ? 0 : c < 0x100 ? 1 : c < 0x10000 ? 2 : 4;
        if (b < 128) {
            bmp_byte[b] = (unsigned char)b;  /* (NUL stays 0: the loops tell it from "absent") */
            continue;
        }
        int known = c <= 0xFFFF ? bmp_byte[c] != 0 : 0;
        for (int k = 0; k < n_astral && !known; k++) known = astral_code[k] == c;
        if (known) {
            encode_for = NULL;
            PyErr_SetString(PyExc_ValueError, "the lane's characters must be distinct");
            return -1;
        }
        if (c <= 0xFFFF) {
            bmp_byte[c] = (unsigned char)b;
        } else {  /* insertion sort: at most 128 of them */
            int k = n_astral++;
            for (; k > 0 && astral_code[k - 1] > c; k--) {
                astral_code[k] = astral_code[k - 1];
                astral_byte[k] = astral_byte[k - 1];
            }
            astral_code[k] = c;
            astral_byte[k] = (unsigned char)b;
        }
    }
    Py_INCREF(decode);
    Py_XSETREF(encode_for, decode);
    return 0;
}

static unsigned char astral_byte_of(Py_UCS4 c)
{
    int lo = 0, hi = n_astral;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (astral_code[mid] < c) lo = mid + 1; else hi = mid;
    }
    return lo < n_astral && astral_code[lo] == c ? astral_byte[lo] : 0;
}

/* One loop per string width, each a table load per character; 0 is "not in the lane" except for NUL itself. */
#define ENCODE_LOOP(TYPE, LOOKUP)                                                                                \
    do {                                                                                                         \
        const TYPE *chars = (const TYPE *)data;                                                                  \
        for (Py_ssize_t i = 0; i < n; i++) {                                                                     \
            Py_UCS4 c = chars[i];                                                                                \
            unsigned char b = LOOKUP;                                                                            \
            if (b == 0 && c != 0) {                                                                              \
                if (!lossy) goto absent;                                                                         \
                b = '?';                                                                                         \
            }                                                                                                    \
            buf[i] = b;                                                                                          \
        }                                                                                                        \
    } while (0)

static PyObject *encode(PyObject *self, PyObject *args)
{
    PyObject *text, *decode;
    int lossy;
    if (!PyArg_ParseTuple(args, "UUp", &text, &decode, &lossy)) return NULL;
    if (encode_table(decode) < 0) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (PyUnicode_IS_ASCII(text)) return PyBytes_FromStringAndSize((const char *)PyUnicode_DATA(text), n);
    PyObject *out = PyBytes_FromStringAndSize(NULL, n);
    if (!out) return NULL;
    unsigned char *buf = (unsigned char *)PyBytes_AS_STRING(out);
    const void *data = PyUnicode_DATA(text);
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND: ENCODE_LOOP(Py_UCS1, bmp_byte[c]); break;
    case PyUnicode_2BYTE_KIND: ENCODE_LOOP(Py_UCS2, bmp_byte[c]); break;
    default: ENCODE_LOOP(Py_UCS4, c <= 0xFFFF ? bmp_byte[c] : astral_byte_of(c)); break;
    }
    return out;
absent:
    Py_DECREF(out);
    Py_RETURN_NONE;
}

/* ---- decode: lane bytes back to text ----------------------------------------------------------------------- */

/* The text of lane bytes d[0:n]: the widest character first (to size the string), then one table load a byte. */
static PyObject *decoded(const unsigned char *d, Py_ssize_t n)
{
    unsigned width = 0;
    for (Py_ssize_t i = 0; i < n; i++) width |= lane_width[d[i]];
    if (!width) return PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, d, n);  /* ASCII: a copy */
    Py_UCS4 widest = width & 4 ? 0x10FFFF : width & 2 ? 0xFFFF : 0xFF;  /* (a character that wide is there) */
    PyObject *out = PyUnicode_New(n, widest);
    if (!out) return NULL;
    void *data = PyUnicode_DATA(out);
    switch (PyUnicode_KIND(out)) {
    case PyUnicode_1BYTE_KIND:
        for (Py_ssize_t i = 0; i < n; i++) ((Py_UCS1 *)data)[i] = (Py_UCS1)lane_char[d[i]];
        break;
    case PyUnicode_2BYTE_KIND:
        for (Py_ssize_t i = 0; i < n; i++) ((Py_UCS2 *)data)[i] = (Py_UCS2)lane_char[d[i]];
        break;
    default:
        for (Py_ssize_t i = 0; i < n; i++) ((Py_UCS4 *)data)[i] = lane_char[d[i]];
    }
    return out;
}

static PyObject *decode(PyObject *self, PyObject *args)
{
    Py_buffer buf;
    PyObject *table, *out = NULL;
    int sep = -1;
    if (!PyArg_ParseTuple(args, "y*U|C", &buf, &table, &sep)) return NULL;
    if (sep >= 128) {
        PyErr_SetString(PyExc_ValueError, "the separator must be an ASCII character");
        goto done;
    }
    if (encode_table(table) < 0) goto done;
    const unsigned char *d = (const unsigned char *)buf.buf;
    Py_ssize_t n = buf.len;
    if (sep < 0) {
        out = decoded(d, n);
        goto done;
    }
    out = PyList_New(0);
    for (Py_ssize_t at = 0; out != NULL;) {
        const unsigned char *end = memchr(d + at, sep, (size_t)(n - at));
        Py_ssize_t stop = end ? end - d : n;
        PyObject *piece = decoded(d + at, stop - at);
        if (!piece || PyList_Append(out, piece) < 0) Py_CLEAR(out);
        Py_XDECREF(piece);
        if (!end) break;
        at = stop + 1;
    }
done:
    PyBuffer_Release(&buf);
    return out;
}

/* ---- lower_encode: lower-casing and encoding in one pass -------------------------------------------------- */

/* The lane's characters (bmp_byte), with the upper-case letter of each mapped to the byte of its lower case: a
 * byte for every code point whose str.lower() is one lane character (those the caller lists). */
static PyObject *lower_for = NULL, *lower_decode = NULL;  /* the upper and decode it was built from */
static unsigned char bmp_lower[0x10000];

static int lower_table(PyObject *decode, PyObject *upper)
{
    if (encode_table(decode) < 0) return -1;
    if (upper == lower_for && decode == lower_decode) return 0;
    if (PyUnicode_GET_LENGTH(upper) != 256) {
        PyErr_SetString(PyExc_ValueError, "upper must hold 256 characters, one for each byte of the lane");
        return -1;
    }
    memcpy(bmp_lower, bmp_byte, sizeof bmp_lower);
    for (int b = 0; b < 256; b++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(upper, b), own = PyUnicode_READ_CHAR(decode, b);
        if (c == own) continue;
        if (c > 0xFFFF || c == 0 || bmp_lower[c] != bmp_byte[c]) {
            lower_for = NULL;
            PyErr_SetString(PyExc_ValueError, "an upper-case letter must be in the Basic Multilingual Plane and "
                            "stand for one lane character");
            return -1;
        }
        bmp_lower[c] = (unsigned char)b;  /* (it may be a lane character itself: "A" is, and lowers to "a") */
    }
    Py_INCREF(upper);
    Py_XSETREF(lower_for, upper);
    Py_INCREF(decode);
    Py_XSETREF(lower_decode, decode);
    return 0;
}

/* Append message index m to ``odd`` unless it is the last one there. */
static int add_message(PyObject *odd, Py_ssize_t m, Py_ssize_t *last)
{
    if (m == *last) return 0;
    *last = m;
    PyObject *v = PyLong_FromSsize_t(m);
    int failed = !v || PyList_Append(odd, v) < 0;
    Py_XDECREF(v);
    return failed ? -1 : 0;
}

#define LOWER_LOOP(TYPE, LOOKUP)                                                                                 \
    do {                                                                                                         \
        const TYPE *chars = (const TYPE *)data;                                                                  \
        for (Py_ssize_t i = 0; i < n; i++) {                                                                     \
            Py_UCS4 c = chars[i];                                                                                \
            unsigned char b = LOOKUP;                                                                            \
            if (b == 0 && c != 0) {                                                                              \
                if (add_message(odd, m, &last) < 0) goto fail;                                                   \
                b = '?';                                                                                         \
            }                                                                                                    \
            if (c == (Py_UCS4)sep) m++;                                                                          \
            buf[i] = b;                                                                                          \
        }                                                                                                        \
    } while (0)

static PyObject *lower_encode(PyObject *self, PyObject *args)
{
    PyObject *text, *decode, *upper;
    int sep;
    if (!PyArg_ParseTuple(args, "UUUC", &text, &decode, &upper, &sep)) return NULL;
    if (sep >= 128) {
        PyErr_SetString(PyExc_ValueError, "the separator must be an ASCII character");
        return NULL;
    }
    if (lower_table(decode, upper) < 0) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), m = 0, last = -1;
    PyObject *out = PyBytes_FromStringAndSize(NULL, n), *odd = PyList_New(0);
    if (!out || !odd) goto fail;
    unsigned char *buf = (unsigned char *)PyBytes_AS_STRING(out);
    const void *data = PyUnicode_DATA(text);
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND: LOWER_LOOP(Py_UCS1, bmp_lower[c]); break;
    case PyUnicode_2BYTE_KIND: LOWER_LOOP(Py_UCS2, bmp_lower[c]); break;
    default: LOWER_LOOP(Py_UCS4, c <= 0xFFFF ? bmp_lower[c] : astral_byte_of(c)); break;
    }
    PyObject *result = PyTuple_Pack(2, out, odd);
    Py_DECREF(out);
    Py_DECREF(odd);
    return result;
fail:
    Py_XDECREF(out);
    Py_XDECREF(odd);
    return NULL;
}

/* ---- outside: the messages with a character outside a set -------------------------------------------------- */

/* A bit for every code point, from a tuple of (first, last) ranges; built once for a tuple and kept with it. */
static PyObject *bits_for = NULL;
static uint8_t bits[0x110000 / 8];

static int bits_table(PyObject *ranges)
{
    if (ranges == bits_for) return 0;
    if (!PyTuple_Check(ranges)) {
        PyErr_SetString(PyExc_TypeError, "ranges must be a tuple of (first, last) code points");
        return -1;
    }
    bits_for = NULL;
    memset(bits, 0, sizeof bits);
    for (Py_ssize_t r = 0; r < PyTuple_GET_SIZE(ranges); r++) {
        long lo, hi;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(ranges, r), "ll:ranges", &lo, &hi)) return -1;
        if (lo < 0 || hi < lo || hi >= 0x110000) {
            PyErr_SetString(PyExc_ValueError, "a range must be 0 <= first <= last <= 0x10FFFF");
            return -1;
        }
        for (long c = lo; c <= hi; c++) bits[c >> 3] |= (uint8_t)(1u << (c & 7));
    }
    Py_INCREF(ranges);
    Py_XSETREF(bits_for, ranges);
    return 0;
}

#define OUTSIDE_LOOP(TYPE)                                                                                       \
    do {                                                                                                         \
        const TYPE *chars = (const TYPE *)data;                                                                  \
        for (Py_ssize_t i = 0; i < n; i++) {                                                                     \
            Py_UCS4 c = chars[i];                                                                                \
            if (c == (Py_UCS4)sep) {                                                                             \
                m++;                                                                                             \
            } else if (!(bits[c >> 3] >> (c & 7) & 1)) {                                                         \
                if (add_message(odd, m, &last) < 0) goto fail;                                                   \
                while (i + 1 < n && chars[i + 1] != (Py_UCS4)sep) i++; /* the rest of this message */         \
            }                                                                                                    \
        }                                                                                                        \
    } while (0)

static PyObject *outside(PyObject *self, PyObject *args)
{
    PyObject *text, *ranges;
    int sep;
    if (!PyArg_ParseTuple(args, "UOC", &text, &ranges, &sep)) return NULL;
    if (bits_table(ranges) < 0) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), m = 0, last = -1;
    PyObject *odd = PyList_New(0);
    if (!odd) return NULL;
    const void *data = PyUnicode_DATA(text);
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND: OUTSIDE_LOOP(Py_UCS1); break;
    case PyUnicode_2BYTE_KIND: OUTSIDE_LOOP(Py_UCS2); break;
    default: OUTSIDE_LOOP(Py_UCS4); break;
    }
    return odd;
fail:
    Py_DECREF(odd);
    return NULL;
}

static PyMethodDef methods[] = {
    {"obfuscation_flags", obfuscation_flags, METH_VARARGS,
     "obfuscation_flags(folded, lengths, tables) -> bytes\n\n"
     "One byte per message of the joined accent-free lane bytes (messages of the given lengths, each followed by\n"
     "one separator byte): bit 1 leetspeak, 2 a letter O in a number, 4 spaced letters, 8 repeated letters."},
    {"unit_words", unit_words, METH_VARARGS,
     "unit_words(units, text, lengths, keys, names, decode, classes) -> (places, wide_words)\n\n"
     "In joined unit bytes (messages of the given lengths, each followed by one separator byte; words are runs of\n"
     "non-blank bytes) and the lane bytes of their text: per message, the (start, end, name) of each key found as a\n"
     "word that stands alone in the text (not glued to @$_ before or @_ after, not right after a number; a name\n"
     "that is a tuple gives one (start, end, item) per item), and the\n"
     "set of distinct words with a byte >= 0x80, decoded through the 256 characters of ``decode``. ``classes``\n"
     "marks each byte: 1 blank, 2 digit."},
    {"encode", encode, METH_VARARGS,
     "encode(text, decode, lossy) -> bytes or None\n\n"
     "One byte per character of ``text``: the index of the character in ``decode`` (the 256 characters of the lane,\n"
     "ASCII first). A character outside them makes the result None, or a ``?`` with ``lossy``: what the charmap\n"
     "codec does with the lane's table, without its per-character cost."},
    {"decode", decode, METH_VARARGS,
     "decode(data, decode[, sep]) -> str or list of str\n\n"
     "The text of lane bytes (``decode`` holds the 256 characters of the lane): what the charmap codec gives; with\n"
     "the ASCII character ``sep``, the list of the texts between its bytes, as ``.split(sep)`` of that text."},
    {"lower_encode", lower_encode, METH_VARARGS,
     "lower_encode(text, decode, upper, sep) -> (bytes, odd)\n\n"
     "The lane bytes of ``text.lower()`` in one pass: each character of ``decode`` (the 256 of the lane) gives its\n"
     "byte b, and so does its upper-case form ``upper[b]`` (the character itself: none; it may be a lane character\n"
     "too, as \"A\" is); any other character gives ``?``, and\n"
     "``odd`` lists (ascending) the messages holding one, messages being separated by the ASCII character ``sep``."},
    {"outside", outside, METH_VARARGS,
     "outside(text, ranges, sep) -> list of int\n\n"
     "The messages of ``text`` (separated by the character ``sep``, which counts as inside) holding a character\n"
     "outside all of ``ranges``, a tuple of (first, last) code points, ascending."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "spamguard._lanescan",
                                    "Compiled kernel of the text fast path.", -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__lanescan(void) { return PyModule_Create(&module); }
