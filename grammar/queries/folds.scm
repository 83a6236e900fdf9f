; Folding ranges for WIT: every braced body, multi-line parameter and name lists, and runs of
; comments are folded by the node that owns them.

[
  (interface_item)
  (world_item)
  (nested_package)
  (record_item)
  (flags_item)
  (variant_item)
  (enum_item)
  (resource_item)
  (use_item)
  (include_item)
  (param_list)
  (block_comment)
  (doc_comment)
] @fold

; `import name: interface { ... }`
(import_item
  body: (interface_body)) @fold

(export_item
  body: (interface_body)) @fold
