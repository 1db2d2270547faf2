/* Compiled kernels for the SMS scoring path (optional: spamguard falls back to pure Python without them).
 *
 * unit_columns: the hashed columns of the syllable tokens of each message ("unit", "a_b", "~unit", "~a_b"),
 *   computed straight from the space-separated unit strings: MurmurHash3 (x86, 32-bit, seed 0) of each token's
 *   UTF-8 bytes, exactly as scikit-learn's murmurhash3_32 and FeatureHasher compute them, with no token string
 *   built in Python. All-digit units become their shape ("__num6__"). Brand mentions ("~vietcombank") are found on
 *   the accent-free side.
 * csr_counts: per row, the columns of two groups merged, sorted and counted: a canonical CSR matrix.
 * linear_logits: the linear model on such a matrix (TF-IDF weights, L2 row norms, product with the coefficients),
 *   operation for operation as LinearTextClassifier does it with NumPy and SciPy, so the logits are bit-identical.
 *
 * Both are checked against the pure-Python path in tests/test_speedups.py.
 */
#include "_units.h"
#include <stdint.h>
#include <string.h>
#include <math.h>

/* ---- MurmurHash3_x86_32 -------------------------------------------------------------------------------- */

static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

static uint32_t murmur3_32(const unsigned char *key, Py_ssize_t len)
{
    const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
    uint32_t h = 0, k;
    Py_ssize_t nblocks = len / 4, i;
    for (i = 0; i < nblocks; i++) {
        const unsigned char *p = key + 4 * i;
        k = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
        k *= c1; k = rotl32(k, 15); k *= c2;
        h ^= k; h = rotl32(h, 13); h = h * 5 + 0xe6546b64;
    }
    const unsigned char *tail = key + 4 * nblocks;
    k = 0;
    switch (len & 3) {
    case 3: k ^= (uint32_t)tail[2] << 16; /* fall through */
    case 2: k ^= (uint32_t)tail[1] << 8;  /* fall through */
    case 1: k ^= tail[0]; k *= c1; k = rotl32(k, 15); k *= c2; h ^= k;
    }
    h ^= (uint32_t)len;
    h ^= h >> 16; h *= 0x85ebca6b; h ^= h >> 13; h *= 0xc2b2ae35; h ^= h >> 16;
    return h;
}

/* abs(murmurhash3_32(token, seed=0)) % n_features, as hashing.columns_of computes it (signed 32-bit hash). */
static inline int64_t column_of(uint32_t h, int64_t n_features)
{
    int64_t s = (int32_t)h;
    return (s < 0 ? -s : s) % n_features;
}

/* ---- growable buffers --------------------------------------------------------------------------------- */

typedef struct { unsigned char *data; Py_ssize_t len, cap; } Bytes;
typedef struct { int64_t *data; Py_ssize_t len, cap; } Int64s;

static int bytes_grow(Bytes *b, Py_ssize_t extra);

static inline int bytes_reserve(Bytes *b, Py_ssize_t extra)
{
    return b->len + extra <= b->cap ? 0 : bytes_grow(b, extra);
}

static int bytes_grow(Bytes *b, Py_ssize_t extra)
{
    Py_ssize_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra) cap *= 2;
    unsigned char *data = PyMem_Realloc(b->data, cap);
    if (!data) { PyErr_NoMemory(); return -1; }
    b->data = data; b->cap = cap;
    return 0;
}

static inline int bytes_put(Bytes *b, const unsigned char *src, Py_ssize_t n)
{
    if (bytes_reserve(b, n) < 0) return -1;
    unsigned char *dst = b->data + b->len;
    if (n <= 32) {  /* syllables are short: a plain loop beats a call to memcpy */
        for (Py_ssize_t i = 0; i < n; i++) dst[i] = src[i];
    } else {
        memcpy(dst, src, n);
    }
    b->len += n;
    return 0;
}

