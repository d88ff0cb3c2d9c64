-- Only defines commands; nothing starts until vim.lsp.enable('errcode_lsp') (or setup()).
if vim.g.loaded_errcode_lsp then
  return
end
vim.g.loaded_errcode_lsp = true
if vim.fn.has('nvim-0.11') == 1 then
  require('errcode_lsp').create_commands()
end
