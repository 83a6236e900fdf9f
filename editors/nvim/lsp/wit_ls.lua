-- wit-ls for Neovim 0.11+: add the folder holding this `lsp/` directory to 'runtimepath', then
--   vim.lsp.enable("wit_ls")
-- Neovim already detects `*.wit` files as the `wit` filetype. Override any field with
--   vim.lsp.config("wit_ls", { cmd = { "/path/to/wit-ls", "serve" } })
-- Settings reach the server as initializationOptions and through workspace/configuration
-- (section `wit`): the same keys as the VS Code extension's `wit.*` settings.
---@type vim.lsp.Config
return {
  cmd = { "wit-ls", "serve" },
  filetypes = { "wit" },
  -- The nearest folder with a wit-ls configuration, a `deps/` folder (a WIT package root) or a
  -- repository root.
  root_markers = { "wit-ls.toml", ".wit-ls.toml", "deps", ".git" },
  settings = { wit = {} },
}
