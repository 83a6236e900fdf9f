; Syntax highlighting for WIT.
;
; Capture names follow nvim-treesitter's conventions (`@keyword.function`, `@variable.member`,
; `@module`, ...). Helix and Zed resolve a dotted name to its longest prefix that their theme
; knows, so `@keyword.import` falls back to `keyword` there. See ../README.md.
;
; Every node gets at most one capture from this file, so the result does not depend on whether
; an editor lets the first or the last matching pattern win. Only portable predicates are used.

; ---- comments --------------------------------------------------------------------------------

[
  (line_comment)
  (block_comment)
] @comment

(doc_comment) @comment.documentation

; ---- keywords --------------------------------------------------------------------------------

[
  "package"
  "interface"
  "world"
] @keyword

[
  "type"
  "record"
  "flags"
  "variant"
  "enum"
  "resource"
] @keyword.type

[
  "func"
  "constructor"
  "get"
  "set"
] @keyword.function

"async" @keyword.coroutine

"static" @keyword.modifier

[
  "use"
  "import"
  "export"
  "include"
  "with"
  "as"
] @keyword.import

; ---- types -----------------------------------------------------------------------------------

(primitive_type) @type.builtin

[
  "tuple"
  "list"
  "map"
  "option"
  "result"
  "future"
  "stream"
  "own"
  "borrow"
] @type.builtin

; `result<_, E>`: no ok type.
(result_type
  "_" @punctuation.special)

(named_type
  name: (identifier) @type)

(handle_type
  resource: (identifier) @type)

(type_alias
  name: (identifier) @type.definition)

(record_item
  name: (identifier) @type.definition)

(flags_item
  name: (identifier) @type.definition)

(variant_item
  name: (identifier) @type.definition)

(enum_item
  name: (identifier) @type.definition)

(resource_item
  name: (identifier) @type.definition)

; `use iface.{a, b as c}`: the imported names are types, an alias defines a new name.
(use_name
  name: (identifier) @type)

(use_name
  alias: (identifier) @type.definition)

; ---- members ---------------------------------------------------------------------------------

(record_field
  name: (identifier) @variable.member)

[
  (flag)
  (enum_case)
] @constant

(variant_case
  name: (identifier) @constant)

; ---- functions -------------------------------------------------------------------------------

(func_item
  name: (identifier) @function)

(method_item
  name: (identifier) @function.method)

(param
  name: (identifier) @variable.parameter)

; `import name: func(...)`, `export name: get() -> T`
(import_item
  name: (identifier) @function
  type: (_))

(export_item
  name: (identifier) @function
  type: (_))

; ---- packages, interfaces, worlds ------------------------------------------------------------

(package_name
  namespace: (identifier) @module
  name: (identifier) @module)

(interface_item
  name: (identifier) @module)

(world_item
  name: (identifier) @module)

(use_path
  namespace: (identifier) @module)

(use_path
  package: (identifier) @module)

(use_path
  name: (identifier) @module)

(toplevel_use
  alias: (identifier) @module)

; `import name: interface { ... }` and `import name: ns:pkg/iface;`
(import_item
  name: (identifier) @module
  body: (_))

(export_item
  name: (identifier) @module
  body: (_))

(import_item
  name: (identifier) @module
  path: (_))

(export_item
  name: (identifier) @module
  path: (_))

; `include w with { a as b }` renames items of the included world.
(include_name
  name: (identifier) @variable)

(include_name
  alias: (identifier) @variable)

; ---- attributes ------------------------------------------------------------------------------

(attribute
  "@" @attribute
  name: (identifier) @attribute)

(attribute_argument
  key: (identifier) @variable.parameter)

(attribute_argument
  value: (identifier) @constant)

; ---- literals --------------------------------------------------------------------------------

(version) @string.special

(string) @string

(integer) @number

; ---- punctuation -----------------------------------------------------------------------------

[
  "("
  ")"
  "{"
  "}"
  "<"
  ">"
] @punctuation.bracket

[
  ","
  "."
  ":"
  ";"
  "/"
] @punctuation.delimiter

(package_name
  "@" @punctuation.delimiter)

(use_path
  "@" @punctuation.delimiter)

[
  "->"
  "="
] @operator
