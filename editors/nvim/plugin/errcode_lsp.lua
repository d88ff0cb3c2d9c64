-- Only defines commands; nothing starts until vim.lsp.enable('errcode_lsp') (or setup()).
if vim.g.loaded_errcode_lsp then
  return
end
vim.g.loaded_errcode_lsp = true
if vim.fn.has('nvim-0.11') == 1 then
  require('errcode_lsp').create_commands()
  -- WeChat mini-program files, which Neovim does not detect: `.wxml` templates and `.wxs`
  -- scripts get the filetypes `wxml` and `wxs` (both in lsp/errcode_lsp.lua's `filetypes`),
  -- unless something (the user, another plugin) already gives them one.
  for _, ext in ipairs({ 'wxml', 'wxs' }) do
    if vim.filetype.match({ filename = 'errcode-lsp-probe.' .. ext }) == nil then
      vim.filetype.add({ extension = { [ext] = ext } })
    end
  end
end
