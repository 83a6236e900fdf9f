/**
 * @file Tree-sitter grammar for WIT, the WebAssembly Component Model interface language,
 *       as accepted by wasm-tools 1.262.
 * @license Apache-2.0 WITH LLVM-exception
 *
 * Design notes
 * ------------
 * * Permissive where a precise message needs semantics: identifier case and character rules,
 *   attribute names and arguments, version validity, map key types, keyword `from`, attributes
 *   where wit-parser forbids them and a second file-level `package` header are all accepted here
 *   and diagnosed by `wit_ls.model`, so one mistake gives one diagnostic instead of a cascade of
 *   ERROR nodes.
 * * Comments are lexed by the external scanner (`src/scanner.c`) because block comments nest.
 *   `///` and `/** *\/` are `doc_comment`, other comments `line_comment` / `block_comment`.
 *   (wit-parser turns every comment before an item into docs; the model decides that, the node
 *   types only record the spelling.)
 * * `get` and `set` are contextual: they are keyword tokens only where an accessor may start, and
 *   identifiers everywhere else (tree-sitter only promotes a word to a keyword in parse states
 *   where the keyword is valid).
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const PRIMITIVES = [
  'bool', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64',
  'f32', 'f64', 'char', 'string', 'error-context',
];

const KEYWORDS = [
  ...PRIMITIVES,
  'use', 'type', 'func', 'record', 'resource', 'own', 'borrow', 'flags', 'variant', 'enum',
  'option', 'result', 'future', 'stream', 'list', 'map', '_', 'as', 'static', 'interface',
  'tuple', 'world', 'import', 'export', 'package', 'constructor', 'include', 'with', 'async',
];

/** Comma-separated list with an optional trailing comma, possibly empty. */
function commaSep(rule) {
  return optional(seq(rule, repeat(seq(',', rule)), optional(',')));
}

