;;; lsp-errcode.el --- lsp-mode client for errcode-lsp  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (lsp-mode "8.0"))
;; Keywords: languages, tools
;; URL: https://github.com/errcode-lsp/errcode-lsp
;; SPDX-License-Identifier: MIT OR Apache-2.0

;;; Commentary:

;; errcode-lsp finds error-code string literals (Tencent CloudBase codes such as
;; "EXCEED_RATELIMIT", and your own catalogs) and offers hover docs, completion inside
;; strings, diagnostics for misspelled/deprecated codes and quick fixes.
;;
;; This registers errcode-lsp with lsp-mode as an *add-on* client: lsp-mode runs it next to
;; the buffer's usual server (ts-ls, pyright, gopls...), so nothing is replaced.
;;
;;   (with-eval-after-load 'lsp-mode (require 'lsp-errcode))
;;
;; then M-x lsp (or `lsp-deferred' in the mode hooks) starts both servers.
;;
;; Settings: `lsp-errcode-settings' (a plist with the server's camelCase keys) is sent as
;; initializationOptions and answers the server's workspace/configuration requests for
;; section `errcode'.  Project-wide settings belong in errcode.toml.

;;; Code:

(require 'lsp-mode)

(defgroup lsp-errcode nil
  "Error-code checking with errcode-lsp through lsp-mode."
  :group 'lsp-mode
  :prefix "lsp-errcode-"
  :link '(url-link "https://github.com/errcode-lsp/errcode-lsp"))

(defcustom lsp-errcode-server-path "errcode-lsp"
  "The errcode-lsp executable (a name on `exec-path' or an absolute file name)."
  :type 'string)

(defcustom lsp-errcode-settings nil
  "Server settings: a plist with the server's camelCase keys, for example
  (:activation \"always\"
   :allow [\"MY_CODE\"]
   :severity (:misspelled \"error\" :deprecated \"hint\"))
Lists must be vectors; false is `:json-false'.  Sent as initializationOptions and
as the `errcode' section of the workspace configuration."
  :type '(plist :key-type symbol :value-type sexp))

(defcustom lsp-errcode-major-modes
  '(js-mode js-ts-mode js2-mode rjsx-mode js-jsx-mode
    typescript-mode typescript-ts-mode tsx-ts-mode web-mode vue-mode svelte-mode wxml-mode
    python-mode python-ts-mode go-mode go-ts-mode rust-mode rust-ts-mode rustic-mode
    java-mode java-ts-mode kotlin-mode kotlin-ts-mode csharp-mode csharp-ts-mode
    php-mode php-ts-mode ruby-mode ruby-ts-mode dart-mode swift-mode
    lua-mode lua-ts-mode sh-mode bash-ts-mode
    js-json-mode json-mode json-ts-mode jsonc-mode yaml-mode yaml-ts-mode
    toml-ts-mode conf-toml-mode conf-unix-mode conf-space-mode conf-windows-mode
    dotenv-mode)
  "Major modes in which lsp-mode starts errcode-lsp (next to their usual server).
Set it before lsp-errcode is loaded."
  :type '(repeat symbol))

(defconst lsp-errcode--setting-keys
  '(:activation :catalogs :enable :disable :allow :severity :maxFileSize :inlayHints)
  "The top-level keys of the server's settings object.")

(defun lsp-errcode--options ()
  "The initializationOptions object: `lsp-errcode-settings', or {}."
  (or lsp-errcode-settings (make-hash-table)))

;; workspace/configuration (section "errcode") is answered from `lsp-client-settings':
;; one entry per key, read from `lsp-errcode-settings' when the server asks.
(lsp-register-custom-settings
 (mapcar (lambda (key)
           (list (concat "errcode." (substring (symbol-name key) 1))
                 (lambda () (plist-get lsp-errcode-settings key))))
         lsp-errcode--setting-keys))

;; Language ids lsp-mode has no entry for; the server also decides by file name.
(dolist (entry '((conf-toml-mode . "toml") (conf-unix-mode . "ini") (conf-space-mode . "ini")
                 (conf-windows-mode . "ini") (dotenv-mode . "dotenv") (jsonc-mode . "jsonc")))
  (unless (assq (car entry) lsp-language-id-configuration)
    (add-to-list 'lsp-language-id-configuration entry t)))

(lsp-register-client
 (make-lsp-client
  :new-connection (lsp-stdio-connection (lambda () (list lsp-errcode-server-path)))
  :major-modes lsp-errcode-major-modes
  :add-on? t
  :server-id 'errcode-lsp
  :priority -1
  :initialization-options #'lsp-errcode--options
  :initialized-fn (lambda (workspace)
                    (with-lsp-workspace workspace
                      (lsp--set-configuration (lsp-configuration-section "errcode"))))
  :notification-handlers (ht ("errcode/statusChanged" #'ignore))))

;;;###autoload
(defun lsp-errcode-status ()
  "Show the errcode/status answer (project root, active catalogs, settings)."
  (interactive)
  (let* ((workspace (or (lsp-find-workspace 'errcode-lsp (lsp-workspace-root))
                        (user-error "errcode-lsp is not running for this buffer")))
         (result (with-lsp-workspace workspace
                   (lsp-request "errcode/status"
                                (list :uri (lsp--buffer-uri))))))
    (with-current-buffer (get-buffer-create "*errcode-lsp status*")
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (lsp--json-serialize result)))
      (special-mode)
      (display-buffer (current-buffer)))
    result))

(provide 'lsp-errcode)
;;; lsp-errcode.el ends here
