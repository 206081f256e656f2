//! The core is layered: a top-level module may use only modules of lower layers, so no two
//! modules depend on each other. The test reads every `crate::` path in `core/src` and fails
//! on any that points sideways or up, naming the file, the line and the module.
//!
//! | layer | modules | owns |
//! |---|---|---|
//! | 0 | `error`, `enums`, `json` | foundation: the error table, the wire-enum macro, JSON reading |
//! | 1 | `units`, `calendar`, `limits` | quantities and identifiers; days of the week and time zones; size limits |
//! | 2 | `ffi` | the UniFFI scaffolding and custom types (feature `uniffi`) |
//! | 3 | `meter` | meter readings, units, energy, anomalies, meter policy |
//! | 4 | `ocpp` | OCPP-J frames and 1.6 / 2.0.1 payloads |
//! | 5 | `session`, `profile` | sessions from OCPP messages; charging profiles and composite schedules |
//! | 6 | `signed`, `tariff` | OCMF signed values; OCPI tariffs with their pricing policy |
//! | 7 | `billing` | pricing CDRs and sessions, invoices |
//! | 8 | `planning`, `analytics`, `station_tariff` | charging plans and site sharing; site analytics and behaviour; OCPP 2.1 station tariffs and local cost |
//! | 9 | `feedback` | driver feedback, scores, reliability |
//! | 10 | `report`, `arrow` | the HTML site report (feature `html-report`); Arrow tables (feature `arrow`) |
//! | 11 | `boundary` | what the language bindings share |
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const LAYERS: &[(&str, u8)] = &[
    ("error", 0),
    ("enums", 0),
    ("json", 0),
    ("limits", 1),
    ("units", 1),
    ("calendar", 1),
    ("ffi", 2),
    ("meter", 3),
    ("ocpp", 4),
    ("session", 5),
    ("profile", 5),
    ("signed", 6),
    ("tariff", 6),
    ("billing", 7),
    ("planning", 8),
    ("analytics", 8),
    ("station_tariff", 8),
    ("feedback", 9),
    ("report", 10),
    ("arrow", 10),
    ("boundary", 11),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a source file belongs to (`src/billing/engine.rs` → `billing`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

/// Every `crate::<module>` a line names, including inside `use crate::{a, b::c}` groups.
fn crate_modules(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let code = line.split("//").next().unwrap_or("");
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

#[test]
fn no_module_uses_a_module_of_its_own_or_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut unknown = BTreeMap::new();
    let mut upward = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        if module == "lib" {
            continue;
        }
        let Some(own) = layer(&module) else {
            unknown.insert(module.clone(), file.display().to_string());
            continue;
        };
        let text = fs::read_to_string(file).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            // Doc examples are user code (`use chargekit::…`), not imports of the crate.
            if line.trim_start().starts_with("//") {
                continue;
            }
            for used in crate_modules(line) {
                if used == module || used == "Error" || used == "Result" {
                    continue;
                }
                match layer(&used) {
                    Some(l) if l < own => {}
                    Some(l) => upward.push(format!(
                        "{}:{}: `{module}` (layer {own}) uses `{used}` (layer {l})",
                        file.strip_prefix(&src).unwrap_or(file).display(),
                        n + 1
                    )),
                    None => {
                        unknown.insert(used, file.display().to_string());
                    }
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "modules without a layer (add them to LAYERS and the table): {unknown:?}"
    );
    assert!(
        upward.is_empty(),
        "{} imports against the layer order:\n{}",
        upward.len(),
        upward.join("\n")
    );
}

#[test]
fn the_parser_reads_groups_and_paths() {
    assert_eq!(
        crate_modules("use crate::{meter::Reading, ocpp::Frame, Error};"),
        ["meter", "ocpp", "Error"]
    );
    assert_eq!(
        crate_modules("    let x = crate::json::display(v); // crate::billing in a comment"),
        ["json"]
    );
}

#[test]
fn every_top_level_module_says_what_it_owns_and_imports() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (module, _) in LAYERS {
        let file = [
            src.join(module).join("mod.rs"),
            src.join(format!("{module}.rs")),
        ]
        .into_iter()
        .find(|p| p.exists());
        assert!(file.is_some(), "no source file for module `{module}`");
        let Some(file) = file else { continue };
        let head: String = fs::read_to_string(&file)
            .unwrap_or_default()
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            head.contains("Owns:") && head.contains("Imports:"),
            "{}: the module docs must open with what it owns (`Owns:`) and whom it imports (`Imports:`)",
            file.display()
        );
    }
}
