;;; e2e.el --- headless end-to-end test of errcode-lsp.el with Eglot  -*- lexical-binding: t; -*-
;;
;;   ERRCODE_LSP_BIN=/path/to/errcode-lsp emacs --batch -Q -l editors/emacs/tests/e2e.el
;;
;; (tests/e2e-emacs.sh does this.)  Prints one line per check, then
;; "N passed, M failed"; exits non-zero on any failure.  Every wait is bounded.

(require 'cl-lib)
(require 'subr-x)

(defvar e2e-dir (file-name-directory (or load-file-name buffer-file-name)))
(defvar e2e-repo (expand-file-name "../../.." e2e-dir))
(add-to-list 'load-path (expand-file-name ".." e2e-dir))
(require 'errcode-lsp)

(defvar e2e-bin (or (getenv "ERRCODE_LSP_BIN")
                    (expand-file-name "target/release/errcode-lsp" e2e-repo)))
(defvar e2e-timeout (string-to-number (or (getenv "ERRCODE_E2E_TIMEOUT") "10")))
(defvar e2e-passed 0)
(defvar e2e-failed 0)
(setq errcode-lsp-program e2e-bin)
(setq eglot-sync-connect e2e-timeout
      eglot-connect-timeout (* 2 e2e-timeout)
      eglot-autoshutdown nil
      inhibit-message nil
      eglot-events-buffer-size 200000)

(defun e2e-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun e2e-finish ()
  (when (and (> e2e-failed 0) (getenv "ERRCODE_E2E_EVENTS"))
    (dolist (b (buffer-list))
      (when (string-match-p "EGLOT.*events" (buffer-name b))
        (e2e-out "--- %s ---" (buffer-name b))
        (with-current-buffer b
          (e2e-out "%s" (buffer-substring-no-properties
                         (max (point-min) (- (point-max) 6000)) (point-max)))))))
  (e2e-out "%d passed, %d failed" e2e-passed e2e-failed)
  (ignore-errors (eglot-shutdown-all))
  (kill-emacs (if (> e2e-failed 0) 1 0)))

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
  "Wait until PRED is non-nil, at most SECONDS (default `e2e-timeout'). Return its value."
  (let ((deadline (+ (float-time) (or seconds e2e-timeout)))
        (v nil))
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    v))

(defun e2e-copy-fixture ()
  (let ((dir (make-temp-file "errcode-e2e-" t)))
    (copy-directory (expand-file-name "examples/cloudbase-app" e2e-repo) dir nil t t)
    (file-truename dir)))

(defun e2e-mode ()
  "A major mode for .ts files in this Emacs."
  (cond ((fboundp 'typescript-mode) #'typescript-mode)
        ((and (fboundp 'typescript-ts-mode)
              (fboundp 'treesit-language-available-p)
              (treesit-language-available-p 'typescript))
         #'typescript-ts-mode)
        (t #'js-mode)))

(defun e2e-diag-texts ()
  (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))

(defun e2e-find-diag (needle)
  (cl-find-if (lambda (d) (string-match-p (regexp-quote needle) (flymake-diagnostic-text d)))
              (flymake-diagnostics)))

(defun e2e-open (file)
  "Visit FILE, start errcode-lsp through Eglot as a user would, return the buffer."
  (let ((buf (find-file-noselect file)))
    (with-current-buffer buf
      (funcall (e2e-mode))
      (apply #'eglot (eglot--guess-contact))
      (e2e-wait (lambda () (eglot-current-server)))
      (flymake-mode 1)
      (flymake-start))
    buf))

(defun e2e-wait-diag (needle &optional absent)
  (e2e-wait (lambda ()
              (ignore-errors (flymake-start))
              (let ((d (e2e-find-diag needle))) (if absent (not d) d)))))

(unless (file-executable-p e2e-bin)
  (e2e-out "server binary not found: %s" e2e-bin)
  (setq e2e-failed 1)
  (e2e-finish))

(e2e-out "e2e-emacs: Emacs %s, eglot %s, mode for .ts: %s, server %s"
         emacs-version
         (or (ignore-errors (package-get-version)) (bound-and-true-p eglot-version)
             (ignore-errors (with-temp-buffer (insert-file-contents (locate-library "eglot.el"))
                                               (and (re-search-forward "^;; Version: \\(.*\\)" nil t)
                                                    (match-string 1))))
             "?")
         (e2e-mode) e2e-bin)

;; Register the server the way the README says.
(errcode-lsp-eglot-setup)

(defvar e2e-buf (e2e-open (expand-file-name "src/api.ts" (e2e-copy-fixture))))

(with-current-buffer e2e-buf
  (e2e-out "attached: project root %s"
           (and (eglot-current-server) (project-root (eglot--project (eglot-current-server)))))

  ;; 1. misspelled code reported through flymake at line 11
  (e2e-check "flymake: misspelled EXCEED_RATE_LIMIT on line 11"
    (let ((d (e2e-wait-diag "EXCEED_RATE_LIMIT")))
      (cond ((not d) (cons nil (format "diagnostics: %S" (e2e-diag-texts))))
            ((/= 11 (line-number-at-pos (flymake-diagnostic-beg d)))
             (cons nil (format "on line %d" (line-number-at-pos (flymake-diagnostic-beg d)))))
            ((not (string-match-p "EXCEED_RATELIMIT" (flymake-diagnostic-text d)))
             (cons nil (flymake-diagnostic-text d)))
            (t (cons t (flymake-diagnostic-text d))))))

  ;; 2. deprecated code reported too
  (e2e-check "flymake: deprecated INVALID_ENV_ID on line 18"
    (let ((d (e2e-wait-diag "INVALID_ENV_ID")))
      (if (and d (= 18 (line-number-at-pos (flymake-diagnostic-beg d))))
          (cons t (flymake-diagnostic-text d))
        (cons nil (format "diagnostics: %S" (e2e-diag-texts))))))

  ;; 3. hover docs
  (e2e-check "hover on FUNCTION_NOT_FOUND returns its docs"
    (goto-char (point-min))
    (search-forward "\"FUNCTION_NOT_FOUND")
    (backward-char 3)
    (let* ((res (jsonrpc-request (eglot--current-server-or-lose) :textDocument/hover
                                 (eglot--TextDocumentPositionParams)
                                 :timeout e2e-timeout))
           (contents (plist-get res :contents))
           (text (cond ((stringp contents) contents)
                       ((plist-get contents :value))
                       (t (format "%S" contents)))))
      (if (and text (string-match-p "FUNCTION_NOT_FOUND" text))
          (cons t (format "%s, %d chars" (plist-get contents :kind) (length text)))
        (cons nil (format "%S" res)))))

  ;; 4. quick fix: Replace with `EXCEED_RATELIMIT`
  (e2e-check "code action \"Replace with `EXCEED_RATELIMIT`\" applied with Eglot"
    (let* ((d (e2e-find-diag "EXCEED_RATE_LIMIT"))
           (beg (flymake-diagnostic-beg d))
           (end (flymake-diagnostic-end d))
           (actions (jsonrpc-request
                     (eglot--current-server-or-lose) :textDocument/codeAction
                     (list :textDocument (eglot--TextDocumentIdentifier)
                           :range (list :start (eglot--pos-to-lsp-position beg)
                                        :end (eglot--pos-to-lsp-position end))
                           :context (list :diagnostics
                                          (vector (alist-get 'eglot-lsp-diag
                                                             (eglot--diag-data d)))))
                     :timeout e2e-timeout))
           (action (cl-find "Replace with `EXCEED_RATELIMIT`" actions
                            :key (lambda (a) (plist-get a :title)) :test #'equal)))
      (if (not action)
          (cons nil (format "actions: %S" (mapcar (lambda (a) (plist-get a :title)) actions)))
        (eglot--apply-workspace-edit (plist-get action :edit))
        (goto-char (point-min))
        (forward-line 10)
        (let ((line (buffer-substring-no-properties (line-beginning-position) (line-end-position))))
          (if (string-match-p "\"EXCEED_RATELIMIT\"" line)
              (cons t (string-trim line))
            (cons nil line)))))))

;; 4b. M-x errcode-lsp-status (the errcode/status request)
(with-current-buffer e2e-buf
  (e2e-check "errcode-lsp-status: root and active catalogs"
    (let* ((res (errcode-lsp-status))
           (cats (plist-get res :activeCatalogs)))
      (if (and (plist-get res :root) (> (length cats) 0))
          (cons t (format "%d catalog(s), root %s" (length cats) (plist-get res :root)))
        (cons nil (format "%S" res))))))

(defun e2e-check-allowed (title)
  "Open a fresh fixture copy; check TITLE: EXCEED_RATE_LIMIT is allowed, INVALID_ENV_ID reported."
  (let ((buf (e2e-open (expand-file-name "src/api.ts" (e2e-copy-fixture)))))
    (with-current-buffer buf
      (e2e-check title
        ;; Settled when the deprecation is reported and the allowed code is not.
        (let ((dep (e2e-wait (lambda ()
                               (ignore-errors (flymake-start))
                               (and (not (e2e-find-diag "EXCEED_RATE_LIMIT"))
                                    (e2e-find-diag "INVALID_ENV_ID"))))))
          (setq dep (or dep (e2e-find-diag "INVALID_ENV_ID")))
          (cond ((not dep) (cons nil (format "nothing reported: %S" (e2e-diag-texts))))
                ((e2e-find-diag "EXCEED_RATE_LIMIT")
                 (cons nil (format "allowed code still reported: %S" (e2e-diag-texts))))
                (t (cons t "only INVALID_ENV_ID reported"))))))))

;; 5. errcode-lsp-settings reach the server as initializationOptions
(eglot-shutdown-all)
(setq errcode-lsp-settings '(:allow ["EXCEED_RATE_LIMIT"]))
(e2e-check-allowed "errcode-lsp-settings (:allow [\"EXCEED_RATE_LIMIT\"]) as initializationOptions")

;; 6. an :errcode section in eglot-workspace-configuration (what .dir-locals.el sets)
(eglot-shutdown-all)
(setq errcode-lsp-settings nil)
(setq-default eglot-workspace-configuration '(:errcode (:allow ["EXCEED_RATE_LIMIT"])))
(e2e-check-allowed "eglot-workspace-configuration (:errcode (:allow [...]))")

(e2e-finish)
