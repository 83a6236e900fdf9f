/* The compiled WIT grammar as a Python extension: `language()` returns a capsule holding the
 * `TSLanguage *` that py-tree-sitter's `tree_sitter.Language(...)` accepts. */
#include <Python.h>

typedef struct TSLanguage TSLanguage;
const TSLanguage *tree_sitter_wit(void);

static PyObject *language(PyObject *self, PyObject *args) {
  (void)self;
  (void)args;
  return PyCapsule_New((void *)tree_sitter_wit(), "tree_sitter.Language", NULL);
}

static PyMethodDef methods[] = {
    {"language", language, METH_NOARGS, "The WIT grammar as a tree-sitter language capsule."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_grammar", "The compiled tree-sitter grammar for WIT.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__grammar(void) { return PyModule_Create(&module); }
