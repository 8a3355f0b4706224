/* kubelint._yamlfast: the common case of kubelint.parse.yaml_docs, compiled.
 *
 * build(text, bits, words, number, max_depth) parses a chunk of YAML with libyaml and returns a
 * list of (start line, data, position table) per document, exactly what yaml_docs'
 * _build_document makes of the same events (positions packed as kubelint.model.document.pack
 * says). It handles plain data only: on anything that needs the Python builder's judgement it
 * returns None and the caller parses the chunk in Python, from the start. That is:
 *   - a syntax error (the Python path reports it with PyYAML's or ruamel's messages);
 *   - anchors, aliases and tags on scalars (aliases count towards MAX_NODES, tags resolve);
 *   - `<<` merge keys, duplicate keys, a mapping or sequence used as a key;
 *   - nesting deeper than max_depth, and text that is not valid Unicode.
 * So its output is the Python builder's whatever the input, and tests/test_yamlfast.py compares
 * the two on the shared corpus and on generated YAML.
 *
 * Why: making Python objects of libyaml's events is two thirds of parsing in Python
 * (benchmarks/parse_floor.py); here an event costs what libyaml and the resulting data cost.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <yaml.h>
#include <stdint.h>
#include <string.h>

#define MAX_BITS 32            /* 8 * bits of a key and value position must fit POS_BYTES */
#define POS_BYTES 32

typedef struct {
    PyObject *cont;            /* the dict or list being filled (owned) */
    PyObject *table;           /* its position table, dict or list (owned) */
    PyObject *key;             /* a mapping's key waiting for its value (owned), or NULL */
    size_t key_pos[4];         /* that key's start line, start column, end line, end column */
    size_t start_line, start_col;
    int is_map;
} Frame;

typedef struct {
    Frame *frames;
    Py_ssize_t depth, capacity;
} Stack;

/* A position int: `low` (4 numbers) packed, with `high` (4 more, or NULL) above it. */
static void put_bits(unsigned char *out, unsigned offset, uint64_t value) {
    for (unsigned bit = 0; value; bit += 8, value >>= 8) {
        unsigned at = offset + bit;
        unsigned idx = at / 8, shift = at % 8;
        out[idx] |= (unsigned char)((value & 0xff) << shift);
        if (shift && idx + 1 < POS_BYTES)
            out[idx + 1] |= (unsigned char)((value & 0xff) >> (8 - shift));
    }
}

static PyObject *packed(const size_t *low, const size_t *high, unsigned bits) {
    unsigned char out[POS_BYTES];
    memset(out, 0, sizeof out);
    for (int i = 0; i < 4; i++)  /* end column lowest, start line highest */
        put_bits(out, (3 - i) * bits, (uint64_t)low[i]);
    if (high != NULL)
        for (int i = 0; i < 4; i++)
            put_bits(out, (7 - i) * bits, (uint64_t)high[i]);
    size_t used = high != NULL ? (8 * bits + 7) / 8 : (4 * bits + 7) / 8;
#if PY_VERSION_HEX >= 0x030D0000
    return PyLong_FromUnsignedNativeBytes(out, used, Py_ASNATIVEBYTES_LITTLE_ENDIAN | Py_ASNATIVEBYTES_UNSIGNED_BUFFER);
#else
    return _PyLong_FromByteArray(out, used, 1, 0);
#endif
}

static void frame_clear(Frame *f) {
    Py_CLEAR(f->cont);
    Py_CLEAR(f->table);
    Py_CLEAR(f->key);
}

static void stack_clear(Stack *s) {
    for (Py_ssize_t i = 0; i < s->depth; i++)
        frame_clear(&s->frames[i]);
    s->depth = 0;
}

/* An entry of a position table: the int, or (int, the child's table) for a container. */
static PyObject *entry(PyObject *pos, PyObject *child) {
    if (child == NULL)
        return pos;
    PyObject *pair = PyTuple_Pack(2, pos, child);
    Py_DECREF(pos);
    return pair;
}

enum { OK = 0, FALL_BACK = 1, FAILED = -1 };

/* Attach `value` (owned) at `pos` with the table `child` (owned, or NULL) to the open container,
 * or make it the document's root; both references are used up either way. */
