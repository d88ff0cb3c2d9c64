--- errcode-lsp for Neovim 0.11+.
---
--- The server config itself lives in `lsp/errcode_lsp.lua`; `vim.lsp.enable('errcode_lsp')`
--- is all most users need. `setup()` is a convenience wrapper around
--- `vim.lsp.config('errcode_lsp', ...)` + `vim.lsp.enable('errcode_lsp')`.
local M = {}

M.name = 'errcode_lsp'

--- Accepts either the flat server settings `{ allow = {...} }` or the wrapped form
--- `{ errcode = { allow = {...} } }` and returns the flat one.
local function unwrap_settings(settings)
  if type(settings) ~= 'table' then
    return nil
  end
  if type(settings.errcode) == 'table' and next(settings, next(settings)) == nil then
    return settings.errcode
  end
  return settings
end

--- Configure and enable errcode-lsp.
---
--- Options (all optional):
---   cmd        string[]  command that starts the server (default { 'errcode-lsp' })
---   settings   table     server settings, flat ({ allow = {...} }) or { errcode = {...} };
---                        sent as init_options AND settings.errcode
---   filetypes, root_markers, root_dir, on_attach, capabilities, ...: any vim.lsp.Config field
---   enabled    boolean   false = only configure, do not call vim.lsp.enable (default true)
--- Also defines :ErrcodeStatus and :ErrcodeFixAll.
---@param opts? table
function M.setup(opts)
  opts = vim.deepcopy(opts or {})
  local enabled = opts.enabled ~= false
  opts.enabled = nil
  local settings = unwrap_settings(opts.settings)
  if settings == nil and type(opts.init_options) == 'table' then
    settings = opts.init_options
  end
  if settings ~= nil then
    opts.init_options = settings
    opts.settings = { errcode = vim.deepcopy(settings) }
  end
  if type(opts.cmd) == 'string' then
    opts.cmd = { opts.cmd }
  end
  vim.lsp.config(M.name, opts)
  if enabled then
    vim.lsp.enable(M.name)
  end
  -- plugin/errcode_lsp.lua defines the commands at startup, but a plugin manager that puts
  -- editors/nvim on the runtimepath only later (lazy.nvim with the repository URL) never
  -- sources it: define them here too.
  M.create_commands()
end

--- The errcode-lsp client attached to `bufnr` (or the first running one).
---@param bufnr? integer
---@return vim.lsp.Client?
function M.client(bufnr)
  local clients = vim.lsp.get_clients({ name = M.name, bufnr = bufnr })
  if #clients == 0 and bufnr then
    clients = vim.lsp.get_clients({ name = M.name })
  end
  return clients[1]
end

--- Change server settings at run time (merged into the current ones) and notify the
--- server with workspace/didChangeConfiguration.
---@param changes table flat settings, e.g. { allow = { 'MY_CODE' } }
---@param bufnr? integer
function M.update_settings(changes, bufnr)
  local client = M.client(bufnr)
  if not client then
    vim.notify('errcode-lsp is not running', vim.log.levels.WARN)
    return
  end
  local current = client.settings.errcode
  if type(current) ~= 'table' then
    current = {}
  end
  client.settings.errcode = vim.tbl_deep_extend('force', {}, current, changes)
  client:notify('workspace/didChangeConfiguration', { settings = client.settings })
end

local function format_status(result)
  local lines = {}
  local function add(s)
    lines[#lines + 1] = s
  end
  if type(result) ~= 'table' then
    add(vim.inspect(result))
    return lines
  end
  add('errcode-lsp status')
  add('  root: ' .. tostring(result.root))
  local cats = result.activeCatalogs
  if type(cats) == 'table' then
    local names = {}
    for _, c in ipairs(cats) do
      names[#names + 1] = type(c) == 'table' and (c.id or c.name or vim.inspect(c, { newline = ' ', indent = '' }))
        or tostring(c)
    end
    add('  active catalogs: ' .. (#names == 0 and '(none)' or table.concat(names, ', ')))
  end
  if result.summary ~= nil then
    local s = type(result.summary) == 'string' and result.summary
      or vim.inspect(result.summary)
    for i, l in ipairs(vim.split(s, '\n', { plain = true })) do
      add((i == 1 and '  summary: ' or '    ') .. l)
    end
  end
  if result.config ~= nil then
    add('  config:')
    for _, l in ipairs(vim.split(vim.inspect(result.config), '\n', { plain = true })) do
      add('    ' .. l)
    end
  end
  return lines
end
M._format_status = format_status

--- Ask the server for `errcode/status` and show it (`:ErrcodeStatus`).
---@param bufnr? integer
---@param callback? fun(err: any, result: any) receives the raw answer instead of showing it
function M.status(bufnr, callback)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = M.client(bufnr)
  if not client then
    local msg = 'errcode-lsp is not attached to this buffer (see :checkhealth vim.lsp)'
    if callback then
      return callback(msg, nil)
    end
    vim.notify(msg, vim.log.levels.WARN)
    return
  end
  local params = vim.api.nvim_buf_get_name(bufnr) ~= '' and { uri = vim.uri_from_bufnr(bufnr) }
    or vim.empty_dict()
  client:request('errcode/status', params, function(err, result)
    if callback then
      return callback(err, result)
    end
    if err then
      vim.notify('errcode/status failed: ' .. vim.inspect(err), vim.log.levels.ERROR)
      return
    end
    vim.notify(table.concat(format_status(result), '\n'), vim.log.levels.INFO)
  end, bufnr)
end

--- Create the user commands (done by plugin/errcode_lsp.lua; safe to call twice).
function M.create_commands()
  vim.api.nvim_create_user_command('ErrcodeStatus', function()
    M.status(0)
  end, { desc = 'errcode-lsp: show project root, active catalogs and settings' })
  vim.api.nvim_create_user_command('ErrcodeFixAll', function()
    vim.lsp.buf.code_action({
      context = { only = { 'source.fixAll.errcode' }, diagnostics = {} },
      apply = true,
    })
  end, { desc = 'errcode-lsp: fix all misspelled and deprecated codes in the buffer' })
end

return M
