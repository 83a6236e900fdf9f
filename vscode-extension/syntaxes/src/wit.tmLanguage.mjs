// Readable source of the WIT TextMate grammar.
// `npm run build:grammar` turns this into syntaxes/wit.tmLanguage.json
// (`npm run check:grammar` fails when the JSON is out of date).
//
// WIT (wasm-tools 1.262) in one paragraph, as far as highlighting cares:
//   * identifiers are kebab-case (`input-stream`, `is-XML`); a leading `%` escapes keywords;
//   * every keyword is reserved, so a bare keyword is always a keyword;
//     `get`/`set` are contextual (accessor functions), attribute words are contextual too;
//   * comments: `//`, `///` (doc), `/* */` and `/** */` (doc); block comments nest;
//   * the only string literal is the argument of `@external-id("...")`;
//   * numbers only appear in versions and in fixed-size lists `list<u8, 4>`.
//
// The grammar is deliberately shallow: apart from comments, strings, attributes and the bodies
// of record/variant/enum/flags, every rule is a single-line match, so an unfinished edit can
// never leave the rest of the file in a strange state.

// ---------------------------------------------------------------------------------------------
// Building blocks

/** An identifier: `%`? then kebab-case segments. Lenient about case/`_` (the server reports those). */
const ID = String.raw`%?[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*`;
/** Left boundary of a word: `-` and `%` belong to identifiers, so `\b` is not enough. */
const L = String.raw`(?<![\w%-])`;
/** Right boundary of a word. */
const R = String.raw`(?![\w-])`;
/** A semver version: 1.2.3, 1.2.3-rc.1, 1.2.3+build.5, 0.2.0-rc-2024-01-01. */
const VERSION = String.raw`\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?`;

/** Alternation of keywords as whole words. */
const words = (...ws) => `${L}(?:${ws.join('|')})${R}`;

const PRIMITIVES = ['bool', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'f32', 'f64', 'char', 'string', 'error-context'];
const BUILTIN_GENERICS = ['list', 'option', 'result', 'tuple', 'future', 'stream', 'map'];
const HANDLES = ['own', 'borrow'];

// Declaration keywords and the scope given to the name that follows them.
const DECLARATIONS = {
  interface: 'entity.name.type.interface.wit',
  world: 'entity.name.type.world.wit',
  resource: 'entity.name.type.resource.wit',
  type: 'entity.name.type.alias.wit',
};
// These have a `{ ... }` body whose members get their own scopes.
const BODIED = {
  record: { name: 'entity.name.type.record.wit', body: 'record-body' },
  variant: { name: 'entity.name.type.variant.wit', body: 'variant-body' },
  enum: { name: 'entity.name.type.enum.wit', body: 'enum-body' },
  flags: { name: 'entity.name.type.flags.wit', body: 'flags-body' },
};

const include = (name) => ({ include: `#${name}` });

// ---------------------------------------------------------------------------------------------
// Rules

