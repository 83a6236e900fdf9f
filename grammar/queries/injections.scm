; Comments are handed to the `comment` grammar (TODO/FIXME/NOTE tags, URLs) where the editor has
; one. Doc comments are not injected as markdown: their text still carries the `///` or `/** */`
; markers, which a markdown parser would misread.

([
  (line_comment)
  (block_comment)
  (doc_comment)
] @injection.content
  (#set! injection.language "comment"))