static inline int int64s_push(Int64s *a, int64_t v)
{
    if (a->len == a->cap) {
        Py_ssize_t cap = a->cap ? 2 * a->cap : 1024;
        int64_t *data = PyMem_Realloc(a->data, cap * sizeof(int64_t));
        if (!data) { PyErr_NoMemory(); return -1; }
        a->data = data; a->cap = cap;
    }
    a->data[a->len++] = v;
    return 0;
}

static PyObject *int64s_to_bytearray(const int64_t *data, Py_ssize_t n)
{
    return PyByteArray_FromStringAndSize((const char *)data, n * (Py_ssize_t)sizeof(int64_t));
}

/* ---- brand mentions: "~key" UTF-8 bytes -> category index ------------------------------------------------ */

typedef struct { uint32_t hash; int category; Py_ssize_t len; const char *key; } Mention;

/* ``bloom`` rules out most tokens before the binary search: bit (hash mod 1024) of each key's hash is set. */
typedef struct { Mention *items; Py_ssize_t n; PyObject *owner; uint64_t bloom[16]; } Mentions;

static int mention_cmp(const void *a, const void *b)
{
    uint32_t x = ((const Mention *)a)->hash, y = ((const Mention *)b)->hash;
    return (x > y) - (x < y);
}

/* ``seq``: a sequence of (bytes, int). ``m->owner`` keeps the bytes alive until mentions_free(). */
static int mentions_load(Mentions *m, PyObject *seq)
{
    PyObject *fast = m->owner = PySequence_Fast(seq, "mentions must be a sequence of (bytes, int)");
    if (!fast) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    m->items = PyMem_Calloc(n ? n : 1, sizeof(Mention));
    m->n = n;
    if (!m->items) { PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(fast, i);
        char *key; Py_ssize_t len; int category;
        if (!PyArg_ParseTuple(pair, "y#i", &key, &len, &category)) return -1;
        m->items[i] = (Mention){murmur3_32((const unsigned char *)key, len), category, len, key};
        m->bloom[(m->items[i].hash >> 6) & 15] |= 1ULL << (m->items[i].hash & 63);
    }
    qsort(m->items, n, sizeof(Mention), mention_cmp);
    return 0;
}

static void mentions_free(Mentions *m)
{
    PyMem_Free(m->items);
    Py_XDECREF(m->owner);
}

static int mention_of(const Mentions *m, uint32_t hash, const unsigned char *key, Py_ssize_t len)
{
    if (!(m->bloom[(hash >> 6) & 15] & (1ULL << (hash & 63)))) return -1;
    Py_ssize_t lo = 0, hi = m->n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (m->items[mid].hash < hash) lo = mid + 1; else hi = mid;
    }
    for (; lo < m->n && m->items[lo].hash == hash; lo++)
        if (m->items[lo].len == len && memcmp(m->items[lo].key, key, len) == 0) return m->items[lo].category;
    return -1;
}

/* ---- unit_columns ---------------------------------------------------------------------------------------- */

typedef struct {
    UnitSink sink;      /* first: the walker calls grams_unit through it */
    int64_t n_features;
    const Mentions *mentions;
    Int64s *cols;
    PyObject *hits;     /* list of (row, category) */
    Bytes token, prev, cur;
    int tilde, have_prev;
    Py_ssize_t row;
} Grams;