module.exports = grammar({
  name: 'wit',

  word: $ => $.identifier,

  // The keywords of wit-parser's lexer are never identifiers (`%type` is the way to use one as a
  // name), also during error recovery. `get` and `set` are contextual and `from` is left to the
  // model, so they are not listed here.
  reserved: {
    global: _ => KEYWORDS,
  },

  externals: $ => [$.line_comment, $.block_comment, $.doc_comment],

  extras: $ => [/[\s\uFEFF]/, $.line_comment, $.block_comment, $.doc_comment],

  supertypes: $ => [$._type, $._item, $._interface_member, $._world_member, $._type_definition],

  // No conflicts: every alternative is decided by one token of lookahead. The interesting case is
  // a world extern, `import a:b;` (label `a`, local interface `b`) versus `import a:b/c;` (the
  // qualified path `a:b/c`): both shift the same tokens and only the `/` decides, as in
  // wit-parser's `ExternKind::parse`.
  conflicts: _ => [],

  rules: {
    source_file: $ => repeat($._item),

    // ---- top level -------------------------------------------------------------------------

    // A `package` header is accepted anywhere at top level (the model reports one that is not
    // first, as wit-parser does), and attributes are accepted before it (the model reports them).
    _item: $ => choice(
      $.package_decl,
      $.nested_package,
      $.toplevel_use,
      $.interface_item,
      $.world_item,
    ),

    package_decl: $ => seq(
      repeat($.attribute),
      'package',
      field('name', $.package_name),
      ';',
    ),

    nested_package: $ => seq(
      repeat($.attribute),
      'package',
      field('name', $.package_name),
      field('body', $.package_body),
    ),

    package_body: $ => seq('{', repeat($._item), '}'),

    package_name: $ => seq(
      field('namespace', $.identifier),
      ':',
      field('name', $.identifier),
      optional(seq('@', field('version', $.version))),
    ),

    toplevel_use: $ => seq(
      repeat($.attribute),
      'use',
      field('path', $.use_path),
      optional(seq('as', field('alias', $.identifier))),
      ';',
    ),

    // `iface` (in this package) or `ns:pkg/iface@1.2.3`.
    use_path: $ => choice(
      field('name', $.identifier),
      seq(
        field('namespace', $.identifier),
        ':',
        field('package', $.identifier),
        '/',
        field('name', $.identifier),
        optional(seq('@', field('version', $.version))),
      ),
    ),

    interface_item: $ => seq(
      repeat($.attribute),
      'interface',
      field('name', $.identifier),
      field('body', $.interface_body),
    ),

    interface_body: $ => seq('{', repeat($._interface_member), '}'),

    _interface_member: $ => choice(
      $.use_item,
      $._type_definition,
      $.func_item,
    ),

    world_item: $ => seq(
      repeat($.attribute),
      'world',
      field('name', $.identifier),
      field('body', $.world_body),
    ),

    world_body: $ => seq('{', repeat($._world_member), '}'),

    _world_member: $ => choice(
      $.import_item,
      $.export_item,
      $.include_item,
      $.use_item,
      $._type_definition,
    ),

    import_item: $ => seq(repeat($.attribute), 'import', $._extern),
    export_item: $ => seq(repeat($.attribute), 'export', $._extern),

    _extern: $ => choice(
      seq(field('name', $.identifier), ':', field('type', $._func_signature), ';'),
      seq(field('name', $.identifier), ':', 'interface', field('body', $.interface_body)),
      seq(field('name', $.identifier), ':', field('path', $.use_path), ';'),
      seq(field('path', $.use_path), ';'),
    ),

    include_item: $ => seq(
      repeat($.attribute),
      'include',
      field('path', $.use_path),
      choice(';', seq('with', field('with', $.include_names))),
    ),

    include_names: $ => seq('{', commaSep($.include_name), '}'),

    include_name: $ => seq(field('name', $.identifier), 'as', field('alias', $.identifier)),

    use_item: $ => seq(
      repeat($.attribute),
      'use',
      field('path', $.use_path),
      '.',
      field('names', $.use_names),
      ';',
    ),

    use_names: $ => seq('{', commaSep($.use_name), '}'),

    use_name: $ => seq(
      field('name', $.identifier),
      optional(seq('as', field('alias', $.identifier))),
    ),

    // ---- functions -------------------------------------------------------------------------

    func_item: $ => seq(
      repeat($.attribute),
      field('name', $.identifier),
      ':',
      field('type', $._func_signature),
      ';',
    ),

    _func_signature: $ => choice($.func_type, $.accessor),

    func_type: $ => seq(
      optional(field('async', 'async')),
      'func',
      field('params', $.param_list),
      optional(seq('->', field('result', $._type))),
    ),

    accessor: $ => seq(
      field('kind', choice('get', 'set')),
      field('params', $.param_list),
      optional(seq('->', field('result', $._type))),
    ),

    param_list: $ => seq('(', commaSep($.param), ')'),

    param: $ => seq(field('name', $.identifier), ':', field('type', $._type)),

    // ---- type definitions ------------------------------------------------------------------

    _type_definition: $ => choice(
      $.type_alias,
      $.record_item,
      $.flags_item,
      $.variant_item,
      $.enum_item,
      $.resource_item,
    ),

    type_alias: $ => seq(
      repeat($.attribute),
      'type',
      field('name', $.identifier),
      '=',
      field('type', $._type),
      ';',
    ),

    record_item: $ => seq(
      repeat($.attribute),
      'record',
      field('name', $.identifier),
      field('body', $.record_body),
    ),

    record_body: $ => seq('{', commaSep($.record_field), '}'),

    record_field: $ => seq(field('name', $.identifier), ':', field('type', $._type)),

    flags_item: $ => seq(
      repeat($.attribute),
      'flags',
      field('name', $.identifier),
      field('body', $.flags_body),
    ),

    flags_body: $ => seq('{', commaSep($.flag), '}'),

    flag: $ => field('name', $.identifier),

    variant_item: $ => seq(
      repeat($.attribute),
      'variant',
      field('name', $.identifier),
      field('body', $.variant_body),
    ),

    variant_body: $ => seq('{', commaSep($.variant_case), '}'),

    variant_case: $ => seq(
      field('name', $.identifier),
      optional(seq('(', field('type', $._type), ')')),
    ),

    enum_item: $ => seq(
      repeat($.attribute),
      'enum',
      field('name', $.identifier),
      field('body', $.enum_body),
    ),

    enum_body: $ => seq('{', commaSep($.enum_case), '}'),

    enum_case: $ => field('name', $.identifier),

    resource_item: $ => seq(
      repeat($.attribute),
      'resource',
      field('name', $.identifier),
      choice(';', field('body', $.resource_body)),
    ),

    resource_body: $ => seq('{', repeat(choice($.constructor_item, $.method_item)), '}'),

    constructor_item: $ => seq(
      repeat($.attribute),
      'constructor',
      field('params', $.param_list),
      optional(seq('->', field('result', $._type))),
      ';',
    ),

    method_item: $ => seq(
      repeat($.attribute),
      field('name', $.identifier),
      ':',
      optional(field('static', 'static')),
      field('type', $._func_signature),
      ';',
    ),

    // ---- types -----------------------------------------------------------------------------

    _type: $ => choice(
      $.primitive_type,
      $.tuple_type,
      $.list_type,
      $.map_type,
      $.option_type,
      $.result_type,
      $.future_type,
      $.stream_type,
      $.handle_type,
      $.named_type,
    ),

    primitive_type: _ => choice(...PRIMITIVES),

    tuple_type: $ => seq('tuple', '<', commaSep(field('element', $._type)), '>'),

    list_type: $ => seq(
      'list', '<',
      field('element', $._type),
      optional(seq(',', field('size', $.integer))),
      '>',
    ),

    map_type: $ => seq('map', '<', field('key', $._type), ',', field('value', $._type), '>'),

    option_type: $ => seq('option', '<', field('element', $._type), '>'),

    result_type: $ => seq(
      'result',
      optional(seq(
        '<',
        choice(
          field('ok', $._type),
          seq(field('ok', $._type), ',', field('err', $._type)),
          seq('_', ',', field('err', $._type)),
        ),
        '>',
      )),
    ),

    future_type: $ => seq('future', optional(seq('<', field('element', $._type), '>'))),

    stream_type: $ => seq('stream', optional(seq('<', field('element', $._type), '>'))),

    handle_type: $ => seq(
      field('kind', choice('own', 'borrow')),
      '<',
      field('resource', $.identifier),
      '>',
    ),

    named_type: $ => field('name', $.identifier),

    // ---- attributes ------------------------------------------------------------------------

    // `@since(version = 1.2.0)`, `@unstable(feature = x)`, `@deprecated(version = 1.2.0)`,
    // `@external-id("...")`. Names and argument shapes are checked by the model.
    attribute: $ => seq(
      '@',
      field('name', $.identifier),
      optional(field('arguments', $.attribute_arguments)),
    ),

    attribute_arguments: $ => seq('(', commaSep($.attribute_argument), ')'),

    attribute_argument: $ => choice(
      seq(
        field('key', $.identifier),
        '=',
        field('value', choice($.version, $.identifier, $.string)),
      ),
      field('value', $.string),
    ),

    // ---- tokens ----------------------------------------------------------------------------

    // A "keylike" run as wit-parser lexes it, optionally `%`-escaped. Case and character rules
    // are checked by the model (`Apple`, `a_b` and `café` are one token each, as in wit-parser).
    identifier: _ => /%?[\p{XID_Start}_][\p{XID_Continue}\-]*/,

    // The characters of a version are contiguous; validity is left to the model (semver rules),
    // but a `.` must be followed by a version character so that `@1.0.0.{x}` ends at `1.0.0`.
    version: _ => /[0-9][0-9A-Za-z\-+_]*(\.[0-9A-Za-z\-+_]+)*/,

    integer: _ => /[0-9]+/,

    string: _ => token(seq('"', repeat(choice(/[^"\\\n]/, /\\[^\n]/)), '"')),
  },
});
