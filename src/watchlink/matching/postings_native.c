/* Candidate retrieval's inner loops in C (``make native``), beside their numpy versions in
 * ``index.py`` and ``index_postings.py``, which run when this is not compiled and against
 * which the tests hold it: the same documents, the same scores.
 *
 * sum_runs(entries, weights, bits, docs_out, scores_out) -> count
 *     Given sorted int64 ``entries``, each a document above the number of its postings
 *     list (in the low ``bits``), the distinct documents, ascending, each with the summed
 *     float64 ``weights`` of its lists (added in list order), written into ``docs_out``
 *     and ``scores_out`` (each as long as ``entries``).
 * carry_bits(docs, bits, weight, scores)
 *     Adds ``weight`` to ``scores[i]`` for each ``docs[i]`` whose bit is set in ``bits``
 *     (one bit per document, little-endian within a byte).
 * carry_listed(docs, listed, weight, scores)
 *     The same for the documents found in ``listed`` (both sorted ascending).
 *
 * numpy's own calls cost a few microseconds each before any work, and a query made some
 * forty of them over some ten thousand postings: here one pass each. (numpy still sorts:
 * its vectorised sort beats any merge of the lists written here.)
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    Py_buffer view;
    int held;
} Held;

static int hold(PyObject *obj, Held *h, int writable, const char *format, Py_ssize_t itemsize,
                const char *what) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    h->held = 0;
    if (PyObject_GetBuffer(obj, &h->view, flags) < 0) {
        return -1;
    }
    h->held = 1;
    const char *given = h->view.format == NULL ? "B" : h->view.format;
    if (given[0] == '@' || given[0] == '=' || given[0] == '<') given++; /* native order */
    if (h->view.itemsize != itemsize || h->view.ndim > 1 || given[0] == '\0' || given[1] != '\0' ||
        strchr(format, given[0]) == NULL) {
        PyErr_Format(PyExc_TypeError, "%s: expected a contiguous array of %s", what,
                     format[0] == 'i' ? "int32" : format[0] == 'd' ? "float64" : "uint8");
        return -1;
    }
    return 0;
}

static void release(Held *h) {
    if (h->held) {
        PyBuffer_Release(&h->view);
        h->held = 0;
    }
}

static PyObject *sum_runs(PyObject *self, PyObject *args) {
    PyObject *entries_obj, *weights_obj, *docs_obj, *scores_obj;
    int bits;
    if (!PyArg_ParseTuple(args, "OOiOO", &entries_obj, &weights_obj, &bits, &docs_obj, &scores_obj)) {
        return NULL;
    }
    Held entries = {0}, weights = {0}, docs = {0}, scores = {0};
    PyObject *result = NULL;
    if (hold(entries_obj, &entries, 0, "lq", 8, "entries") < 0 ||
        hold(weights_obj, &weights, 0, "d", 8, "weights") < 0 ||
        hold(docs_obj, &docs, 1, "i", 4, "docs_out") < 0 ||
        hold(scores_obj, &scores, 1, "d", 8, "scores_out") < 0) {
        goto done;
    }
    if (bits < 1 || bits > 16) {
        PyErr_SetString(PyExc_ValueError, "sum_runs: the list number takes 1 to 16 bits");
        goto done;
    }
    Py_ssize_t n = entries.view.len / 8, lists = weights.view.len / 8;
    if (docs.view.len / 4 < n || scores.view.len / 8 < n) {
        PyErr_SetString(PyExc_ValueError, "sum_runs: the output arrays are too short");
        goto done;
    }
    const int64_t *e = (const int64_t *)entries.view.buf;
    const double *w = (const double *)weights.view.buf;
    int32_t *out_docs = (int32_t *)docs.view.buf;
    double *out_scores = (double *)scores.view.buf;
    const int64_t mask = ((int64_t)1 << bits) - 1;
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int64_t list = e[i] & mask;
        int64_t doc = e[i] >> bits;
        if (list >= lists || doc < 0 || doc > INT32_MAX) {
            PyErr_SetString(PyExc_ValueError, "sum_runs: an entry names no list or document");
            goto done;
        }
        if (count > 0 && out_docs[count - 1] == (int32_t)doc) {
            out_scores[count - 1] += w[list];
        } else {
            out_docs[count] = (int32_t)doc;
            out_scores[count] = w[list];
            count++;
        }
    }
    result = PyLong_FromSsize_t(count);
done:
    release(&entries);
    release(&weights);
    release(&docs);
    release(&scores);
    return result;
}