static int attach(Stack *s, PyObject *value, PyObject *child, const size_t *pos, unsigned bits,
                  PyObject **root, PyObject **root_marks) {
    if (s->depth == 0) {
        *root = value;
        *root_marks = child;
        return OK;
    }
    Frame *f = &s->frames[s->depth - 1];
    int status = FAILED;
    PyObject *item = NULL;
    if (f->is_map) {
        int seen = PyDict_Contains(f->cont, f->key);
        if (seen != 0) {  /* a duplicate key: the Python builder reports it */
            status = seen < 0 ? FAILED : FALL_BACK;
            goto done;
        }
        PyObject *number = packed(pos, f->key_pos, bits);
        if (number == NULL || (item = entry(number, child)) == NULL)
            goto done;
        if (PyDict_SetItem(f->table, f->key, item) < 0 || PyDict_SetItem(f->cont, f->key, value) < 0)
            goto done;
        Py_CLEAR(f->key);
    } else {
        PyObject *number = packed(pos, NULL, bits);
        if (number == NULL || (item = entry(number, child)) == NULL)
            goto done;
        if (PyList_Append(f->table, item) < 0 || PyList_Append(f->cont, value) < 0)
            goto done;
    }
    status = OK;
done:
    Py_XDECREF(item);  /* the table and the container hold their own references */
    Py_DECREF(value);
    Py_XDECREF(child);
    return status;
}

static int is_number_start(unsigned char c) {
    return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

/* A plain scalar as yaml_docs.resolve_plain reads it (numbers through its own `number`). */
static PyObject *resolve_plain(PyObject *text, PyObject *words, PyObject *number) {
    PyObject *word = PyDict_GetItemWithError(words, text);
    if (word != NULL) {
        Py_INCREF(word);
        Py_DECREF(text);
        return word;
    }
    if (PyErr_Occurred()) {
        Py_DECREF(text);
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(text) > 0 && is_number_start((unsigned char)PyUnicode_READ_CHAR(text, 0))) {
        PyObject *value = PyObject_CallOneArg(number, text);
        Py_DECREF(text);
        return value;
    }
    if (PyUnicode_GET_LENGTH(text) < 40)  /* short values repeat: `v1`, `TCP`, image names */
        PyUnicode_InternInPlace(&text);
    return text;
}

static int push(Stack *s, const yaml_event_t *ev, int is_map) {
    if (s->depth == s->capacity) {
        Py_ssize_t capacity = s->capacity ? 2 * s->capacity : 32;
        Frame *frames = PyMem_Realloc(s->frames, capacity * sizeof(Frame));
        if (frames == NULL) {
            PyErr_NoMemory();
            return FAILED;
        }
        s->frames = frames;
        s->capacity = capacity;
    }
    Frame *f = &s->frames[s->depth];
    memset(f, 0, sizeof *f);
    f->is_map = is_map;
    f->cont = is_map ? PyDict_New() : PyList_New(0);
    f->table = is_map ? PyDict_New() : PyList_New(0);
    if (f->cont == NULL || f->table == NULL) {
        frame_clear(f);
        return FAILED;
    }
    f->start_line = ev->start_mark.line;
    f->start_col = ev->start_mark.column;
    s->depth++;
    return OK;
}

/* One event inside a document. */
static int on_event(Stack *s, yaml_event_t *ev, unsigned bits, PyObject *words, PyObject *number,
                    Py_ssize_t max_depth, PyObject **root, PyObject **root_marks) {
    Frame *top = s->depth ? &s->frames[s->depth - 1] : NULL;
    size_t pos[4] = {ev->start_mark.line, ev->start_mark.column, ev->end_mark.line, ev->end_mark.column};
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        if (ev->data.scalar.anchor != NULL)
            return FALL_BACK;
        const char *raw = (const char *)ev->data.scalar.value;
        size_t length = ev->data.scalar.length;
        int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (top != NULL && top->is_map && top->key == NULL) {  /* a key, kept as written */
            if (plain && length == 2 && raw[0] == '<' && raw[1] == '<')
                return FALL_BACK;  /* a merge key */
            PyObject *key = PyUnicode_DecodeUTF8(raw, (Py_ssize_t)length, "strict");
            if (key == NULL)
                return FAILED;
            PyUnicode_InternInPlace(&key);
            top->key = key;
            memcpy(top->key_pos, pos, sizeof pos);
            return OK;
        }
        if (ev->data.scalar.tag != NULL)
            return FALL_BACK;
        PyObject *text = PyUnicode_DecodeUTF8(raw, (Py_ssize_t)length, "strict");
        if (text == NULL)
            return FAILED;
        PyObject *value = plain ? resolve_plain(text, words, number) : text;
        if (value == NULL)
            return FAILED;
        return attach(s, value, NULL, pos, bits, root, root_marks);
    }
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT: {
        const yaml_char_t *anchor = ev->type == YAML_MAPPING_START_EVENT ? ev->data.mapping_start.anchor
                                                                         : ev->data.sequence_start.anchor;
        if (anchor != NULL || s->depth >= max_depth)
            return FALL_BACK;
        if (top != NULL && top->is_map && top->key == NULL)
            return FALL_BACK;  /* a complex key */
        return push(s, ev, ev->type == YAML_MAPPING_START_EVENT);
    }
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT: {
        Frame done = *top;
        s->depth--;
        size_t span[4] = {done.start_line, done.start_col, ev->end_mark.line, ev->end_mark.column};
        Py_XDECREF(done.key);
        return attach(s, done.cont, done.table, span, bits, root, root_marks);
    }
    case YAML_ALIAS_EVENT:
        return FALL_BACK;
    default:
        return OK;
    }
}

