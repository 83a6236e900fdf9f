; Indentation for WIT (nvim-treesitter `@indent.*` captures).

[
  (package_body)
  (interface_body)
  (world_body)
  (record_body)
  (flags_body)
  (variant_body)
  (enum_body)
  (resource_body)
  (use_names)
  (include_names)
  (param_list)
  (attribute_arguments)
] @indent.begin

"}" @indent.end

[
  "}"
  ")"
] @indent.branch

[
  (block_comment)
  (doc_comment)
  (string)
] @indent.auto