const repository = {
  // ---- comments -----------------------------------------------------------------------------
  comments: {
    patterns: [include('block-doc-comment'), include('block-comment'), include('line-doc-comment'), include('line-comment')],
  },
  'line-doc-comment': {
    // `///` but not `////` (a row of slashes is a separator, not documentation)
    match: String.raw`(?<!/)(///)(?!/).*`,
    name: 'comment.line.documentation.wit',
    captures: { 1: { name: 'punctuation.definition.comment.wit' } },
  },
  'line-comment': {
    match: String.raw`(//).*`,
    name: 'comment.line.double-slash.wit',
    captures: { 1: { name: 'punctuation.definition.comment.wit' } },
  },
  'block-doc-comment': {
    // `/**` opens a doc comment, except `/**/` (empty) and `/***` (decoration)
    begin: String.raw`/\*\*(?![*/])`,
    end: String.raw`\*/`,
    name: 'comment.block.documentation.wit',
    beginCaptures: { 0: { name: 'punctuation.definition.comment.begin.wit' } },
    endCaptures: { 0: { name: 'punctuation.definition.comment.end.wit' } },
    patterns: [include('nested-block-comment')],
  },
  'block-comment': {
    begin: String.raw`/\*`,
    end: String.raw`\*/`,
    name: 'comment.block.wit',
    beginCaptures: { 0: { name: 'punctuation.definition.comment.begin.wit' } },
    endCaptures: { 0: { name: 'punctuation.definition.comment.end.wit' } },
    patterns: [include('nested-block-comment')],
  },
  'nested-block-comment': {
    // Block comments nest: `/* a /* b */ still comment */`
    begin: String.raw`/\*`,
    end: String.raw`\*/`,
    beginCaptures: { 0: { name: 'punctuation.definition.comment.begin.wit' } },
    endCaptures: { 0: { name: 'punctuation.definition.comment.end.wit' } },
    patterns: [include('nested-block-comment')],
  },

  // ---- literals -----------------------------------------------------------------------------
  string: {
    begin: '"',
    // strings cannot span lines; stop at the end of the line so a typo cannot colour the file
    end: String.raw`"|$`,
    name: 'string.quoted.double.wit',
    beginCaptures: { 0: { name: 'punctuation.definition.string.begin.wit' } },
    endCaptures: { 0: { name: 'punctuation.definition.string.end.wit' } },
    patterns: [
      { match: String.raw`\\(?:["'tnr\\]|[0-9A-Fa-f]{2}|u\{[0-9A-Fa-f_]+\})`, name: 'constant.character.escape.wit' },
      { match: String.raw`\\.?`, name: 'invalid.illegal.escape.wit' },
    ],
  },
  version: {
    match: `(?<![\\w.])${VERSION}(?![\\w-]|\\.\\d)`,
    name: 'constant.numeric.version.wit',
  },
  integer: {
    match: String.raw`(?<![\w.-])\d+(?![\w.])`,
    name: 'constant.numeric.integer.wit',
  },

  // ---- attributes ---------------------------------------------------------------------------
  attribute: {
    // @since(version = 1.2.0)  @unstable(feature = x)  @deprecated(version = 1.0.0)  @external-id("x")
    begin: `(@)\\s*(${ID})`,
    // ends after the argument list, or before anything that is not one
    end: String.raw`(?<=\))|(?=[^\s(])`,
    name: 'meta.attribute.wit',
    beginCaptures: {
      1: { name: 'punctuation.definition.attribute.wit' },
      2: { name: 'entity.name.function.decorator.wit' },
    },
    patterns: [include('attribute-arguments')],
  },
  'attribute-arguments': {
    begin: String.raw`\(`,
    end: String.raw`\)|(?=[;{}])`,
    name: 'meta.attribute.arguments.wit',
    beginCaptures: { 0: { name: 'punctuation.section.arguments.begin.wit' } },
    endCaptures: { 0: { name: 'punctuation.section.arguments.end.wit' } },
    patterns: [
      include('comments'),
      {
        match: `${L}(version)\\s*(=)\\s*(${VERSION})?`,
        captures: {
          1: { name: 'entity.other.attribute-name.wit' },
          2: { name: 'keyword.operator.assignment.wit' },
          3: { name: 'constant.numeric.version.wit' },
        },
      },
      {
        match: `${L}(feature)\\s*(=)\\s*(${ID})?`,
        captures: {
          1: { name: 'entity.other.attribute-name.wit' },
          2: { name: 'keyword.operator.assignment.wit' },
          3: { name: 'variable.other.constant.feature.wit' },
        },
      },
      include('string'),
      include('version'),
      { match: `${L}${ID}`, name: 'entity.other.attribute-name.wit' },
      { match: '=', name: 'keyword.operator.assignment.wit' },
      { match: ',', name: 'punctuation.separator.comma.wit' },
    ],
  },

  // ---- packages and paths -------------------------------------------------------------------
  'package-declaration': {
    // package wasi:io@0.2.0;   package local:demo { ... }
    match: `${L}(package)\\s+(${ID})\\s*(:)\\s*(${ID})(?:(@)(${VERSION}))?`,
    captures: {
      1: { name: 'storage.type.package.wit' },
      2: { name: 'entity.name.namespace.wit' },
      3: { name: 'punctuation.separator.namespace.wit' },
      4: { name: 'entity.name.namespace.package.wit' },
      5: { name: 'punctuation.separator.version.wit' },
      6: { name: 'constant.numeric.version.wit' },
    },
  },
  'package-path': {
    // wasi:io/streams@0.2.0 in use / import / export / include
    match: `${L}(${ID})(:)(${ID})(/)(${ID})(?:(@)(${VERSION}))?`,
    name: 'meta.path.package.wit',
    captures: {
      1: { name: 'entity.name.namespace.wit' },
      2: { name: 'punctuation.separator.namespace.wit' },
      3: { name: 'entity.name.namespace.package.wit' },
      4: { name: 'punctuation.separator.path.wit' },
      5: { name: 'entity.name.type.interface.wit' },
      6: { name: 'punctuation.separator.version.wit' },
      7: { name: 'constant.numeric.version.wit' },
    },
  },

  // ---- declarations -------------------------------------------------------------------------
  'function-declaration': {
    // name: func(..)   name: async func(..)   name: static func(..)   name: get() -> t   name: set(v: t)
    match:
      `${L}(${ID})\\s*(:)\\s*(?:(static)\\s+)?(?:(async)\\s+)?` +
      `(?:(func)${R}|(get|set)(?=\\s*\\())`,
    captures: {
      1: { name: 'entity.name.function.wit' },
      2: { name: 'punctuation.separator.colon.wit' },
      3: { name: 'storage.modifier.static.wit' },
      4: { name: 'storage.modifier.async.wit' },
      5: { name: 'storage.type.function.wit' },
      6: { name: 'storage.type.function.accessor.wit' },
    },
  },
  'extern-label': {
    // import name: interface { .. }   export name: other-iface;   (functions are handled above)
    match:
      `${L}(import|export)\\s+(${ID})\\s*(:)` +
      `(?!\\s*(?:(?:static|async)\\s+)*(?:func${R}|(?:get|set)\\s*\\())(?!\\s*${ID}/)`,
    captures: {
      1: { patterns: [include('keywords')] },
      2: { name: 'entity.name.type.interface.wit' },
      3: { name: 'punctuation.separator.colon.wit' },
    },
  },
  declaration: {
    patterns: Object.entries(DECLARATIONS).map(([kw, scope]) => ({
      match: `${L}(${kw})\\s+(${ID})`,
      captures: { 1: { name: `storage.type.${kw}.wit` }, 2: { name: scope } },
    })),
  },
  'bodied-declaration': {
    patterns: Object.entries(BODIED).map(([kw, { name, body }]) => ({
      begin: `${L}(${kw})\\s+(${ID})`,
      // the declaration ends right after its body's closing brace
      end: String.raw`(?<=\})|(?=;)`,
      name: `meta.${kw}.wit`,
      beginCaptures: { 1: { name: `storage.type.${kw}.wit` }, 2: { name } },
      patterns: [include('comments'), include(body)],
    })),
  },
  'record-body': {
    begin: String.raw`\{`,
    end: String.raw`\}`,
    beginCaptures: { 0: { name: 'punctuation.section.block.begin.wit' } },
    endCaptures: { 0: { name: 'punctuation.section.block.end.wit' } },
    patterns: [
      include('comments'),
      {
        match: `${L}(${ID})\\s*(:)`,
        captures: { 1: { name: 'variable.other.property.wit' }, 2: { name: 'punctuation.separator.colon.wit' } },
      },
      include('types'),
      include('punctuation'),
    ],
  },
  'variant-body': {
    begin: String.raw`\{`,
    end: String.raw`\}`,
    beginCaptures: { 0: { name: 'punctuation.section.block.begin.wit' } },
    endCaptures: { 0: { name: 'punctuation.section.block.end.wit' } },
    patterns: [
      include('comments'),
      {
        // the payload type of a case
        begin: String.raw`\(`,
        end: String.raw`\)|(?=[;{}])`,
        beginCaptures: { 0: { name: 'punctuation.section.parens.begin.wit' } },
        endCaptures: { 0: { name: 'punctuation.section.parens.end.wit' } },
        patterns: [include('comments'), include('types'), include('punctuation')],
      },
      { match: `${L}${ID}`, name: 'variable.other.enummember.wit' },
      include('punctuation'),
    ],
  },
  'enum-body': {
    begin: String.raw`\{`,
    end: String.raw`\}`,
    beginCaptures: { 0: { name: 'punctuation.section.block.begin.wit' } },
    endCaptures: { 0: { name: 'punctuation.section.block.end.wit' } },
    patterns: [include('comments'), { match: `${L}${ID}`, name: 'variable.other.enummember.wit' }, include('punctuation')],
  },
  'flags-body': {
    begin: String.raw`\{`,
    end: String.raw`\}`,
    beginCaptures: { 0: { name: 'punctuation.section.block.begin.wit' } },
    endCaptures: { 0: { name: 'punctuation.section.block.end.wit' } },
    patterns: [include('comments'), { match: `${L}${ID}`, name: 'variable.other.enummember.flag.wit' }, include('punctuation')],
  },
  'use-alias': {
    // `as new-name` introduces a name (use ... as x, use x.{a as b}, include ... with { a as b })
    match: `${L}(as)\\s+(${ID})`,
    captures: { 1: { name: 'keyword.control.as.wit' }, 2: { name: 'entity.name.type.alias.wit' } },
  },
  parameter: {
    // `name:` anywhere else is a parameter (fields, cases and labels are matched earlier)
    match: `${L}(${ID})\\s*(:)(?!:)`,
    captures: { 1: { name: 'variable.parameter.wit' }, 2: { name: 'punctuation.separator.colon.wit' } },
  },

  // ---- keywords and types -------------------------------------------------------------------
  keywords: {
    patterns: [
      ...['use', 'import', 'export', 'include', 'with', 'as', 'from'].map((w) => ({ match: words(w), name: `keyword.control.${w}.wit` })),
      ...['package', 'interface', 'world', 'type', 'record', 'variant', 'enum', 'flags', 'resource'].map((w) => ({
        match: words(w),
        name: `storage.type.${w}.wit`,
      })),
      { match: words('func'), name: 'storage.type.function.wit' },
      { match: words('constructor'), name: 'storage.type.constructor.wit' },
      ...['static', 'async'].map((w) => ({ match: words(w), name: `storage.modifier.${w}.wit` })),
    ],
  },
  types: {
    patterns: [
      { match: words(...PRIMITIVES), name: 'support.type.primitive.wit' },
      { match: words(...BUILTIN_GENERICS), name: 'support.type.builtin.wit' },
      { match: words(...HANDLES), name: 'support.type.builtin.handle.wit' },
      { match: `${L}_${R}`, name: 'variable.language.placeholder.wit' },
      include('integer'),
      // any other name in a type position refers to a type
      { match: `${L}${ID}`, name: 'entity.name.type.wit' },
    ],
  },
  punctuation: {
    patterns: [
      { match: '->', name: 'keyword.operator.arrow.wit' },
      { match: '<', name: 'punctuation.definition.typeparameters.begin.wit' },
      { match: '>', name: 'punctuation.definition.typeparameters.end.wit' },
      { match: String.raw`\{`, name: 'punctuation.section.block.begin.wit' },
      { match: String.raw`\}`, name: 'punctuation.section.block.end.wit' },
      { match: String.raw`\(`, name: 'punctuation.section.parens.begin.wit' },
      { match: String.raw`\)`, name: 'punctuation.section.parens.end.wit' },
      { match: ';', name: 'punctuation.terminator.statement.wit' },
      { match: ',', name: 'punctuation.separator.comma.wit' },
      { match: ':', name: 'punctuation.separator.colon.wit' },
      { match: String.raw`\.`, name: 'punctuation.accessor.wit' },
      { match: '/', name: 'punctuation.separator.path.wit' },
      { match: '@', name: 'punctuation.separator.version.wit' },
      { match: '=', name: 'keyword.operator.assignment.wit' },
      { match: String.raw`\*`, name: 'invalid.illegal.operator.wit' },
    ],
  },
};

export default {
  name: 'WIT',
  scopeName: 'source.wit',
  fileTypes: ['wit'],
  patterns: [
    include('comments'),
    include('string'),
    include('attribute'),
    include('package-declaration'),
    include('package-path'),
    include('function-declaration'),
    include('extern-label'),
    include('bodied-declaration'),
    include('declaration'),
    include('use-alias'),
    include('parameter'),
    include('keywords'),
    include('version'),
    include('types'),
    include('punctuation'),
  ],
  repository,
};
