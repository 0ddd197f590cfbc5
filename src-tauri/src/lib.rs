//! # finance-app
//!
//! The desktop shell: Tauri v2 commands over `finance-core`. Commands are
//! thin (convert, call the core, convert back); state, keyring access and
//! start-up live in [`state`] and [`vault`], pending sign-outs in
//! [`revocations`]; how the webview draws in [`webview`]; the types that cross IPC in
//! the `finance-api` crate, keyring errors in [`error`]; the one command list, and what is generated from
//! it, in [`contract`].
//!
//! The app is single-instance ([`single_instance`]): a second launch hands
//! over to the first, which comes to the front, and exits.

pub mod commands;
pub mod contract;
pub mod error;
pub mod imports;
pub mod revocations;
pub mod state;
pub mod undo;
pub mod vault;
pub mod webview;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use tauri::plugin::TauriPlugin;
use tauri::{Manager, Runtime};

use crate::state::{AppPaths, AppState, ServerChoice};
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

static SECOND_LAUNCHES: AtomicU64 = AtomicU64::new(0);

/// How many later launches this instance took over (for the tests).
pub fn second_launches() -> u64 {
    SECOND_LAUNCHES.load(Ordering::SeqCst)
}

/// One instance per user session: a second launch passes control to the
/// first (over D-Bus on Linux, a named mutex on Windows, a socket on macOS)
/// and exits, and the first brings its window to the front. Two instances
/// would share the keyring's session and the SQLite file. `dbus_id` replaces
/// the app identifier as the instance name (tests use a unique one). Without a
/// session bus the app starts normally.
pub fn single_instance<R: Runtime>(dbus_id: Option<String>) -> TauriPlugin<R> {
    let mut builder = tauri_plugin_single_instance::Builder::new().callback(|app, _args, _cwd| {
        SECOND_LAUNCHES.fetch_add(1, Ordering::SeqCst);
        tracing::info!("another launch of the app: showing this window instead");
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
    });
    if let Some(id) = dbus_id {
        builder = builder.dbus_id(id);
    }
    builder.build()
}

/// Build and run the app.
pub fn run() {
    launched();
    let result = tauri::Builder::default()
        // First, so a second instance exits before anything else is set up.
        .plugin(single_instance(None))
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let paths = AppPaths {
                data_dir: app.path().app_data_dir()?,
                config_dir: app.path().app_config_dir()?,
            };
            let dotenv = dotenv_path(&paths.config_dir);
            let config = finance_core::Config::load(Some(&dotenv)).and_then(|c| {
                let server = ServerChoice::from_lookup(|k| std::env::var(k).ok())?;
                Ok((c, server))
            });
            init_logging();
            let vault = Vault::new(app.config().identifier.clone());
            let state = match config {
                Ok((config, server)) => {
                    tracing::info!(config = ?config, server = ?server.as_ref().map(|s| s.url.to_string()), "starting");
                    AppState::new(config, paths, vault).with_server(server)
                }
                Err(problem) => {
                    // Never a silent default: the window says what to fix (the
                    // message names the variable and never quotes its value).
                    tracing::error!(%problem, env_file = %dotenv.display(), "configuration refused");
                    AppState::refusing(&problem, paths, vault)
                }
            };
            if let Some(window) = app.get_webview_window("main") {
                webview::configure(&window);
            }
            app.manage(state);
            Ok(())
        })
        .invoke_handler(handler!())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error while running the app: {e}");
        std::process::exit(1);
    }
}