static PyObject *build(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *text, *words, *number;
    unsigned bits;
    Py_ssize_t max_depth;
    if (!PyArg_ParseTuple(args, "UIO!On:build", &text, &bits, &PyDict_Type, &words, &number, &max_depth))
        return NULL;
    if (bits == 0 || bits > MAX_BITS)
        Py_RETURN_NONE;
    PyObject *encoded = PyUnicode_AsUTF8String(text);
    if (encoded == NULL) {  /* lone surrogates: the Python path says so */
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        Py_DECREF(encoded);
        return PyErr_NoMemory();
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)PyBytes_AS_STRING(encoded),
                                 (size_t)PyBytes_GET_SIZE(encoded));
    PyObject *documents = PyList_New(0);
    Stack stack = {NULL, 0, 0};
    PyObject *root = NULL, *root_marks = NULL;
    size_t start_line = 0;
    int in_document = 0, status = documents == NULL ? FAILED : OK, finished = 0;
    while (status == OK && !finished) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            status = parser.error == YAML_MEMORY_ERROR ? FAILED : FALL_BACK;
            if (status == FAILED)
                PyErr_NoMemory();
            break;
        }
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            in_document = 1;
            start_line = ev.start_mark.line;
            break;
        case YAML_DOCUMENT_END_EVENT: {
            PyObject *line = PyLong_FromSize_t(start_line);
            PyObject *doc = line == NULL ? NULL
                : PyTuple_Pack(3, line, root ? root : Py_None, root_marks ? root_marks : Py_None);
            Py_XDECREF(line);
            Py_CLEAR(root);
            Py_CLEAR(root_marks);
            if (doc == NULL || PyList_Append(documents, doc) < 0)
                status = FAILED;
            Py_XDECREF(doc);
            in_document = 0;
            break;
        }
        case YAML_STREAM_END_EVENT:
            finished = 1;
            break;
        default:
            if (in_document)
                status = on_event(&stack, &ev, bits, words, number, max_depth, &root, &root_marks);
        }
        yaml_event_delete(&ev);
    }
    stack_clear(&stack);
    PyMem_Free(stack.frames);
    Py_XDECREF(root);
    Py_XDECREF(root_marks);
    yaml_parser_delete(&parser);
    Py_DECREF(encoded);
    if (status == OK)
        return documents;
    Py_XDECREF(documents);
    if (status == FAILED)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"build", build, METH_VARARGS,
     "build(text, bits, words, number, max_depth) -> [(start line, data, positions), ...] or None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_yamlfast", "The common case of kubelint.parse.yaml_docs, compiled.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__yamlfast(void) {
    return PyModule_Create(&module);
}
