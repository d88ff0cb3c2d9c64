-- Headless end-to-end test of the Neovim integration against the real server.
--
--   ERRCODE_LSP_BIN=/path/to/errcode-lsp \
--   nvim --headless --clean -u NONE -c 'luafile editors/nvim/tests/e2e.lua'
--
-- (tests/e2e-nvim.sh does this.) Prints one line per check, then "N passed, M failed",
-- and exits with :cquit 1 on any failure. Every wait is bounded.

local TIMEOUT = tonumber(vim.env.ERRCODE_E2E_TIMEOUT or '') or 10000

local script = debug.getinfo(1, 'S').source:sub(2)
local plugin_dir = vim.fn.fnamemodify(script, ':p:h:h') -- editors/nvim
local repo = vim.fn.fnamemodify(plugin_dir, ':h:h')
local bin = vim.env.ERRCODE_LSP_BIN or (repo .. '/target/release/errcode-lsp')
local fixture = repo .. '/examples/cloudbase-app'

local passed, failed = 0, 0
local function out(s)
  io.stdout:write(s .. '\n')
end

local function finish()
  out(('%d passed, %d failed'):format(passed, failed))
  if failed > 0 then
    local log = vim.lsp.get_log_path()
    out('(LSP log: ' .. log .. ')')
    vim.cmd('cquit 1')
  else
    vim.cmd('qall!')
  end
end

--- Run one check: fn returns true, or false/error plus a message.
local function check(name, fn)
  local ok, res, msg = xpcall(fn, debug.traceback)
  if ok and res then
    passed = passed + 1
    out('ok   - ' .. name .. (msg and (' (' .. msg .. ')') or ''))
  else
    failed = failed + 1
    out('FAIL - ' .. name .. ': ' .. tostring(ok and msg or res))
  end
end

vim.opt.runtimepath:prepend(plugin_dir)
vim.cmd('filetype on')
vim.lsp.set_log_level(vim.env.ERRCODE_E2E_LOG or 'warn')

if vim.fn.executable(bin) ~= 1 then
  out('server binary not found: ' .. bin)
  failed = 1
  return finish()
end

-- Work on a copy: code actions edit files.
local function copy_fixture()
  local dir = vim.fn.tempname() .. '-errcode-e2e'
  vim.fn.mkdir(dir, 'p')
  vim.fn.system({ 'cp', '-R', fixture .. '/.', dir })
  assert(vim.v.shell_error == 0, 'copying the fixture failed')
  return vim.fn.resolve(dir)
end