/* Append the UTF-8 bytes of code points [start, end) of a str, or its number shape if all are decimal digits. */
static int unit_bytes(Bytes *out, PyObject *str, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    if (unit_is_decimal(str, kind, data, start, end)) {
        char shape[16];
        int n = snprintf(shape, sizeof shape, "__num%d__", (int)(end - start < 12 ? end - start : 12));
        return bytes_put(out, (const unsigned char *)shape, n);
    }
    if (PyUnicode_IS_ASCII(str))  /* the common case: the bytes are the UTF-8 */
        return bytes_put(out, (const unsigned char *)data + start, end - start);
    if (bytes_reserve(out, 4 * (end - start)) < 0) return -1;
    unsigned char *p = out->data + out->len;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80) {
            *p++ = (unsigned char)c;
        } else if (c < 0x800) {
            *p++ = 0xC0 | (c >> 6); *p++ = 0x80 | (c & 0x3F);
        } else if (c < 0x10000) {
            if (c >= 0xD800 && c <= 0xDFFF) {  /* what str.encode("utf-8") refuses too */
                PyObject *exc = PyObject_CallFunction(PyExc_UnicodeEncodeError, "sOnns", "utf-8", str, i, i + 1,
                                                      "surrogates not allowed");
                if (exc) { PyErr_SetObject(PyExc_UnicodeEncodeError, exc); Py_DECREF(exc); }
                return -1;
            }
            *p++ = 0xE0 | (c >> 12); *p++ = 0x80 | ((c >> 6) & 0x3F); *p++ = 0x80 | (c & 0x3F);
        } else {
            *p++ = 0xF0 | (c >> 18); *p++ = 0x80 | ((c >> 12) & 0x3F);
            *p++ = 0x80 | ((c >> 6) & 0x3F); *p++ = 0x80 | (c & 0x3F);
        }
    }
    out->len = p - out->data;
    return 0;
}

/* A unit: the columns of "unit" and of the pair with the previous unit ("a_b"), or with ``tilde`` of "~unit"
 * and "~a_b", reporting brand mentions. */
static int grams_unit(UnitSink *sink, PyObject *str, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    Grams *g = (Grams *)sink;
    g->cur.len = 0;
    if (unit_bytes(&g->cur, str, kind, data, start, end) < 0) return -1;
    g->token.len = 0;
    if (g->tilde && bytes_put(&g->token, (const unsigned char *)"~", 1) < 0) return -1;
    if (bytes_put(&g->token, g->cur.data, g->cur.len) < 0) return -1;
    uint32_t h = murmur3_32(g->token.data, g->token.len);
    if (int64s_push(g->cols, column_of(h, g->n_features)) < 0) return -1;
    if (g->tilde && g->mentions->n) {
        int category = mention_of(g->mentions, h, g->token.data, g->token.len);
        if (category >= 0) {
            PyObject *hit = Py_BuildValue("(ni)", g->row, category);
            if (!hit || PyList_Append(g->hits, hit) < 0) { Py_XDECREF(hit); return -1; }
            Py_DECREF(hit);
        }
    }
    if (g->have_prev) {  /* prefix + prev + "_" + unit */
        g->token.len = g->tilde ? 1 : 0;
        if (bytes_put(&g->token, g->prev.data, g->prev.len) < 0
            || bytes_put(&g->token, (const unsigned char *)"_", 1) < 0
            || bytes_put(&g->token, g->cur.data, g->cur.len) < 0) return -1;
        h = murmur3_32(g->token.data, g->token.len);
        if (int64s_push(g->cols, column_of(h, g->n_features)) < 0) return -1;
    }
    Bytes swap = g->prev; g->prev = g->cur; g->cur = swap;
    g->have_prev = 1;
    return 0;
}

static int grams_row(Grams *g, PyObject *str, PyObject *spans, PyObject *entities, int tilde)
{
    g->tilde = tilde;
    g->have_prev = 0;
    return walk_row(&g->sink, str, spans, entities);
}

