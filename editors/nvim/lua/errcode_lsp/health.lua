-- :checkhealth errcode_lsp
local M = {}

function M.check()
  local health = vim.health
  health.start('errcode-lsp')
  if vim.fn.has('nvim-0.11') == 1 then
    health.ok('Neovim ' .. tostring(vim.version()))
  else
    health.error('Neovim 0.11+ is required for vim.lsp.config/vim.lsp.enable')
    return
  end

  local ok, cfg = pcall(function()
    return vim.lsp.config.errcode_lsp
  end)
  if not ok or not cfg then
    health.error('no `errcode_lsp` config found: is editors/nvim on the runtimepath?')
    return
  end
  local cmd = cfg.cmd
  if type(cmd) == 'table' then
    local exe = cmd[1]
    if vim.fn.executable(exe) == 1 then
      health.ok(('server: %s (%s)'):format(exe, vim.fn.exepath(exe)))
      local out = vim.fn.system({ exe, '--version' })
      if vim.v.shell_error == 0 then
        health.info(vim.trim(out))
      end
    else
      health.error(('`%s` is not executable'):format(exe), {
        ':MasonInstall errcode-lsp, the release installer (see the README), cargo binstall errcode-lsp or cargo install errcode-lsp, or',
        "set cmd: vim.lsp.config('errcode_lsp', { cmd = { '/path/to/errcode-lsp' } })",
      })
    end
  else
    health.info('cmd is a function; not checked')
  end

  local enabled = vim.lsp.is_enabled and vim.lsp.is_enabled('errcode_lsp')
  if enabled == false then
    health.warn("not enabled: call vim.lsp.enable('errcode_lsp') or require('errcode_lsp').setup()")
  end
  local clients = vim.lsp.get_clients({ name = 'errcode_lsp' })
  if #clients == 0 then
    health.info('no running client (open a file of a supported filetype)')
  end
  for _, c in ipairs(clients) do
    health.info(('client %d: root %s, %d buffer(s), settings %s'):format(
      c.id,
      tostring(c.root_dir),
      vim.tbl_count(c.attached_buffers),
      vim.inspect(c.settings, { newline = ' ', indent = '' })
    ))
  end
  health.info('log file: ' .. vim.lsp.get_log_path())
end

return M
