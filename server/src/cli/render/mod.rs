//! Renderers of the command line's outputs: one file per format.
//!
//! - `html.rs`: the `report --format html` page, escaping by construction, with `report.css`.

pub mod html;