static PyObject *unit_columns(PyObject *self, PyObject *args)
{
    PyObject *plain, *ascii, *mention_seq, *spans = Py_None, *entities = Py_None;
    Py_ssize_t n_features;
    if (!PyArg_ParseTuple(args, "O!O!nO|OO", &PyList_Type, &plain, &PyList_Type, &ascii, &n_features, &mention_seq,
                          &spans, &entities))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(plain);
    if (check_rows(plain, ascii, spans, entities) < 0) return NULL;
    if (n_features <= 0) {
        PyErr_SetString(PyExc_ValueError, "n_features must be positive");
        return NULL;
    }
    Mentions mentions = {NULL, 0, NULL, {0}};
    Int64s cols = {NULL, 0, 0};
    int64_t *lengths = PyMem_Malloc((n ? n : 1) * sizeof(int64_t));
    Grams g = {{grams_unit}, n_features, &mentions, &cols, PyList_New(0), {0}, {0}, {0}, 0, 0, 0};
    PyObject *result = NULL;
    if (!lengths || !g.hits) { PyErr_NoMemory(); goto done; }
    if (mentions_load(&mentions, mention_seq) < 0) goto done;
    for (Py_ssize_t row = 0; row < n; row++) {
        PyObject *u = PyList_GET_ITEM(plain, row), *a = PyList_GET_ITEM(ascii, row);
        PyObject *row_spans = spans == Py_None ? Py_None : PyList_GET_ITEM(spans, row);
        PyObject *row_entities = spans == Py_None ? Py_None : PyList_GET_ITEM(entities, row);
        Py_ssize_t before = cols.len;
        g.row = row;
        if (grams_row(&g, u, row_spans, row_entities, 0) < 0
            || grams_row(&g, a == Py_None ? u : a, row_spans, row_entities, 1) < 0) goto done;
        lengths[row] = cols.len - before;
    }
    PyObject *cols_out = int64s_to_bytearray(cols.data, cols.len);
    PyObject *lengths_out = int64s_to_bytearray(lengths, n);
    if (cols_out && lengths_out) result = PyTuple_Pack(3, cols_out, lengths_out, g.hits);
    Py_XDECREF(cols_out);
    Py_XDECREF(lengths_out);
done:
    mentions_free(&mentions);
    PyMem_Free(cols.data);
    PyMem_Free(lengths);
    PyMem_Free(g.token.data);
    PyMem_Free(g.prev.data);
    PyMem_Free(g.cur.data);
    Py_XDECREF(g.hits);
    return result;
}

/* ---- csr_counts ------------------------------------------------------------------------------------------ */

static void insertion_sort(int64_t *a, Py_ssize_t n)
{
    for (Py_ssize_t i = 1; i < n; i++) {
        int64_t v = a[i];
        Py_ssize_t j = i;
        for (; j > 0 && a[j - 1] > v; j--) a[j] = a[j - 1];
        a[j] = v;
    }
}

static void sift_down(int64_t *a, Py_ssize_t root, Py_ssize_t n)
{
    for (;;) {
        Py_ssize_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && a[child + 1] > a[child]) child++;
        if (a[root] >= a[child]) return;
        int64_t t = a[root]; a[root] = a[child]; a[child] = t;
        root = child;
    }
}

static void heap_sort(int64_t *a, Py_ssize_t n)
{
    for (Py_ssize_t i = n / 2; i-- > 0;) sift_down(a, i, n);
    for (Py_ssize_t end = n - 1; end > 0; end--) {
        int64_t t = a[0]; a[0] = a[end]; a[end] = t;
        sift_down(a, 0, end);
    }
}

/* Introsort: Hoare partitions (balanced on runs of equal keys), heap sort past a depth limit, so a crafted
 * message cannot make it quadratic. */
static void intro_sort(int64_t *a, Py_ssize_t n, int depth)
{
    while (n > 16) {
        if (depth-- == 0) { heap_sort(a, n); return; }
        int64_t x = a[0], y = a[n / 2], z = a[n - 1];
        int64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        Py_ssize_t i = -1, j = n;
        for (;;) {
            do i++; while (a[i] < pivot);
            do j--; while (a[j] > pivot);
            if (i >= j) break;
            int64_t t = a[i]; a[i] = a[j]; a[j] = t;
        }
        intro_sort(a, j + 1, depth);
        a += j + 1;
        n -= j + 1;
    }
    insertion_sort(a, n);
}

/* LSD radix sort of non-negative keys below 2**bits, 6 bits a pass: no comparisons, so no mispredicted branches
 * on random columns, and small counting tables for rows of a few hundred. ``tmp`` holds n keys. */
