-- errcode-lsp: hover docs, completion and diagnostics for error-code string
-- literals (Tencent CloudBase codes such as "EXCEED_RATELIMIT" and your own catalogs).
--
-- Neovim 0.11+ picks this file up from 'runtimepath' as the config named
-- `errcode_lsp`, so with this directory installed as a plugin:
--
--   vim.lsp.enable('errcode_lsp')
--
-- Override anything with vim.lsp.config('errcode_lsp', { ... }) (see README.md).
-- Server settings may be given as `settings = { errcode = {...} }` (preferred) or as
-- `init_options = {...}`: `before_init` below merges the two (settings win) and sends the
-- result both as initializationOptions and as the `errcode` section of
-- workspace/configuration and workspace/didChangeConfiguration, so either form works.
-- It also sends the language of Neovim's messages (v:lang) as initialize's `locale`, as VS
-- Code sends its display language: with `locale = 'auto'` (the default) the server answers
-- in Chinese when Neovim runs in Chinese; `settings = { errcode = { locale = 'zh-CN' } }`
-- (or 'en') chooses.

---@type vim.lsp.Config
return {
  cmd = { 'errcode-lsp' },
  filetypes = {
    'javascript',
    'javascriptreact',
    'typescript',
    'typescriptreact',
    'vue',
    'svelte',
    'wxml', -- WeChat mini-programs (plugin/errcode_lsp.lua detects .wxml and .wxs)
    'wxs',
    'python',
    'go',
    'rust',
    'java',
    'kotlin',
    'cs',
    'php',
    'ruby',
    'dart',
    'swift',
    'lua',
    'sh', -- also .env files, which Neovim detects as sh
    'bash',
    'zsh',
    'json',
    'jsonc',
    'yaml',
    'toml',
    'dotenv',
    'ini',
    'confini',
    'dosini',
  },
  -- The project's own config files have equal priority (the nearest wins), then
  -- package.json, then .git. Nested lists in root_markers need Neovim 0.11.3; on 0.11.0-0.11.2
  -- the markers are flattened (same order, errcode.toml first).
  root_markers = vim.fn.has('nvim-0.11.3') == 1
      and { { 'errcode.toml', '.errcode.toml', 'cloudbaserc.json' }, 'package.json', '.git' }
    or { 'errcode.toml', '.errcode.toml', 'cloudbaserc.json', 'package.json', '.git' },
  -- Neovim applies `documentChanges` (including file creation) in workspace edits but
  -- does not advertise it; the server needs it to offer "Allow `X` in errcode.toml" in a
  -- project that has no errcode.toml yet.
  capabilities = {
    workspace = { workspaceEdit = { documentChanges = true } },
  },
  -- Both default to "no options"; the server then uses its defaults and errcode.toml.
  init_options = vim.empty_dict(),
  settings = { errcode = vim.empty_dict() },
  before_init = function(params, config)
    -- Merge init_options and settings.errcode (settings win), then use the result for
    -- both channels so the server never sees two different versions of the options.
    local list_keys = { catalogs = true, enable = true, disable = true, allow = true }
    local function to_json(v, key)
      if type(v) ~= 'table' then
        return v
      end
      if next(v) == nil then
        -- An empty Lua table would be encoded as []; only list settings are lists.
        return list_keys[key] and {} or vim.empty_dict()
      end
      local out = {}
      for k, x in pairs(v) do
        out[k] = to_json(x, k)
      end
      return out
    end
    local settings = config.settings or {}
    local merged = vim.tbl_deep_extend(
      'force',
      {},
      type(config.init_options) == 'table' and config.init_options or {},
      type(settings.errcode) == 'table' and settings.errcode or {}
    )
    merged = to_json(merged)
    params.initializationOptions = merged
    -- Neovim sends no `locale`: give the messages language, a POSIX locale name such as
    -- zh_CN.UTF-8, as a language tag (zh-CN). C and POSIX say nothing (the server's English).
    if params.locale == nil then
      local lang = (vim.v.lang or ''):gsub('[.@].*$', '')
      if lang ~= '' and lang ~= 'C' and lang ~= 'POSIX' then
        params.locale = (lang:gsub('_', '-'))
      end
    end
    if config.settings then
      -- Same table as client.settings: answers workspace/configuration and is what
      -- Neovim sends in workspace/didChangeConfiguration right after initialize.
      config.settings.errcode = merged
    end
  end,
}
