;;; errcode-lsp.el --- Eglot support for errcode-lsp  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: languages, tools
;; SPDX-License-Identifier: MIT OR Apache-2.0

;;; Commentary:

;; errcode-lsp finds error-code string literals (Tencent CloudBase codes such as
;; "EXCEED_RATELIMIT", and your own catalogs) and offers hover docs, completion inside
;; strings, diagnostics for misspelled/deprecated codes and quick fixes.
;;
;; Loading this file changes nothing.  Then either
;;
;;   (errcode-lsp-eglot-setup)   ; register errcode-lsp in `eglot-server-programs'
;;                               ; for `errcode-lsp-major-modes', then M-x eglot
;;
;; or, to keep your usual server for a mode and start errcode-lsp by hand in one
;; buffer, M-x errcode-lsp-eglot.
;;
;; Eglot manages a buffer with ONE server.  Registering errcode-lsp for, say,
;; `python-mode' replaces pyright/pylsp there; see README.md for running both through
;; an LSP multiplexer (rassumfrassum's `rass').
;;
;; Settings: `errcode-lsp-settings' (a plist, camelCase keys as in the server docs) is
;; sent as initializationOptions.  Per project, put an `:errcode' section in
;; `eglot-workspace-configuration' (.dir-locals.el); the server reads it through
;; workspace/didChangeConfiguration and workspace/configuration.

;;; Code:

(require 'eglot)
(require 'cl-lib)
(require 'json)

(defgroup errcode-lsp nil
  "Error-code checking with errcode-lsp through Eglot."
  :group 'eglot
  :prefix "errcode-lsp-")

(defcustom errcode-lsp-program "errcode-lsp"
  "The errcode-lsp executable (a name on `exec-path' or an absolute file name)."
  :type 'string)

(defcustom errcode-lsp-settings nil
  "Server settings, sent as LSP initializationOptions.
A plist with the server's camelCase keys, for example
  (:activation \"always\"
   :allow [\"MY_CODE\"]
   :severity (:misspelled \"error\" :deprecated \"hint\"))
Lists must be vectors; false is `:json-false'."
  :type '(plist :key-type symbol :value-type sexp))

(defcustom errcode-lsp-major-modes
  '(js-mode js-ts-mode js2-mode rjsx-mode js-jsx-mode
    typescript-mode typescript-ts-mode tsx-ts-mode web-mode vue-mode svelte-mode wxml-mode
    python-mode python-ts-mode go-mode go-ts-mode rust-mode rust-ts-mode
    java-mode java-ts-mode kotlin-mode kotlin-ts-mode csharp-mode csharp-ts-mode
    php-mode php-ts-mode ruby-mode ruby-ts-mode dart-mode swift-mode
    lua-mode lua-ts-mode sh-mode bash-ts-mode
    js-json-mode json-mode json-ts-mode jsonc-mode yaml-mode yaml-ts-mode
    toml-ts-mode conf-toml-mode conf-unix-mode conf-space-mode conf-windows-mode
    dotenv-mode)
  "Major modes `errcode-lsp-eglot-setup' registers errcode-lsp for.
Modes that are not installed are harmless."
  :type '(repeat symbol))

(defcustom errcode-lsp-root-markers
  '("errcode.toml" ".errcode.toml" "cloudbaserc.json" "package.json")
  "Files marking a project root for Eglot when the file is not in a VC repository.
Without a root, Eglot uses the file's own directory, where the server may not
see package.json and so not activate the CloudBase catalogs.  Used by
`errcode-lsp-project-find', which `errcode-lsp-eglot-setup' installs."
  :type '(repeat string))

(defvar eglot-lsp-context)

(defun errcode-lsp-project-find (dir)
  "Find a project for Eglot from DIR using `errcode-lsp-root-markers'.
Only answers while Eglot looks for a project (`eglot-lsp-context'); appended to
`project-find-functions', so version-control roots still win."
  (when (bound-and-true-p eglot-lsp-context)
    (let ((root (cl-some (lambda (marker) (locate-dominating-file dir marker))
                         errcode-lsp-root-markers)))
      (when root
        (cons 'transient (file-name-as-directory (expand-file-name root)))))))

(defun errcode-lsp--initialization-options (&optional _server)
  "The initializationOptions object: `errcode-lsp-settings', or {}."
  (or errcode-lsp-settings (make-hash-table)))

(defclass errcode-lsp-server (eglot-lsp-server) ()
  "Eglot connection to errcode-lsp.")

(defun errcode-lsp--merge (base over)
  "Plist BASE with the keys of plist OVER put over it."
  (let ((res (copy-sequence base)))
    (cl-loop for (k v) on over by #'cddr do (setq res (plist-put res k v)))
    res))

;; Eglot answers workspace/configuration only from `eglot-workspace-configuration', and
;; right after connecting it sends didChangeConfiguration with that (often `{}').  Answer
;; the `errcode' section with `errcode-lsp-settings' (overridden by an :errcode section
;; of `eglot-workspace-configuration'), so the two ways of configuring agree.
(cl-defmethod eglot-handle-request
  ((_server errcode-lsp-server) (_method (eql workspace/configuration)) &key items)
  (let ((answers (cl-call-next-method)))
    (cl-loop for item across (if (vectorp items) items (vconcat items))
             for i from 0
             when (equal (plist-get item :section) "errcode")
             do (let ((given (aref answers i)))
                  (aset answers i
                        (or (errcode-lsp--merge errcode-lsp-settings
                                                (and (listp given) given))
                            (make-hash-table)))))
    answers))

(defun errcode-lsp-contact (&optional _interactive)
  "The Eglot contact (class, program, initializationOptions) for errcode-lsp."
  (list 'errcode-lsp-server errcode-lsp-program
        :initializationOptions #'errcode-lsp--initialization-options))

;;;###autoload
(defun errcode-lsp-eglot-setup (&optional modes)
  "Register errcode-lsp in `eglot-server-programs' for MODES.
MODES defaults to `errcode-lsp-major-modes'.  This takes precedence over
the servers already registered for those modes."
  (interactive)
  (add-hook 'project-find-functions #'errcode-lsp-project-find 'append)
  (let ((modes (or modes errcode-lsp-major-modes)))
    (setq eglot-server-programs
          (cons (cons modes #'errcode-lsp-contact)
                (cl-remove-if (lambda (entry) (eq (cdr entry) #'errcode-lsp-contact))
                              eglot-server-programs)))))

;;;###autoload
(defun errcode-lsp-eglot ()
  "Start errcode-lsp with Eglot for the current buffer's major mode.
Leaves `eglot-server-programs' alone, so other buffers keep their servers."
  (interactive)
  (add-hook 'project-find-functions #'errcode-lsp-project-find 'append)
  (let ((eglot-server-programs
         (cons (cons major-mode #'errcode-lsp-contact) eglot-server-programs)))
    (call-interactively #'eglot)))

;;;###autoload
(defun errcode-lsp-status ()
  "Show the errcode/status answer (project root, active catalogs, settings)."
  (interactive)
  (let* ((server (eglot--current-server-or-lose))
         (path (or buffer-file-name default-directory))
         (uri (if (fboundp 'eglot-path-to-uri)
                  (eglot-path-to-uri path)
                (with-no-warnings (eglot--path-to-uri path))))
         (result (jsonrpc-request server :errcode/status (list :uri uri))))
    (with-current-buffer (get-buffer-create "*errcode-lsp status*")
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (let ((json-encoding-pretty-print t)) (json-encode result))))
      (special-mode)
      (display-buffer (current-buffer)))
    result))

(provide 'errcode-lsp)
;;; errcode-lsp.el ends here
