;;; e2e-lsp-mode.el --- headless test of lsp-errcode.el with lsp-mode  -*- lexical-binding: t; -*-
;;
;;   ERRCODE_LSP_BIN=/path/to/errcode-lsp emacs --batch -q -l editors/emacs/tests/e2e-lsp-mode.el
;;
;; (tests/e2e-emacs.sh does this when lsp-mode is installed, e.g. Debian's elpa-lsp-mode.)
;; errcode-lsp runs as an add-on next to a stand-in "main" server for the same buffer (a
;; second errcode-lsp process registered as an ordinary lsp-mode client), which is what
;; Eglot cannot do.  Prints one line per check, then "N passed, M failed".

(require 'cl-lib)
(require 'subr-x)

(defvar e2e-dir (file-name-directory (or load-file-name buffer-file-name)))
(defvar e2e-repo (expand-file-name "../../.." e2e-dir))
(add-to-list 'load-path (expand-file-name ".." e2e-dir))
(defvar e2e-bin (or (getenv "ERRCODE_LSP_BIN")
                    (expand-file-name "target/release/errcode-lsp" e2e-repo)))
(defvar e2e-timeout (string-to-number (or (getenv "ERRCODE_E2E_TIMEOUT") "10")))
(defvar e2e-passed 0)
(defvar e2e-failed 0)

(setq lsp-session-file (expand-file-name "session" (make-temp-file "lsp-session-" t))
      lsp-auto-guess-root nil
      lsp-restart 'ignore
      lsp-keep-workspace-alive nil
      lsp-enable-file-watchers nil
      lsp-diagnostics-provider :flymake
      lsp-headerline-breadcrumb-enable nil
      lsp-modeline-code-actions-enable nil
      lsp-modeline-diagnostics-enable nil
      lsp-enable-snippet nil
      lsp-log-io nil)

(require 'lsp-mode)
(require 'lsp-errcode)
(setq lsp-errcode-server-path e2e-bin
      lsp-errcode-settings '(:severity (:misspelled "error")))

;; Only our clients: no other server's binary is looked for or offered for installation.
(setq lsp-enabled-clients '(errcode-lsp e2e-main))
;; The stand-in main server: another errcode-lsp process under an ordinary (not add-on)
;; client id, so the buffer has a main server and the add-on.
(lsp-register-client
 (make-lsp-client
  :new-connection (lsp-stdio-connection (lambda () (list e2e-bin)))
  :major-modes '(js-mode)
  :server-id 'e2e-main
  :priority 10))

(defun e2e-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defmacro e2e-check (name &rest body)
  "Run BODY; it returns (OK . DETAIL)."
  (declare (indent 1))
  `(let ((res (condition-case err (progn ,@body)
                (error (cons nil (format "error: %S" err))))))
     (if (car res)
         (progn (cl-incf e2e-passed)
                (e2e-out "ok   - %s%s" ,name (if (cdr res) (format " (%s)" (cdr res)) "")))
       (cl-incf e2e-failed)
       (e2e-out "FAIL - %s: %s" ,name (cdr res)))))

(defun e2e-wait (pred &optional seconds)
  (let ((deadline (+ (float-time) (or seconds e2e-timeout)))
        (v nil))
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    v))

(defun e2e-finish ()
  (e2e-out "%d passed, %d failed" e2e-passed e2e-failed)
  (ignore-errors (lsp-workspace-shutdown-all)) ; may not exist in every version
  (kill-emacs (if (> e2e-failed 0) 1 0)))

(defvar e2e-project
  (let ((dir (make-temp-file "errcode-lsp-mode-" t)))
    (copy-directory (expand-file-name "examples/cloudbase-app" e2e-repo) dir nil t t)
    (file-name-as-directory (file-truename dir))))
(lsp-workspace-folders-add e2e-project)

(e2e-check "lsp-errcode registers an add-on client"
  (let ((client (gethash 'errcode-lsp lsp-clients)))
    (cons (and client (lsp--client-add-on? client)) (format "%S" (and client t)))))

(e2e-check "workspace/configuration section errcode comes from lsp-errcode-settings"
  (let* ((section (lsp-configuration-section "errcode"))
         (json (lsp--json-serialize section)))
    (cons (string-match-p "\"misspelled\":\"error\"" json) json)))

(find-file (expand-file-name "src/api.ts" e2e-project))
(js-mode)
(lsp)

(e2e-check "both servers attach to the buffer (main + errcode-lsp add-on)"
  (let ((ids (e2e-wait
              (lambda ()
                (let ((ids (mapcar (lambda (w) (lsp--client-server-id (lsp--workspace-client w)))
                                   (lsp-workspaces))))
                  (and (memq 'errcode-lsp ids) (memq 'e2e-main ids)
                       (cl-every (lambda (w) (eq (lsp--workspace-status w) 'initialized))
                                 (lsp-workspaces))
                       ids))))))
    (cons ids (format "%S" (or ids (mapcar #'lsp--workspace-print (lsp-workspaces)))))))

(defun e2e-errcode-diags ()
  "Diagnostics of the errcode-lsp workspace for api.ts."
  (when-let ((ws (lsp-find-workspace 'errcode-lsp e2e-project)))
    (gethash (lsp--fix-path-casing (buffer-file-name))
             (lsp--workspace-diagnostics ws))))

(e2e-check "errcode-lsp reports EXCEED_RATE_LIMIT with the configured severity (error)"
  (let ((diag (e2e-wait
               (lambda ()
                 (cl-find-if (lambda (d) (string-match-p "EXCEED_RATE_LIMIT"
                                                         (lsp:diagnostic-message d)))
                             (e2e-errcode-diags))))))
    (if diag
        (cons (eq (lsp:diagnostic-severity? diag) 1)
              (format "severity %S: %s" (lsp:diagnostic-severity? diag)
                      (lsp:diagnostic-message diag)))
      (cons nil (format "diagnostics: %S" (e2e-errcode-diags))))))

(e2e-check "errcode/status through lsp-errcode-status"
  (let ((result (lsp-errcode-status)))
    (cons (and result (> (length (lsp-get result :activeCatalogs)) 0))
          (format "%d active catalog(s)" (length (lsp-get result :activeCatalogs))))))

(e2e-finish)
