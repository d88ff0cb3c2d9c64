-- Headless Neovim test of the install paths of editors/nvim, for tests/packaging.sh:
--   * the lazy.nvim spec in editors/nvim/README.md, evaluated as written and its `config`
--     called the way lazy.nvim does after startup (plugin.dir = the repository root, whose
--     plugin/ folder has nothing, so editors/nvim/plugin/ is never sourced): the commands
--     exist, the server attaches to a CloudBase file and the spec's settings reach it;
--   * lsp/errcode_lsp.lua's root_markers on this Neovim (nested, 0.11.3+) and on the
--     0.11.0-0.11.2 branch (has('nvim-0.11.3') made to answer 0): flat, same order, and
--     vim.fs.root finds the same project with both.
--
--   PATH=<dir of errcode-lsp>:$PATH nvim --headless --clean -u NONE -i NONE -n -c 'luafile tests/packaging/nvim_spec.lua'
--
-- Prints one line per check and "N passed, M failed"; exits with :cquit 1 on a failure.

local TIMEOUT = 10000
local script = debug.getinfo(1, 'S').source:sub(2)
local repo = vim.fn.fnamemodify(script, ':p:h:h:h')
local passed, failed = 0, 0

local function out(s)
  io.stdout:write(s .. '\n')
end

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

local function finish()
  out(('%d passed, %d failed'):format(passed, failed))
  vim.cmd(failed > 0 and 'cquit 1' or 'qall!')
end

vim.cmd('filetype on')

-- The lazy.nvim spec: the first ```lua block after "### lazy.nvim" in the README.
local readme = table.concat(vim.fn.readfile(repo .. '/editors/nvim/README.md'), '\n')
local section = readme:match('### lazy%.nvim(.-)\n### ')
local block = section and section:match('```lua\n(.-)\n```')
local spec
check('README has a lazy.nvim spec that evaluates to a table', function()
  if not block then
    return false, 'no ```lua block under ### lazy.nvim'
  end
  local chunk, err = loadstring('return ' .. block)
  if not chunk then
    return false, err
  end
  spec = chunk()
  return type(spec) == 'table', type(spec)
end)
if not spec then
  return finish()
end

check('spec names the canonical repository and loads at startup', function()
  if spec[1] ~= 'errcode-lsp/errcode-lsp' then
    return false, 'plugin source ' .. tostring(spec[1])
  end
  if spec.lazy ~= false then
    return false, 'lazy = ' .. tostring(spec.lazy)
  end
  return type(spec.config) == 'function', 'config is a ' .. type(spec.config)
end)

check('no command before the spec runs (plugin/ of editors/nvim is not sourced)', function()
  return vim.fn.exists(':ErrcodeStatus') == 0, 'exists(":ErrcodeStatus") = ' .. vim.fn.exists(':ErrcodeStatus')
end)

-- What lazy.nvim does for a `lazy = false` plugin: put its root on the runtimepath, source
-- its plugin/ files (there are none at the repository root) and call config(plugin).
vim.opt.rtp:append(repo)
check('spec config runs', function()
  spec.config({ dir = repo, name = 'errcode-lsp' })
  return true
end)

check(':ErrcodeStatus and :ErrcodeFixAll exist after config', function()
  local s, f = vim.fn.exists(':ErrcodeStatus'), vim.fn.exists(':ErrcodeFixAll')
  return s == 2 and f == 2, ('exists: %d %d'):format(s, f)
end)

-- A copy of the example project (the server may write to it).
local dir = vim.fn.tempname() .. '-errcode-spec'
vim.fn.mkdir(dir, 'p')
vim.fn.system({ 'cp', '-R', repo .. '/examples/cloudbase-app/.', dir })
dir = vim.fn.resolve(dir)
vim.cmd.edit(vim.fn.fnameescape(dir .. '/src/api.ts'))
local buf = vim.api.nvim_get_current_buf()

check('the server attaches to src/api.ts with the project root', function()
  local client
  vim.wait(TIMEOUT, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'errcode_lsp' })[1]
    return client ~= nil and client.initialized == true
  end, 50)
  if not client then
    return false, 'no errcode_lsp client (is errcode-lsp on PATH? filetype ' .. vim.bo[buf].filetype .. ')'
  end
  return client.root_dir == dir, 'root ' .. tostring(client.root_dir)
end)

check("the spec's settings reach the server (misspelled = 'error')", function()
  local diag
  vim.wait(TIMEOUT, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.source == 'errcode' and d.message:find('EXCEED_RATE_LIMIT', 1, true) then
        diag = d
      end
    end
    return diag ~= nil
  end, 50)
  if not diag then
    return false, 'no diagnostic for EXCEED_RATE_LIMIT'
  end
  return diag.severity == vim.diagnostic.severity.ERROR, 'severity ' .. tostring(diag.severity)
end)

-- root_markers on both sides of the 0.11.3 guard.
local config_file = repo .. '/editors/nvim/lsp/errcode_lsp.lua'
local function load_config(has_0113)
  local real_has = vim.fn.has
  vim.fn.has = function(feature)
    if feature == 'nvim-0.11.3' and has_0113 ~= nil then
      return has_0113 and 1 or 0
    end
    return real_has(feature)
  end
  local ok, cfg = pcall(dofile, config_file)
  vim.fn.has = real_has
  assert(ok, cfg)
  return cfg
end

check('this Neovim has nvim-0.11.3, and the config nests the project markers', function()
  if vim.fn.has('nvim-0.11.3') ~= 1 then
    return false, 'Neovim ' .. tostring(vim.version()) .. ' is older than 0.11.3'
  end
  local markers = load_config(nil).root_markers
  return type(markers[1]) == 'table' and vim.tbl_contains(markers[1], 'errcode.toml'), vim.inspect(markers)
end)

check('on 0.11.0-0.11.2 the markers are flat strings in the same order', function()
  local nested = load_config(true).root_markers
  local flat = load_config(false).root_markers
  local expected = {}
  for _, m in ipairs(nested) do
    if type(m) == 'table' then
      vim.list_extend(expected, m)
    else
      expected[#expected + 1] = m
    end
  end
  for _, m in ipairs(flat) do
    if type(m) ~= 'string' then
      return false, 'not flat: ' .. vim.inspect(flat)
    end
  end
  return vim.deep_equal(flat, expected), vim.inspect(flat)
end)

check('both marker lists find the same project root', function()
  local nested = load_config(true).root_markers
  local flat = load_config(false).root_markers
  -- A project with its own errcode.toml inside a repository with package.json above it.
  local top = vim.fn.resolve(vim.fn.tempname() .. '-markers')
  vim.fn.mkdir(top .. '/app/src', 'p')
  vim.fn.writefile({ '{}' }, top .. '/package.json')
  vim.fn.writefile({ 'activation = "always"' }, top .. '/app/errcode.toml')
  local file = top .. '/app/src/x.ts'
  vim.fn.writefile({ 'const x = "A_CODE"' }, file)
  local r1, r2 = vim.fs.root(file, nested), vim.fs.root(file, flat)
  return r1 == top .. '/app' and r2 == r1, ('nested %s, flat %s'):format(tostring(r1), tostring(r2))
end)

finish()
