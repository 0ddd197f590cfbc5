//! Helpers shared by the app's command-level test binaries (`tests/commands.rs`,
//! `tests/revocation.rs`): invoking an IPC command on Tauri's mock runtime exactly as
//! the webview does.

use serde_json::{Value, json};
use tauri::test::MockRuntime;
use tauri::webview::InvokeRequest;

/// Invoke `cmd` on `webview` with `{input}` (or no arguments), as the UI's generated
/// `api.ts` does, and return the command's `Ok` JSON or its `{code, message}` error JSON.
pub fn invoke(
    webview: &tauri::WebviewWindow<MockRuntime>,
    cmd: &str,
    input: Option<Value>,
) -> Result<Value, Value> {
    let body = match input {
        Some(i) => json!({ "input": i }),
        None => json!({}),
    };
    tauri::test::get_ipc_response(
        webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().expect("json response"))
}