static void radix_sort(int64_t *a, int64_t *tmp, Py_ssize_t n, int bits)
{
    int64_t *src = a, *dst = tmp;
    for (int shift = 0; shift < bits; shift += 6) {
        Py_ssize_t count[64] = {0};
        for (Py_ssize_t i = 0; i < n; i++) count[(src[i] >> shift) & 63]++;
        Py_ssize_t total = 0;
        for (int b = 0; b < 64; b++) { Py_ssize_t c = count[b]; count[b] = total; total += c; }
        for (Py_ssize_t i = 0; i < n; i++) dst[count[(src[i] >> shift) & 63]++] = src[i];
        int64_t *swap = src; src = dst; dst = swap;
    }
    if (src != a) memcpy(a, src, n * sizeof(int64_t));
}

static int read_int64s(PyObject *obj, Py_buffer *view, const char *what)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS) < 0) return -1;
    if (view->len % (Py_ssize_t)sizeof(int64_t)) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_ValueError, "%s is not a buffer of int64", what);
        return -1;
    }
    return 0;
}

static PyObject *csr_counts(PyObject *self, PyObject *args)
{
    PyObject *objs[4];
    if (!PyArg_ParseTuple(args, "OOOO", &objs[0], &objs[1], &objs[2], &objs[3])) return NULL;
    static const char *names[4] = {"cols_a", "lengths_a", "cols_b", "lengths_b"};
    Py_buffer views[4];
    int held = 0;
    PyObject *result = NULL;
    int64_t *scratch = NULL, *indptr = NULL, *indices = NULL;
    double *counts = NULL;
    for (; held < 4; held++)
        if (read_int64s(objs[held], &views[held], names[held]) < 0) goto done;
    const int64_t *cols_a = views[0].buf, *len_a = views[1].buf, *cols_b = views[2].buf, *len_b = views[3].buf;
    Py_ssize_t rows = views[1].len / 8, total_a = views[0].len / 8, total_b = views[2].len / 8;
    if (views[3].len / 8 != rows) {
        PyErr_SetString(PyExc_ValueError, "the two groups have different numbers of rows");
        goto done;
    }
    Py_ssize_t sum_a = 0, sum_b = 0, widest = 0;
    for (Py_ssize_t r = 0; r < rows; r++) {
        if (len_a[r] < 0 || len_b[r] < 0) { PyErr_SetString(PyExc_ValueError, "negative row length"); goto done; }
        sum_a += len_a[r];
        sum_b += len_b[r];
        if (len_a[r] + len_b[r] > widest) widest = len_a[r] + len_b[r];
    }
    if (sum_a != total_a || sum_b != total_b) {
        PyErr_SetString(PyExc_ValueError, "row lengths do not add up to the number of columns");
        goto done;
    }
    scratch = PyMem_Malloc(2 * (widest ? widest : 1) * sizeof(int64_t));  /* the row, and room to sort it */
    indptr = PyMem_Malloc((rows + 1) * sizeof(int64_t));
    indices = PyMem_Malloc((sum_a + sum_b ? sum_a + sum_b : 1) * sizeof(int64_t));
    counts = PyMem_Malloc((sum_a + sum_b ? sum_a + sum_b : 1) * sizeof(double));
    if (!scratch || !indptr || !indices || !counts) { PyErr_NoMemory(); goto done; }
    Py_ssize_t out = 0;
    int negative = 0;
    indptr[0] = 0;
    Py_BEGIN_ALLOW_THREADS  /* plain arrays from here: other threads may run Python meanwhile */
    for (Py_ssize_t r = 0; r < rows; r++) {
        Py_ssize_t n = len_a[r] + len_b[r];
        memcpy(scratch, cols_a, len_a[r] * sizeof(int64_t));
        memcpy(scratch + len_a[r], cols_b, len_b[r] * sizeof(int64_t));
        cols_a += len_a[r];
        cols_b += len_b[r];
        int64_t top = 0;
        for (Py_ssize_t k = 0; k < n; k++) top |= scratch[k];
        if (top < 0) {
            negative = 1;
            break;
        }
        int bits = 0;
        while (bits < 63 && (top >> bits)) bits++;
        if (n < 32 || bits > 36) {  /* short rows, or huge columns: comparisons are cheaper than passes */
            int depth = 2;
            for (Py_ssize_t m = n; m > 1; m >>= 1) depth += 2;
            intro_sort(scratch, n, depth);
        } else {
            radix_sort(scratch, scratch + n, n, bits);
        }
        for (Py_ssize_t k = 0; k < n; k++) {
            if (k && scratch[k] == scratch[k - 1]) {
                counts[out - 1] += 1.0;
            } else {
                indices[out] = scratch[k];
                counts[out++] = 1.0;
            }
        }
        indptr[r + 1] = out;
    }
    Py_END_ALLOW_THREADS
    if (negative) {
        PyErr_SetString(PyExc_ValueError, "negative column");
        goto done;
    }
    PyObject *p = int64s_to_bytearray(indptr, rows + 1), *i = int64s_to_bytearray(indices, out);
    PyObject *c = PyByteArray_FromStringAndSize((const char *)counts, out * (Py_ssize_t)sizeof(double));
    if (p && i && c) result = PyTuple_Pack(3, p, i, c);
    Py_XDECREF(p);
    Py_XDECREF(i);
    Py_XDECREF(c);
done:
    while (held-- > 0) PyBuffer_Release(&views[held]);
    PyMem_Free(scratch);
    PyMem_Free(indptr);
    PyMem_Free(indices);
    PyMem_Free(counts);
    return result;
}