static PyObject *carry_bits(PyObject *self, PyObject *args) {
    PyObject *docs_obj, *bits_obj, *scores_obj;
    double weight;
    if (!PyArg_ParseTuple(args, "OOdO", &docs_obj, &bits_obj, &weight, &scores_obj)) {
        return NULL;
    }
    Held docs = {0}, bits = {0}, scores = {0};
    PyObject *result = NULL;
    if (hold(docs_obj, &docs, 0, "i", 4, "docs") < 0 || hold(bits_obj, &bits, 0, "Bb?", 1, "bits") < 0 ||
        hold(scores_obj, &scores, 1, "d", 8, "scores") < 0) {
        goto done;
    }
    Py_ssize_t n = docs.view.len / 4;
    if (scores.view.len / 8 < n) {
        PyErr_SetString(PyExc_ValueError, "carry_bits: fewer scores than documents");
        goto done;
    }
    const int32_t *d = (const int32_t *)docs.view.buf;
    const uint8_t *b = (const uint8_t *)bits.view.buf;
    double *s = (double *)scores.view.buf;
    Py_ssize_t nbytes = bits.view.len;
    for (Py_ssize_t i = 0; i < n; i++) {
        int32_t doc = d[i];
        if (doc < 0 || (doc >> 3) >= nbytes) {
            PyErr_SetString(PyExc_IndexError, "carry_bits: a document lies beyond the bitmap");
            goto done;
        }
        if ((b[doc >> 3] >> (doc & 7)) & 1) s[i] += weight;
    }
    result = Py_NewRef(Py_None);
done:
    release(&docs);
    release(&bits);
    release(&scores);
    return result;
}

static PyObject *carry_listed(PyObject *self, PyObject *args) {
    PyObject *docs_obj, *listed_obj, *scores_obj;
    double weight;
    if (!PyArg_ParseTuple(args, "OOdO", &docs_obj, &listed_obj, &weight, &scores_obj)) {
        return NULL;
    }
    Held docs = {0}, listed = {0}, scores = {0};
    PyObject *result = NULL;
    if (hold(docs_obj, &docs, 0, "i", 4, "docs") < 0 ||
        hold(listed_obj, &listed, 0, "i", 4, "listed") < 0 ||
        hold(scores_obj, &scores, 1, "d", 8, "scores") < 0) {
        goto done;
    }
    Py_ssize_t n = docs.view.len / 4, m = listed.view.len / 4;
    if (scores.view.len / 8 < n) {
        PyErr_SetString(PyExc_ValueError, "carry_listed: fewer scores than documents");
        goto done;
    }
    const int32_t *d = (const int32_t *)docs.view.buf;
    const int32_t *l = (const int32_t *)listed.view.buf;
    double *s = (double *)scores.view.buf;
    if (m * 16 < n) { /* a short list (a document's key): each of it sought in docs */
        Py_ssize_t low = 0;
        for (Py_ssize_t j = 0; j < m && low < n; j++) {
            Py_ssize_t high = n;
            while (low < high) {
                Py_ssize_t mid = low + (high - low) / 2;
                if (d[mid] < l[j]) low = mid + 1; else high = mid;
            }
            if (low < n && d[low] == l[j]) s[low++] += weight;
        }
    } else if (n * 16 < m) { /* few documents: each sought in the long list */
        Py_ssize_t low = 0;
        for (Py_ssize_t i = 0; i < n && low < m; i++) {
            Py_ssize_t high = m;
            while (low < high) {
                Py_ssize_t mid = low + (high - low) / 2;
                if (l[mid] < d[i]) low = mid + 1; else high = mid;
            }
            if (low < m && l[low] == d[i]) s[i] += weight;
        }
    } else { /* alike in length: one pass over the two */
        Py_ssize_t i = 0, j = 0;
        while (i < n && j < m) {
            if (d[i] < l[j]) {
                i++;
            } else if (d[i] > l[j]) {
                j++;
            } else {
                s[i] += weight;
                i++;
                j++;
            }
        }
    }
    result = Py_NewRef(Py_None);
done:
    release(&docs);
    release(&listed);
    release(&scores);
    return result;
}

static PyMethodDef methods[] = {
    {"sum_runs", sum_runs, METH_VARARGS, "Sum the weights of each document's run of entries."},
    {"carry_bits", carry_bits, METH_VARARGS, "Add a weight where a bitmap holds the document."},
    {"carry_listed", carry_listed, METH_VARARGS, "Add a weight where a sorted list holds it."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_postings_native", "Candidate retrieval's inner loops.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__postings_native(void) { return PyModule_Create(&module); }
