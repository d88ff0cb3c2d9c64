" errcode-lsp for Vim/Neovim with ALE (https://github.com/dense-analysis/ale).
" Source this file from your vimrc after ALE is loaded, e.g.
"   source ~/src/errcode-lsp/editors/vim/errcode-lsp.vim
" or copy it to ~/.vim/plugin/ (it waits for ALE to be available).
"
" Settings go in g:errcode_lsp_settings (same keys as the server's settings object);
" they are sent both as initializationOptions and as the `errcode` section of
" workspace/didChangeConfiguration, so the server sees one version.

let g:errcode_lsp_executable = get(g:, 'errcode_lsp_executable', 'errcode-lsp')
let g:errcode_lsp_settings = get(g:, 'errcode_lsp_settings', {})
let g:errcode_lsp_filetypes = get(g:, 'errcode_lsp_filetypes', [
      \ 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'vue', 'svelte',
      \ 'wxml', 'wxs',
      \ 'python', 'go', 'rust', 'java', 'kotlin', 'cs', 'php', 'ruby', 'dart', 'swift',
      \ 'lua', 'sh', 'bash', 'zsh', 'json', 'jsonc', 'yaml', 'toml', 'dotenv', 'ini',
      \ 'confini', 'dosini'])

" WeChat mini-program files, which Vim does not detect: `.wxml` templates and `.wxs` scripts
" get the filetypes wxml and wxs (both in g:errcode_lsp_filetypes) unless something else has
" already set one.
augroup errcode_lsp_filetypes
  autocmd!
  autocmd BufNewFile,BufRead *.wxml setfiletype wxml
  autocmd BufNewFile,BufRead *.wxs setfiletype wxs
augroup END

function! ErrcodeLspProjectRoot(buffer) abort
  for l:marker in ['errcode.toml', '.errcode.toml', 'cloudbaserc.json', 'package.json']
    let l:found = ale#path#FindNearestFile(a:buffer, l:marker)
    if !empty(l:found)
      return fnamemodify(l:found, ':h')
    endif
  endfor
  let l:git = ale#path#FindNearestDirectory(a:buffer, '.git')
  return !empty(l:git) ? fnamemodify(l:git, ':h:h') : fnamemodify(bufname(a:buffer), ':p:h')
endfunction

function! s:Define() abort
  for l:ft in g:errcode_lsp_filetypes
    call ale#linter#Define(l:ft, {
          \ 'name': 'errcode_lsp',
          \ 'lsp': 'stdio',
          \ 'executable': {b -> g:errcode_lsp_executable},
          \ 'command': '%e',
          \ 'project_root': function('ErrcodeLspProjectRoot'),
          \ 'initialization_options': {b -> g:errcode_lsp_settings},
          \ 'lsp_config': {b -> {'errcode': g:errcode_lsp_settings}},
          \ })
  endfor
endfunction

if exists('*ale#linter#Define') || !empty(globpath(&runtimepath, 'autoload/ale/linter.vim'))
  call s:Define()
else
  augroup errcode_lsp_ale
    autocmd!
    autocmd VimEnter * ++once if exists('g:loaded_ale') | call s:Define() | endif
  augroup END
endif
