//! `--format github`: GitHub Actions workflow commands, which the Actions runner turns into
//! annotations on the pull request.

use std::io::Write;

use super::{rendered, FileReport, Renderer, Report};
use errcode_core::config::Severity;

/// One workflow command per finding.
pub struct Github;

impl Renderer for Github {
    fn file(&self, file: &FileReport) -> Option<Vec<u8>> {
        Some(github_file(file))
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
        for file in &report.files {
            out.write_all(&rendered(file, self))?;
        }
        Ok(())
    }
}

/// The findings of one file as GitHub Actions workflow commands, one line each:
/// `::warning file=src/a.ts,line=1,col=17,endLine=1,endColumn=34,title=misspelled-code::message`
/// (<https://docs.github.com/actions/reference/workflow-commands-for-github-actions>).
pub fn github_file(file: &FileReport) -> Vec<u8> {
    let path = github_property(&file.path.display().to_string().replace('\\', "/"));
    let mut buf = Vec::new();
    for loc in &file.findings {
        let f = &loc.finding;
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint | Severity::Off => "notice",
        };
        let _ = writeln!(
            buf,
            "::{command} file={path},line={},col={},endLine={},endColumn={},title={}::{}",
            loc.line,
            loc.column,
            loc.end_line,
            loc.end_column,
            github_property(f.kind.rule_id()),
            github_data(f.message.text(file.locale))
        );
    }
    buf
}

/// Escapes a workflow command's message (`%`, CR and LF), as `@actions/core` does.
pub fn github_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value: the message escapes plus `:` and `,`.
pub fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}
