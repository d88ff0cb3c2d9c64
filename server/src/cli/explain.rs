//! `errcode-lsp explain`, `codes` and `status`: documentation and catalog listings.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::json;

use super::{error, terminal, ListFormat, EXIT_CLEAN, EXIT_ERROR};
use errcode_core::analysis::matcher::Matcher;
use errcode_core::catalog::{builtin, CatalogSet};
use errcode_core::docs;
use errcode_core::project::{find_root, Project};
use errcode_core::walk::named_path_problem;

/// Loads the project around `dir` (default: the current directory), or prints why not (a
/// named path that does not exist or cannot be read is an error, not the project of `/`).
fn load_project(dir: Option<PathBuf>) -> Result<Project, u8> {
    if let Some(why) = dir.as_deref().and_then(named_path_problem) {
        error(format!("{}: {why}", dir.as_deref().unwrap_or(Path::new(".")).display()));
        return Err(EXIT_ERROR);
    }
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    Project::load(&find_root(&dir), None).map_err(|e| {
        error(e);
        EXIT_ERROR
    })
}

/// Every catalog `explain` can draw on: all built-ins plus the project's team catalogs,
/// whether active or not (explaining a code is useful anywhere).
fn explain_set(project: Option<&Project>) -> CatalogSet {
    let mut catalogs: Vec<_> = builtin::all().to_vec();
    if let Some(project) = project {
        for c in project.analyzer.catalogs().catalogs() {
            if !catalogs.iter().any(|b| Arc::ptr_eq(b, c)) {
                catalogs.push(c.clone());
            }
        }
    }
    CatalogSet::new(catalogs)
}

pub fn explain(code: &str, plain: bool) -> u8 {
    let project = load_project(None).ok();
    let set = explain_set(project.as_ref());
    let render = |c: &str| if plain { docs::plain(&set, c) } else { docs::markdown(&set, c) };
    // A numeric code (`-501001`) explains every named code that carries that number.
    let text = render(code).or_else(|| {
        let n: i64 = code.parse().ok()?;
        let mut named: Vec<&str> = set
            .catalogs()
            .iter()
            .flat_map(|c| c.entries.iter())
            .filter(|e| e.numeric == Some(n))
            .map(|e| e.code.as_str())
            .collect();
        named.dedup();
        let parts: Vec<String> = named.iter().filter_map(|c| render(c)).collect();
        (!parts.is_empty()).then(|| parts.join(if plain { "\n\n" } else { "\n\n---\n\n" }))
    });
    if let Some(text) = text {
        println!("{}", terminal::text(&text));
        return EXIT_CLEAN;
    }
    let upper = code.to_ascii_uppercase();
    let matcher = Matcher::new(set.codes().iter().map(String::as_str));
    let mut message = format!("unknown error code `{code}`");
    if set.contains(&upper) {
        message.push_str(&format!("; did you mean `{upper}`?"));
    } else if let Some(near) = matcher.near_miss(&upper) {
        message.push_str(&format!("; did you mean `{}`?", near.suggestions[0]));
    } else {
        let mut close: Vec<(usize, &String)> =
            set.codes().iter().map(|c| (strsim::osa_distance(&upper, c), c)).filter(|(d, _)| *d <= 4).collect();
        close.sort();
        if !close.is_empty() {
            let names: Vec<String> = close.iter().take(3).map(|(_, c)| format!("`{c}`")).collect();
            message.push_str(&format!("; similar codes: {}", names.join(", ")));
        }
    }
    error(message);
    EXIT_ERROR
}

pub fn codes(format: ListFormat, all: bool, dir: Option<PathBuf>) -> u8 {
    let project = match load_project(dir) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let set = if all {
        explain_set(Some(&project))
    } else {
        CatalogSet::new(project.analyzer.catalogs().catalogs().to_vec())
    };
    match format {
        ListFormat::Json => {
            let codes: Vec<_> = set
                .catalogs()
                .iter()
                .flat_map(|c| {
                    c.entries.iter().map(move |e| {
                        json!({
                            "code": e.code, "catalog": c.name(), "category": e.category, "summary": e.summary,
                            "numeric": e.numeric, "status": e.status.as_str(), "replaced_by": e.replaced_by, "docs": e.docs,
                        })
                    })
                })
                .collect();
            let out =
                json!({ "active_catalogs": project.active_catalogs(), "status": project.summary(), "codes": codes });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        ListFormat::Human => {
            if set.is_empty() {
                eprintln!("{}", terminal::line(&project.summary()));
            }
            for catalog in set.catalogs() {
                println!("# {} ({} codes)", terminal::line(catalog.name()), catalog.entries.len());
                for e in &catalog.entries {
                    let status = match e.status {
                        errcode_core::catalog::Status::Current => String::new(),
                        errcode_core::catalog::Status::Deprecated => {
                            format!(" [deprecated -> {}]", terminal::line(e.replaced_by.as_deref().unwrap_or("?")))
                        }
                        errcode_core::catalog::Status::Legacy => " [legacy]".to_string(),
                    };
                    let (code, category) = (terminal::line(&e.code), terminal::line(&e.category));
                    println!("{code:<48} {category:<28} {}{status}", terminal::line(&e.summary));
                }
                println!();
            }
        }
    }
    EXIT_CLEAN
}

pub fn status(path: Option<PathBuf>) -> u8 {
    let project = match load_project(path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    println!("project root: {}", terminal::path(&project.root));
    match &project.config_path {
        Some(p) => println!("config: {}", terminal::path(p)),
        None => println!("config: none (errcode.toml or .errcode.toml at the root)"),
    }
    // As written in errcode.toml (`auto`), not as the Rust enum is named.
    let activation = serde_json::to_value(project.settings.activation).ok();
    println!("activation: {}", activation.as_ref().and_then(|v| v.as_str()).unwrap_or("auto"));
    for c in &project.catalogs {
        let state = if c.active { "active" } else { "inactive" };
        let (name, reason, origin) = (terminal::line(&c.name), terminal::line(&c.reason), terminal::line(&c.origin));
        println!("  {name:<20} {state:<8} {:>4} codes  {reason} ({origin})", c.codes);
    }
    println!("{}", terminal::line(&project.summary()));
    EXIT_CLEAN
}