/* ---- linear_logits --------------------------------------------------------------------------------------- */

static inline int64_t index_at(const void *buf, Py_ssize_t itemsize, Py_ssize_t i)
{
    return itemsize == 8 ? ((const int64_t *)buf)[i] : ((const int32_t *)buf)[i];
}

static int is_index_buffer(const Py_buffer *v)
{
    return (v->itemsize == 8 && strchr("lq", v->format[0])) || (v->itemsize == 4 && strchr("il", v->format[0]));
}

static PyObject *linear_logits(PyObject *self, PyObject *args)
{
    PyObject *objs[5];
    if (!PyArg_ParseTuple(args, "OOOOO", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4])) return NULL;
    Py_buffer views[5];
    int held = 0;
    PyObject *result = NULL;
    for (; held < 5; held++) {
        if (PyObject_GetBuffer(objs[held], &views[held], PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_ND) < 0) goto done;
    }
    const Py_buffer *vp = &views[0], *vi = &views[1], *vd = &views[2], *vt = &views[3], *vl = &views[4];
    if (!is_index_buffer(vp) || !is_index_buffer(vi) || strcmp(vd->format, "d") != 0 || strcmp(vt->format, "d") != 0
        || strcmp(vl->format, "d") != 0 || vt->ndim != 2) {
        PyErr_SetString(PyExc_TypeError, "linear_logits wants int32/int64 indptr and indices, float64 counts, "
                                         "a 2-d float64 table and a float64 log1p table");
        goto done;
    }
    const double *counts = vd->buf, *table = vt->buf, *log1p_of = vl->buf;
    Py_ssize_t rows = vp->len / vp->itemsize - 1, nnz = vi->len / vi->itemsize, n_logs = vl->len / 8;
    Py_ssize_t width = vt->shape[1], n_features = vt->shape[0], k_classes = width - 1;
    if (rows < 0 || vd->len / 8 != nnz || k_classes < 1 || index_at(vp->buf, vp->itemsize, 0) != 0
        || index_at(vp->buf, vp->itemsize, rows) != nnz) {
        PyErr_SetString(PyExc_ValueError, "linear_logits: inconsistent CSR arrays or table");
        goto done;
    }
    for (Py_ssize_t r = 0; r < rows; r++)
        if (index_at(vp->buf, vp->itemsize, r + 1) < index_at(vp->buf, vp->itemsize, r)) {
            PyErr_SetString(PyExc_ValueError, "indptr decreases");
            goto done;
        }
    for (Py_ssize_t j = 0; j < nnz; j++) {
        int64_t col = index_at(vi->buf, vi->itemsize, j);
        double c = counts[j];
        if (col < 0 || col >= n_features) {
            PyErr_SetString(PyExc_ValueError, "a column index is out of the table's range");
            goto done;
        }
        if (!(c >= 0 && c < (double)n_logs && c == (double)(int64_t)c)) {
            PyErr_SetString(PyExc_OverflowError, "a count is not a small whole number (no log1p for it here)");
            goto done;
        }
    }
    result = PyByteArray_FromStringAndSize(NULL, rows * k_classes * (Py_ssize_t)sizeof(double));
    if (!result) goto done;
    double *logits = (double *)PyByteArray_AS_STRING(result);
    /* As NumPy and SciPy order it: w = log1p(count) * idf[col]; norm = sqrt(sum of w * w over the row, in order);
     * w *= 1.0 / max(norm, 1e-12); logits[row] = sum over the row, in order, of w * coef[col]. log1p comes from
     * a table NumPy filled, so it is NumPy's own. */
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < rows; r++) {
        Py_ssize_t begin = index_at(vp->buf, vp->itemsize, r), end = index_at(vp->buf, vp->itemsize, r + 1);
        double sum = 0.0;
        for (Py_ssize_t j = begin; j < end; j++) {
            double w = log1p_of[(int64_t)counts[j]] * table[index_at(vi->buf, vi->itemsize, j) * width];
            sum += w * w;
        }
        double norm = sqrt(sum);
        double scale = 1.0 / (norm > 1e-12 ? norm : 1e-12);
        double *out = logits + r * k_classes;
        for (Py_ssize_t k = 0; k < k_classes; k++) out[k] = 0.0;
        for (Py_ssize_t j = begin; j < end; j++) {
            const double *row = table + index_at(vi->buf, vi->itemsize, j) * width;
            double w = (log1p_of[(int64_t)counts[j]] * row[0]) * scale;
            for (Py_ssize_t k = 0; k < k_classes; k++) out[k] += w * row[1 + k];
        }
    }
    Py_END_ALLOW_THREADS
