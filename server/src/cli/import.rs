//! `errcode-lsp catalog ...`: tools for catalog files; `catalog import` turns an error-code docs
//! page into a catalog (the parsing is in `errcode_core::import`).

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};

use super::{error, EXIT_CLEAN, EXIT_ERROR};
use errcode_core::catalog::parse::Format;
use errcode_core::catalog::{Catalog, Origin};
use errcode_core::import;

/// The `catalog` subcommand group.
#[derive(Subcommand, Debug)]
pub enum CatalogCommand {
    /// Turn an error-code docs page (title, category headings, CODE lines each followed by their
    /// description; or tables with code, description and solution columns) into a catalog
    /// file. A Chinese page becomes the codes' zh-CN translation.
    Import(ImportArgs),
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The docs page, as plain text (copy the page from the browser; `-` reads stdin).
    pub file: PathBuf,
    /// The catalog name (default: the file name without its extension).
    #[arg(long)]
    pub name: Option<String>,
    /// Output format (default: from the extension of `-o`, else TOML).
    #[arg(long, value_enum)]
    pub format: Option<CatalogFormat>,
    /// Write the catalog to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "OUT")]
    pub output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogFormat {
    Toml,
    Json,
    Yaml,
}

impl From<CatalogFormat> for Format {
    fn from(f: CatalogFormat) -> Format {
        match f {
            CatalogFormat::Toml => Format::Toml,
            CatalogFormat::Json => Format::Json,
            CatalogFormat::Yaml => Format::Yaml,
        }
    }
}

pub fn run(command: &CatalogCommand) -> u8 {
    match command {
        CatalogCommand::Import(args) => import(args),
    }
}

fn import(args: &ImportArgs) -> u8 {
    let stdin = args.file.as_os_str() == "-";
    let read = if stdin { std::io::read_to_string(std::io::stdin()) } else { std::fs::read_to_string(&args.file) };
    let text = match read {
        Ok(text) => text,
        Err(e) => {
            error(format!("{}: cannot read: {e}", args.file.display()));
            return EXIT_ERROR;
        }
    };
    let name = match &args.name {
        Some(name) => name.trim().to_string(),
        None if stdin => "imported".to_string(),
        None => args.file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
    };
    if name.is_empty() {
        error("the catalog name is empty; pass --name NAME");
        return EXIT_ERROR;
    }
    let source = (!stdin).then(|| format!("imported from {}", file_name(&args.file)));
    let imported = match import::import(&text, &name, source) {
        Ok(imported) => imported,
        Err(e) => {
            error(format!("{}: {e}", args.file.display()));
            return EXIT_ERROR;
        }
    };
    let format = args
        .format
        .map(Format::from)
        .or_else(|| args.output.as_deref().and_then(Format::from_path))
        .unwrap_or(Format::Toml);
    let out = match import::to_text(&imported.catalog, format) {
        Ok(out) => out,
        Err(e) => {
            error(format!("cannot write the catalog: {e}"));
            return EXIT_ERROR;
        }
    };
    // The result must load like any team catalog; a failure here is a bug worth reporting.
    let check_path = PathBuf::from(match format {
        Format::Toml => "imported.toml",
        Format::Json => "imported.json",
        Format::Yaml => "imported.yaml",
    });
    if let Err(e) = Catalog::from_text(&check_path, &out, Origin::Builtin) {
        error(format!("the imported catalog does not load: {e}"));
        return EXIT_ERROR;
    }
    for warning in &imported.warnings {
        eprintln!("warning: {}", super::terminal::line(warning));
    }
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &out) {
                error(format!("{}: cannot write: {e}", path.display()));
                return EXIT_ERROR;
            }
        }
        None => print!("{out}"),
    }
    if imported.catalog.codes.iter().any(|e| e.summary.is_empty() && e.l10n.contains_key("zh-CN")) {
        eprintln!(
            "note: the page is in Chinese: its text is the codes' zh-CN translation ([codes.l10n.zh-CN]); \
             English readers see it too until the English `summary` and `details` are written"
        );
    }
    let codes = imported.catalog.codes.len();
    let categories = imported.catalog.catalog.categories.len();
    let target = args.output.as_ref().map(|p| format!(" to {}", p.display())).unwrap_or_default();
    eprintln!(
        "imported {codes} code{} in {categories} categor{} into catalog `{name}`{target}",
        plural(codes, "", "s"),
        plural(categories, "y", "ies")
    );
    EXIT_CLEAN
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}
