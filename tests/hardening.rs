//! Static hardening checks over the app's configuration files (no Tauri runtime):
//! the content security policy, the capability set the build applied, that the
//! UI reaches IPC only through the wrappers generated from the Rust command list,
//! and that the app is single-instance (the plugin registered first, pinned to
//! a version made for the Tauri in Cargo.lock, granting the webview nothing).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Permissions the app is known to need. Anything else fails here, forcing a review.
const ALLOWED_PERMISSIONS: &[&str] = &["core:default"];

fn csp() -> String {
    let conf: serde_json::Value =
        serde_json::from_str(&read(&root().join("tauri.conf.json"))).expect("tauri.conf.json");
    conf["app"]["security"]["csp"]
        .as_str()
        .expect("app.security.csp is a string")
        .to_string()
}

/// The CSP's directives: name → sources.
fn directives(csp: &str) -> Vec<(String, Vec<String>)> {
    csp.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut parts = d.split_whitespace().map(str::to_string);
            let name = parts.next().expect("directive name").to_ascii_lowercase();
            (name, parts.collect())
        })
        .collect()
}

#[test]
fn csp_forbids_eval_inline_scripts_plugins_and_remote_sources() {
    let csp = csp();
    let dirs = directives(&csp);
    assert!(!csp.contains("unsafe-eval"), "CSP allows eval: {csp}");
    let script = dirs
        .iter()
        .find(|(n, _)| n == "script-src")
        .or_else(|| dirs.iter().find(|(n, _)| n == "default-src"))
        .expect("script-src or default-src");
    assert!(
        !script.1.iter().any(|s| s.contains("unsafe-inline")),
        "script-src allows inline scripts: {csp}"
    );
    let object = dirs
        .iter()
        .find(|(n, _)| n == "object-src")
        .expect("object-src is set");
    assert_eq!(
        object.1,
        vec!["'none'".to_string()],
        "object-src must be 'none'"
    );
    for (name, sources) in &dirs {
        for s in sources {
            let lower = s.to_ascii_lowercase();
            let remote = lower.starts_with("http:")
                || lower.starts_with("https:")
                || lower.starts_with("ws:")
                || lower.starts_with("wss:")
                || lower == "*"
                || lower.contains("://");
            assert!(
                !remote || lower == "http://ipc.localhost",
                "{name} allows the remote source {s}: {csp}"
            );
        }
    }
}

/// The capability files `tauri-build` reads for a package at the repository root.
fn capability_sources() -> Vec<PathBuf> {
    let dir = root().join("capabilities");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json"))
        .collect();
    out.sort();
    out
}

/// What the build applied: `tauri-build` writes every capability it found to
/// `gen/schemas/capabilities.json` (this test runs after the build script).
fn generated_capabilities() -> serde_json::Map<String, serde_json::Value> {
    let path = root().join("gen/schemas/capabilities.json");
    match serde_json::from_str(&read(&path)).expect("capabilities.json is JSON") {
        serde_json::Value::Object(map) => map,
        other => panic!("{} is not an object: {other}", path.display()),
    }
}

/// A permission's identifier: a string, or an object with an `identifier` (scoped).
fn permission_ids(cap: &serde_json::Value) -> Vec<String> {
    cap["permissions"]
        .as_array()
        .expect("permissions array")
        .iter()
        .map(|p| {
            p.as_str()
                .or_else(|| p["identifier"].as_str())
                .expect("permission identifier")
                .to_string()
        })
        .collect()
}

#[test]
fn the_build_applies_exactly_the_reviewed_capability() {
    // A capability anywhere else (e.g. src-tauri/capabilities) is silently ignored.
    assert!(
        !root().join("src-tauri/capabilities").exists(),
        "src-tauri/capabilities is not read by tauri-build for this package: keep capabilities in ./capabilities"
    );
    let sources = capability_sources();
    assert_eq!(
        sources.len(),
        1,
        "one reviewed capability file: {sources:?}"
    );
    let source: serde_json::Value =
        serde_json::from_str(&read(&sources[0])).expect("capability JSON");
    let generated = generated_capabilities();
    assert!(
        !generated.is_empty(),
        "gen/schemas/capabilities.json is empty: the build applied no capability, so every plugin command (event listen included) is refused"
    );
    let names: Vec<&String> = generated.keys().collect();
    assert_eq!(names, ["default"], "the applied capabilities");
    let applied = &generated["default"];
    assert_eq!(applied["identifier"], source["identifier"]);
    assert_eq!(applied["windows"], serde_json::json!(["main"]));
    assert_eq!(permission_ids(applied), permission_ids(&source));
    for id in permission_ids(applied) {
        assert!(
            ALLOWED_PERMISSIONS.contains(&id.as_str()),
            "the build grants `{id}`, which is not on the reviewed list in tests/hardening.rs"
        );
    }
    for cap in [applied, &source] {
        assert!(
            cap.get("remote").is_none_or(serde_json::Value::is_null),
            "a capability lets remote URLs use IPC: {cap}"
        );
    }
}