done:
    while (held-- > 0) PyBuffer_Release(&views[held]);
    return result;
}

static PyMethodDef methods[] = {
    {"unit_columns", unit_columns, METH_VARARGS,
     "unit_columns(plain, ascii, n_features, mentions[, spans, entities]) -> (columns, row_lengths, hits)\n\n"
     "Hashed columns of the unit, pair, ~unit and ~pair tokens of each message (int64 bytes), how many per row,\n"
     "and the (row, category) of each brand mention. ``ascii[i]`` is None when it equals ``plain[i]``;\n"
     "``mentions`` holds (UTF-8 of \"~key\", category index) pairs. With ``spans`` and ``entities`` (per row a\n"
     "list of (start, end), and of objects with a ``placeholder``, or None), each span of both unit strings is\n"
     "replaced by its entity's placeholder first."},
    {"csr_counts", csr_counts, METH_VARARGS,
     "csr_counts(cols_a, lengths_a, cols_b, lengths_b) -> (indptr, indices, counts)\n\n"
     "Each row's columns from both groups, sorted with repeats counted (int64, int64, float64 bytes)."},
    {"linear_logits", linear_logits, METH_VARARGS,
     "linear_logits(indptr, indices, counts, table, log1p_table) -> logits\n\n"
     "Logits (float64 bytes, rows x classes) of a CSR matrix of token counts: ``table`` holds, per column, the idf\n"
     "then the coefficient of each class; ``log1p_table[c]`` is log1p(c) for the whole-number counts c it covers\n"
     "(OverflowError for other counts). The intercept is not added."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "spamguard._speedups",
                                    "Compiled kernels of the SMS scoring path.", -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__speedups(void)
{
    if (units_init() < 0) return NULL;
    return PyModule_Create(&module);
}
