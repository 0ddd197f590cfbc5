// An empty Tauri v2 app plus one probe: the page calls `ui_ready` when it is shown, and
// with FINANCE_REPORT_READY set the app prints `READY <ms since main()>`, exactly as the
// real app does when its login screen is interactive.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::sync::OnceLock;
use std::time::Instant;

static LAUNCHED: OnceLock<Instant> = OnceLock::new();

#[tauri::command]
fn ui_ready() {
    if std::env::var_os("FINANCE_REPORT_READY").is_some() {
        if let Some(t) = LAUNCHED.get() {
            println!("READY {}", t.elapsed().as_millis());
        }
    }
}

fn main() {
    LAUNCHED.get_or_init(Instant::now);
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ui_ready])
        .run(tauri::generate_context!())
        .expect("error while running the empty app");
}