local function errcode_diags(bufnr, client)
  local opts = {}
  local res = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, opts)) do
    if d.source == 'errcode' then
      if not client or vim.lsp.get_client_by_id(client.id) == nil or d.namespace == nil
        or vim.tbl_contains({
          vim.lsp.diagnostic.get_namespace(client.id, false),
          vim.lsp.diagnostic.get_namespace(client.id, true),
        }, d.namespace)
      then
        res[#res + 1] = d
      end
    end
  end
  return res
end

local function find_diag(diags, needle)
  for _, d in ipairs(diags) do
    if d.message:find(needle, 1, true) then
      return d
    end
  end
end

local function describe(diags)
  local t = {}
  for _, d in ipairs(diags) do
    t[#t + 1] = ('%d:%d %s [%s]'):format(d.lnum, d.col, d.message, tostring(d.code))
  end
  return '{' .. table.concat(t, '; ') .. '}'
end

local function wait_client(bufnr)
  local client
  vim.wait(TIMEOUT, function()
    client = vim.lsp.get_clients({ bufnr = bufnr, name = 'errcode_lsp' })[1]
    return client ~= nil and client.initialized == true
  end, 50)
  return client
end

local function col_of(bufnr, lnum, needle)
  local line = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, true)[1]
  local s = line:find(needle, 1, true)
  assert(s, ('"%s" not found on line %d: %s'):format(needle, lnum + 1, line))
  return s - 1 -- 0-based; ASCII, so UTF-16 offsets are the same
end

-- Set up exactly as a user would: the plugin's lsp/errcode_lsp.lua plus a cmd override.
vim.lsp.config('errcode_lsp', { cmd = { bin } })
vim.lsp.enable('errcode_lsp')

local dir = copy_fixture()
local file = dir .. '/src/api.ts'
vim.cmd.edit(vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(buf)

local client = wait_client(buf)
if not client then
  out(('FAIL - errcode_lsp did not attach to %s (filetype %q) within %d ms'):format(
    file, vim.bo[buf].filetype, TIMEOUT))
  failed = failed + 1
  return finish()
end
out(('attached: client %d, root %s, server %s'):format(client.id, tostring(client.root_dir),
  vim.inspect(client.server_info, { newline = ' ', indent = '' })))

-- 1. diagnostics
check('diagnostics: misspelled EXCEED_RATE_LIMIT (line 11) and deprecated INVALID_ENV_ID', function()
  local diags
  vim.wait(TIMEOUT, function()
    diags = errcode_diags(buf)
    return find_diag(diags, 'EXCEED_RATE_LIMIT') ~= nil and find_diag(diags, 'INVALID_ENV_ID') ~= nil
  end, 50)
  local m = find_diag(diags, 'EXCEED_RATE_LIMIT')
  local d = find_diag(diags, 'INVALID_ENV_ID')
  if not m or not d then
    return false, 'got ' .. describe(diags)
  end
  if m.lnum ~= 10 then
    return false, 'misspelled code reported on line ' .. (m.lnum + 1)
  end
  if m.code ~= 'misspelled-code' or d.code ~= 'deprecated-code' then
    return false, ('codes %s / %s'):format(tostring(m.code), tostring(d.code))
  end
  if not m.message:find('EXCEED_RATELIMIT', 1, true) then
    return false, 'no suggestion in: ' .. m.message
  end
  if find_diag(diags, 'FUNCTION_NOT_FOUND') or find_diag(diags, 'NODE_ENV') then
    return false, 'false positive: ' .. describe(diags)
  end
  return true, m.message
end)

-- 2. hover
check('hover on FUNCTION_NOT_FOUND returns Markdown docs', function()
  local col = col_of(buf, 14, 'FUNCTION_NOT_FOUND') + 3
  local resp = client:request_sync('textDocument/hover', {
    textDocument = { uri = uri },
    position = { line = 14, character = col },
  }, TIMEOUT, buf)
  if not resp then
    return false, 'no response'
  end
  if resp.err then
    return false, vim.inspect(resp.err)
  end
  local contents = resp.result and resp.result.contents
  if type(contents) ~= 'table' then
    return false, 'no hover: ' .. vim.inspect(resp.result)
  end
  local text = contents.value or table.concat(
    vim.tbl_map(function(c)
      return type(c) == 'table' and c.value or tostring(c)
    end, vim.islist(contents) and contents or { contents }),
    '\n'
  )
  if contents.kind and contents.kind ~= 'markdown' then
    return false, 'kind ' .. contents.kind
  end
  if not text:find('FUNCTION_NOT_FOUND', 1, true) then
    return false, 'docs do not mention the code: ' .. text
  end
  return true, #text .. ' chars'
end)

-- 3. completion inside a string
check('completion inside "EXCEED_" offers EXCEED_RATELIMIT with a textEdit', function()
  local last = vim.api.nvim_buf_line_count(buf)
  local line = 'const x = "EXCEED_"'
  vim.api.nvim_buf_set_lines(buf, last, last, true, { line })
  local ok, res, msg = pcall(function()
    local resp = client:request_sync('textDocument/completion', {
      textDocument = { uri = uri },
      position = { line = last, character = #'const x = "EXCEED_' },
      context = { triggerKind = 1 },
    }, TIMEOUT, buf)
    if not resp or resp.err then
      return false, vim.inspect(resp and resp.err or 'no response')
    end
    local items = resp.result and (resp.result.items or resp.result) or {}
    for _, item in ipairs(items) do
      if item.label == 'EXCEED_RATELIMIT' then
        if not item.textEdit then
          return false, 'item has no textEdit: ' .. vim.inspect(item)
        end
        return true, #items .. ' items'
      end
    end
    return false, 'labels: ' .. table.concat(vim.tbl_map(function(i)
      return i.label
    end, items), ', ')
  end)
  vim.api.nvim_buf_set_lines(buf, last, last + 1, true, {})
  if not ok then
    error(res)
  end
  return res, msg
end)

-- 5. settings.errcode via workspace/didChangeConfiguration
--    (run before the code action, which removes the misspelling)
check('settings.errcode: allow = { "EXCEED_RATE_LIMIT" } via didChangeConfiguration', function()
  -- The edit in check 3 was undone; wait for the server to have republished.
  vim.wait(TIMEOUT, function()
    return find_diag(errcode_diags(buf), 'EXCEED_RATE_LIMIT') ~= nil
  end, 50)
  if not find_diag(errcode_diags(buf), 'EXCEED_RATE_LIMIT') then
    return false, 'precondition: misspelling not reported'
  end
  require('errcode_lsp').update_settings({ allow = { 'EXCEED_RATE_LIMIT' } }, buf)
  local gone = vim.wait(TIMEOUT, function()
    local diags = errcode_diags(buf)
    return find_diag(diags, 'EXCEED_RATE_LIMIT') == nil and find_diag(diags, 'INVALID_ENV_ID') ~= nil
  end, 50)
  if not gone then
    return false, 'still reported: ' .. describe(errcode_diags(buf))
  end
  -- and back
  require('errcode_lsp').update_settings({ allow = {} }, buf)
  local back = vim.wait(TIMEOUT, function()
    return find_diag(errcode_diags(buf), 'EXCEED_RATE_LIMIT') ~= nil
  end, 50)
  if not back then
    return false, 'diagnostic did not come back after allow = {}'
  end
  return true, 'disappeared and came back'
end)

-- 4. code action: preferred "Replace with `EXCEED_RATELIMIT`"
check('code action "Replace with `EXCEED_RATELIMIT`" fixes line 11', function()
  local d = find_diag(errcode_diags(buf), 'EXCEED_RATE_LIMIT')
  if not d then
    return false, 'no diagnostic to fix'
  end
  local lsp_diag = d.user_data and d.user_data.lsp
  local resp = client:request_sync('textDocument/codeAction', {
    textDocument = { uri = uri },
    range = {
      start = { line = d.lnum, character = d.col },
      ['end'] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col },
    },
    context = { diagnostics = { lsp_diag }, triggerKind = 1 },
  }, TIMEOUT, buf)
  if not resp or resp.err then
    return false, vim.inspect(resp and resp.err or 'no response')
  end
  local action
  local titles = {}
  for _, a in ipairs(resp.result or {}) do
    titles[#titles + 1] = a.title
    if a.title == 'Replace with `EXCEED_RATELIMIT`' then
      action = a
    end
  end
  if not action then
    return false, 'actions: ' .. table.concat(titles, ' | ')
  end
  if not vim.tbl_contains(titles, 'Allow `EXCEED_RATE_LIMIT` in errcode.toml') then
    return false, 'no "Allow `EXCEED_RATE_LIMIT` in errcode.toml" action: ' .. table.concat(titles, ' | ')
  end
  if not action.isPreferred then
    return false, 'replacement is not isPreferred'
  end
  if not action.edit and client:supports_method('codeAction/resolve') then
    local r = client:request_sync('codeAction/resolve', action, TIMEOUT, buf)
    action = r and r.result or action
  end
  if not action.edit then
    return false, 'action has no edit: ' .. vim.inspect(action)
  end
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  local line = vim.api.nvim_buf_get_lines(buf, 10, 11, true)[1]
  if not line:find('"EXCEED_RATELIMIT"', 1, true) then
    return false, 'line 11 is now: ' .. line
  end
  local cleared = vim.wait(TIMEOUT, function()
    return find_diag(errcode_diags(buf), 'EXCEED_RATE_LIMIT') == nil
  end, 50)
  if not cleared then
    return false, 'diagnostic not cleared after the fix'
  end
  return true, vim.trim(line) .. '; actions: ' .. table.concat(titles, ' | ')
end)

-- 6. errcode/status (what :ErrcodeStatus shows)
check('errcode/status reports the root and active catalogs', function()
  local result, err
  local done = false
  require('errcode_lsp').status(buf, function(e, r)
    err, result, done = e, r, true
  end)
  vim.wait(TIMEOUT, function()
    return done
  end, 20)
  if not done then
    return false, 'no answer'
  end
  if err then
    return false, vim.inspect(err)
  end
  if type(result) ~= 'table' or result.root == nil or type(result.activeCatalogs) ~= 'table' then
    return false, vim.inspect(result)
  end
  if #result.activeCatalogs == 0 then
    return false, 'no active catalog in a CloudBase project: ' .. vim.inspect(result)
  end
  local root = type(result.root) == 'string' and result.root or vim.inspect(result.root)
  if not root:find(vim.fs.basename(dir), 1, true) then
    return false, ('root %s is not the fixture copy %s'):format(root, dir)
  end
  local lines = require('errcode_lsp')._format_status(result)
  return true, #result.activeCatalogs .. ' catalog(s); ' .. lines[2]
end)

-- 9. the language: settings.errcode.locale, and initialize's locale from v:lang
local function hover_text(b, c)
  local col = col_of(b, 14, 'FUNCTION_NOT_FOUND') + 3
  local resp = c:request_sync('textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(b) },
    position = { line = 14, character = col },
  }, TIMEOUT, b)
  local contents = resp and resp.result and resp.result.contents
  return type(contents) == 'table' and (contents.value or vim.inspect(contents)) or ''
end

local function summary(lang)
  local json = vim.fn.system({ bin, 'explain', '--lang', lang, '--format', 'json', 'FUNCTION_NOT_FOUND' })
  return vim.json.decode(json)[1].summary
end

check('settings.errcode.locale = "zh-CN" makes the hover Chinese, "auto" English again', function()
  local zh, en = summary('zh-CN'), summary('en')
  require('errcode_lsp').update_settings({ locale = 'zh-CN' }, buf)
  local text
  local ok = vim.wait(TIMEOUT, function()
    text = hover_text(buf, client)
    return text:find(zh, 1, true) ~= nil
  end, 100)
  if not ok then
    return false, ('no "%s" in the hover: %s'):format(zh, text)
  end
  require('errcode_lsp').update_settings({ locale = 'auto' }, buf)
  local back = vim.wait(TIMEOUT, function()
    text = hover_text(buf, client)
    return text:find(en, 1, true) ~= nil
  end, 100)
  if not back then
    return false, ('no "%s" in the hover after locale = "auto": %s'):format(en, text)
  end
  return true, zh
end)

check('initialize locale: v:lang zh_CN.UTF-8 gives zh-CN, C none, a locale the client sends is kept', function()
  local cfg = vim.lsp.config.errcode_lsp
  local real = vim.v
  local function locale_for(lang, preset)
    local params = { locale = preset }
    -- v:lang is read-only: stand in for vim.v while before_init runs.
    vim.v = setmetatable({ lang = lang }, { __index = real })
    local ok, err = pcall(cfg.before_init, params, vim.deepcopy(cfg))
    vim.v = real
    assert(ok, err)
    return params.locale
  end
  local cases = {
    { 'zh_CN.UTF-8', nil, 'zh-CN' },
    { 'zh_TW.UTF-8@euro', nil, 'zh-TW' },
    { 'en_US', nil, 'en-US' },
    { 'C.UTF-8', nil, nil },
    { 'C', nil, nil },
    { 'POSIX', nil, nil },
    { 'zh_CN.UTF-8', 'en', 'en' },
  }
  for _, t in ipairs(cases) do
    local got = locale_for(t[1], t[2])
    if got ~= t[3] then
      return false, ('v:lang %s (client locale %s): %s, wanted %s'):format(
        t[1], tostring(t[2]), tostring(got), tostring(t[3]))
    end
  end
  return true, ('v:lang here: %s'):format(vim.v.lang)
end)

-- 8. "Allow `X` in errcode.toml" creates the project config (run on its own copy)
local function check_allow()
  local dir3 = copy_fixture()
  vim.cmd.edit(vim.fn.fnameescape(dir3 .. '/src/api.ts'))
  local b = vim.api.nvim_get_current_buf()
  local c = wait_client(b)
  if not c then
    return false, 'no client attached'
  end
  local d
  vim.wait(TIMEOUT, function()
    d = find_diag(errcode_diags(b), 'EXCEED_RATE_LIMIT')
    return d ~= nil
  end, 50)
  if not d then
    return false, 'misspelling not reported: ' .. describe(errcode_diags(b))
  end
  local resp = c:request_sync('textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(b) },
    range = {
      start = { line = d.lnum, character = d.col },
      ['end'] = { line = d.end_lnum, character = d.end_col },
    },
    context = { diagnostics = { d.user_data.lsp }, only = { 'quickfix' } },
  }, TIMEOUT, b)
  local action
  for _, a in ipairs(resp and resp.result or {}) do
    if a.title == 'Allow `EXCEED_RATE_LIMIT` in errcode.toml' then
      action = a
    end
  end
  -- As vim.lsp.buf.code_action() does: an action without an edit is resolved when chosen
  -- (the server then computes it from errcode.toml as it is at that moment).
  if action and not action.edit and c:supports_method('codeAction/resolve') then
    local r = c:request_sync('codeAction/resolve', action, TIMEOUT, b)
    action = r and r.result or action
  end
  if not action or not action.edit then
    return false, 'no Allow action with an edit: ' .. vim.inspect(resp)
  end
  vim.lsp.util.apply_workspace_edit(action.edit, c.offset_encoding)
  vim.cmd('silent wall') -- the edit leaves errcode.toml modified in a buffer; save it
  local cfg = dir3 .. '/errcode.toml'
  if vim.fn.filereadable(cfg) ~= 1 then
    return false, 'errcode.toml not created'
  end
  local text = table.concat(vim.fn.readfile(cfg), '\n')
  if not text:find('EXCEED_RATE_LIMIT', 1, true) then
    return false, 'errcode.toml: ' .. text
  end
  vim.cmd.buffer(b)
  local gone = vim.wait(TIMEOUT, function()
    return find_diag(errcode_diags(b), 'EXCEED_RATE_LIMIT') == nil
  end, 50)
  if not gone then
    return false, 'still reported after errcode.toml was written: ' .. describe(errcode_diags(b))
  end
  return true, 'errcode.toml: ' .. text:gsub('\n', ' / ')
end
check('code action "Allow `EXCEED_RATE_LIMIT` in errcode.toml" writes errcode.toml', check_allow)

-- 7. init_options alone (no settings.errcode) also reach the server
check('init_options only: a fresh client started with allow = { "EXCEED_RATE_LIMIT" }', function()
  vim.lsp.enable('errcode_lsp', false)
  vim.wait(TIMEOUT, function()
    return #vim.lsp.get_clients({ name = 'errcode_lsp' }) == 0
  end, 50)
  vim.cmd('bwipeout!')
  local dir2 = copy_fixture()
  vim.lsp.config('errcode_lsp', {
    init_options = { allow = { 'EXCEED_RATE_LIMIT' } },
  })
  vim.lsp.enable('errcode_lsp')
  vim.cmd.edit(vim.fn.fnameescape(dir2 .. '/src/api.ts'))
  local buf2 = vim.api.nvim_get_current_buf()
  local c2 = wait_client(buf2)
  if not c2 then
    return false, 'no client attached'
  end
  if c2.id == client.id then
    return false, 'old client reused'
  end
  local ok = vim.wait(TIMEOUT, function()
    return find_diag(errcode_diags(buf2), 'INVALID_ENV_ID') ~= nil
  end, 50)
  -- give a late (wrong) publish a moment to arrive
  vim.wait(300)
  local diags = errcode_diags(buf2)
  if not ok then
    return false, 'server reported nothing: ' .. describe(diags)
  end
  if find_diag(diags, 'EXCEED_RATE_LIMIT') then
    return false, 'allowed code still reported: ' .. describe(diags)
  end
  return true, 'settings sent: ' .. vim.inspect(c2.settings, { newline = ' ', indent = '' })
end)

finish()