/// The UI's IPC goes through the generated `api.ts`, whose wrappers are exactly the command
/// list the handler registers (`ipc_commands!`): the generated files must be what the list
/// produces now, and only `ipc-call.ts` (which `api.ts` calls) may reach Tauri's IPC.
#[test]
fn the_ui_reaches_ipc_only_through_the_generated_api() {
    for (path, generated) in finance_app::contract::generated_files() {
        assert!(
            read(&root().join(path)) == generated,
            "{path} is not what the command list in src-tauri/src/contract.rs produces: run `./dev bindings`"
        );
    }
    let api = read(&root().join("ui/src/api.ts"));
    let called: BTreeSet<String> = api
        .split("call(\"")
        .skip(1)
        .filter_map(|piece| piece.split('"').next())
        .map(str::to_string)
        .collect();
    let listed: BTreeSet<String> = finance_app::contract::commands()
        .iter()
        .map(|c| c.name.to_string())
        .collect();
    assert!(listed.len() > 10, "too few commands listed: {listed:?}");
    assert_eq!(called, listed, "api.ts wraps exactly the listed commands");

    let mut offenders = Vec::new();
    let mut dirs = vec![root().join("ui/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("ui/src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !name.ends_with(".ts") || name.ends_with(".test.ts") || name == "ipc-call.ts" {
                continue;
            }
            let text = read(&path);
            for needle in [
                "@tauri-apps/api/core",
                "@tauri-apps/api/event",
                "__TAURI_INTERNALS__",
            ] {
                if text.contains(needle) {
                    offenders.push(format!("{} uses {needle}", path.display()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "only ui/src/ipc-call.ts may reach Tauri's IPC: {offenders:?}"
    );
}

/// The version of `name` in Cargo.lock (one version expected).
fn locked_version(name: &str) -> String {
    let lock = read(&root().join("Cargo.lock"));
    let versions: Vec<&str> = lock
        .split("[[package]]")
        .filter(|p| p.contains(&format!("\nname = \"{name}\"\n")))
        .filter_map(|p| p.split("version = \"").nth(1)?.split('"').next())
        .collect();
    assert_eq!(versions.len(), 1, "one locked {name}: {versions:?}");
    versions[0].to_string()
}

#[test]
fn the_app_is_single_instance() {
    let lib = read(&root().join("src-tauri/src/lib.rs"));
    let run = lib.split("pub fn run()").nth(1).expect("lib.rs has run()");
    let plugins: Vec<&str> = run
        .split(".plugin(")
        .skip(1)
        .map(|p| p.split('(').next().unwrap_or(""))
        .collect();
    assert_eq!(
        plugins.first().copied(),
        Some("single_instance"),
        "the single-instance plugin must be registered first (a second launch exits before any other set-up): {plugins:?}"
    );
    // Pinned exactly, to a release built for the Tauri minor version in Cargo.lock.
    let manifest = read(&root().join("Cargo.toml"));
    assert!(
        manifest.contains("tauri-plugin-single-instance = \"=2."),
        "tauri-plugin-single-instance is pinned exactly in Cargo.toml"
    );
    let tauri = locked_version("tauri");
    let plugin = locked_version("tauri-plugin-single-instance");
    assert!(
        tauri.starts_with("2.") && plugin.starts_with("2."),
        "a Tauri 2 plugin for Tauri 2: tauri {tauri}, plugin {plugin}"
    );
    // It needs no permission: the webview gets nothing from it.
    let generated = generated_capabilities();
    for cap in generated.values() {
        for id in permission_ids(cap) {
            assert!(
                !id.starts_with("single-instance"),
                "the webview must not be granted `{id}`"
            );
        }
    }
}
