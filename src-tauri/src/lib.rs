//! # finance-app
//!
//! The desktop shell: Tauri v2 commands over `finance-core`. Commands are
//! thin (convert, call the core, convert back); state, keyring access and
//! start-up live in [`state`] and [`vault`]; how the webview draws in [`webview`]; IPC types in [`ipc`] and [`error`];
//! the one command list, and what is generated from it, in [`contract`].

pub mod commands;
pub mod contract;
pub mod error;
pub mod imports;
pub mod ipc;
pub mod state;
pub mod vault;
pub mod webview;

use std::path::PathBuf;

use tauri::Manager;

use crate::state::{AppPaths, AppState};
use crate::vault::Vault;

/// The command handler, shared by the app and the command tests: every command
/// of the one list in [`contract`] (`ipc_commands!`).
#[macro_export]
macro_rules! handler {
    () => {
        $crate::ipc_commands!(handler)
    };
}

/// The `.env` the app reads: the repository's in development, the OS config dir's when installed.
pub fn dotenv_path(config_dir: &std::path::Path) -> PathBuf {
    if cfg!(debug_assertions) {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.env"))
    } else {
        config_dir.join(".env")
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

static LAUNCHED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// When `run` started (the first thing `main` does).
pub fn launched() -> std::time::Instant {
    *LAUNCHED.get_or_init(std::time::Instant::now)
}

/// Build and run the app.
pub fn run() {
    launched();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let paths = AppPaths {
                data_dir: app.path().app_data_dir()?,
                config_dir: app.path().app_config_dir()?,
            };
            let dotenv = dotenv_path(&paths.config_dir);
            let config = match finance_core::Config::load(Some(&dotenv)) {
                Ok(c) => c,
                Err(e) => {
                    // A bad .env must not stop the app: fall back to the environment alone.
                    eprintln!("configuration problem ({}): {e}", dotenv.display());
                    finance_core::Config::from_lookup(|k| std::env::var(k).ok()).unwrap_or_default()
                }
            };
            init_logging();
            tracing::info!(config = ?config, "starting");
            if let Some(window) = app.get_webview_window("main") {
                webview::configure(&window);
            }
            let service = app.config().identifier.clone();
            app.manage(AppState::new(config, paths, Vault::new(service)));
            Ok(())
        })
        .invoke_handler(handler!())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error while running the app: {e}");
        std::process::exit(1);
    }
}
