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
  -- The "imported by 2 worlds" / "N references" code lenses (vim.lsp.codelens) run
  -- `wit.showReferences`: their references go to the quickfix list.
  commands = {
    ["wit.showReferences"] = function(command, ctx)
      local client = vim.lsp.get_client_by_id(ctx.client_id)
      local locations = (command.arguments or {})[3] or {}
      local items = vim.lsp.util.locations_to_items(locations,
        client and client.offset_encoding or "utf-16")
      vim.fn.setqflist({}, " ", { title = command.title, items = items })
      if #items > 0 then vim.cmd("botright copen") end
    end,
  },
}
