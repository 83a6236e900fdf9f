// External scanner for the WIT grammar: comments.
//
// Block comments nest (`/* a /* b */ c */`), which a regular expression cannot express, so all
// comments are lexed here:
//
//   LINE_COMMENT   `// ...` and `//// ...` to the end of the line
//   DOC_COMMENT    `/// ...` to the end of the line, and `/** ... */`
//   BLOCK_COMMENT  `/* ... */` (also the empty `/**/`)
//
// An unterminated block comment would swallow the rest of the file. To keep that mistake local
// (the rest of the file keeps its structure while the user is typing), an unterminated block
// comment ends at the end of its first line instead; the syntax layer reports it as
// "unterminated block comment" because its text does not end in `*/`.

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>

enum TokenType {
  LINE_COMMENT,
  BLOCK_COMMENT,
  DOC_COMMENT,
};

void *tree_sitter_wit_external_scanner_create(void) { return NULL; }
void tree_sitter_wit_external_scanner_destroy(void *payload) { (void)payload; }
unsigned tree_sitter_wit_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}
void tree_sitter_wit_external_scanner_deserialize(void *payload, const char *buffer,
                                                  unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

static inline void advance(TSLexer *lexer) { lexer->advance(lexer, false); }
static inline void skip(TSLexer *lexer) { lexer->advance(lexer, true); }

static bool is_space(int32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
         c == 0xFEFF;
}

static void to_end_of_line(TSLexer *lexer) {
  while (!lexer->eof(lexer) && lexer->lookahead != '\n') {
    advance(lexer);
  }
}

static bool scan_line_comment(TSLexer *lexer, const bool *valid_symbols) {
  // Positioned after `//`.
  bool doc = false;
  if (lexer->lookahead == '/') {
    advance(lexer);
    doc = lexer->lookahead != '/';
  }
  to_end_of_line(lexer);
  lexer->mark_end(lexer);
  enum TokenType type = doc ? DOC_COMMENT : LINE_COMMENT;
  if (!valid_symbols[type]) {
    return false;
  }
  lexer->result_symbol = type;
  return true;
}

static bool scan_block_comment(TSLexer *lexer, const bool *valid_symbols) {
  // Positioned after `/*`.
  bool doc = false;
  if (lexer->lookahead == '*') {
    advance(lexer);
    if (lexer->lookahead == '/') {
      // `/**/` is an empty plain comment.
      advance(lexer);
      lexer->mark_end(lexer);
      lexer->result_symbol = BLOCK_COMMENT;
      return valid_symbols[BLOCK_COMMENT];
    }
    doc = lexer->lookahead != '*';
  }
  enum TokenType type = doc ? DOC_COMMENT : BLOCK_COMMENT;
  lexer->result_symbol = type;

  // Remember where the first line ends, in case the comment is never closed.
  bool first_line = true;
  unsigned depth = 1;
  while (!lexer->eof(lexer)) {
    int32_t c = lexer->lookahead;
    if (c == '\n' && first_line) {
      lexer->mark_end(lexer);
      first_line = false;
    }
    if (c == '*') {
      advance(lexer);
      if (lexer->lookahead == '/') {
        advance(lexer);
        if (--depth == 0) {
          lexer->mark_end(lexer);
          return valid_symbols[type];
        }
      }
    } else if (c == '/') {
      advance(lexer);
      if (lexer->lookahead == '*') {
        advance(lexer);
        depth++;
      }
    } else {
      advance(lexer);
    }
  }
  // Unterminated: the token ends at the end of the first line (or at end of file).
  if (first_line) {
    lexer->mark_end(lexer);
  }
  return valid_symbols[type];
}

bool tree_sitter_wit_external_scanner_scan(void *payload, TSLexer *lexer,
                                           const bool *valid_symbols) {
  (void)payload;
  if (!valid_symbols[LINE_COMMENT] && !valid_symbols[BLOCK_COMMENT] &&
      !valid_symbols[DOC_COMMENT]) {
    return false;
  }
  while (is_space(lexer->lookahead)) {
    skip(lexer);
  }
  if (lexer->lookahead != '/') {
    return false;
  }
  advance(lexer);
  if (lexer->lookahead == '/') {
    advance(lexer);
    return scan_line_comment(lexer, valid_symbols);
  }
  if (lexer->lookahead == '*') {
    advance(lexer);
    return scan_block_comment(lexer, valid_symbols);
  }
  return false;
}
