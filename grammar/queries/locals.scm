; Scopes, definitions and references for WIT (nvim-treesitter `@local.*` names, which Helix and
; the tree-sitter CLI also read).
;
; Only type names are tracked: they are what a reference (`named_type`, `own<r>`) points at.
; Parameters are deliberately not definitions, because `f: func(fields: fields)` is common WIT
; and the type reference must not be resolved to the parameter.

[
  (source_file)
  (package_body)
  (interface_body)
  (world_body)
] @local.scope

(type_alias
  name: (identifier) @local.definition.type)

(record_item
  name: (identifier) @local.definition.type)

(flags_item
  name: (identifier) @local.definition.type)

(variant_item
  name: (identifier) @local.definition.type)

(enum_item
  name: (identifier) @local.definition.type)

(resource_item
  name: (identifier) @local.definition.type)

; `use iface.{a}` brings `a` into scope; `use iface.{a as b}` brings `b`.
(use_name
  name: (identifier) @local.definition.import
  !alias)

(use_name
  alias: (identifier) @local.definition.import)

(interface_item
  name: (identifier) @local.definition.namespace)

(world_item
  name: (identifier) @local.definition.namespace)

(named_type
  name: (identifier) @local.reference)

(handle_type
  resource: (identifier) @local.reference)
