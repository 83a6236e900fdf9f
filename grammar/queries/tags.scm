; Symbol tags for WIT (`tree-sitter tags`, GitHub code navigation, editor outlines).
;
; Interfaces and worlds are interfaces/modules, type definitions are types (resources are classes:
; they carry methods), functions and methods are functions and methods. References are the
; places that name a type or an interface.

(interface_item
  name: (identifier) @name) @definition.interface

(world_item
  name: (identifier) @name) @definition.module

(package_decl
  name: (package_name) @name) @definition.module

(nested_package
  name: (package_name) @name) @definition.module

(type_alias
  name: (identifier) @name) @definition.type

(record_item
  name: (identifier) @name) @definition.type

(flags_item
  name: (identifier) @name) @definition.type

(variant_item
  name: (identifier) @name) @definition.type

(enum_item
  name: (identifier) @name) @definition.type

(resource_item
  name: (identifier) @name) @definition.class

(func_item
  name: (identifier) @name) @definition.function

(import_item
  name: (identifier) @name
  type: (_)) @definition.function

(export_item
  name: (identifier) @name
  type: (_)) @definition.function

(import_item
  name: (identifier) @name
  body: (_)) @definition.interface

(export_item
  name: (identifier) @name
  body: (_)) @definition.interface

(method_item
  name: (identifier) @name) @definition.method

(named_type
  name: (identifier) @name) @reference.type

(handle_type
  resource: (identifier) @name) @reference.type

(use_path
  name: (identifier) @name) @reference.interface
