//! Start-up, sign-in and account commands: opening the store, registering,
//! logging in and out, the password, the MongoDB URI kept in the keyring.
//!
//! Invariants: sign-in keeps the token in the keyring or revokes it at once
//! (no session the app cannot resume); log-out forgets the token and every
//! opened import file whatever the store says.

use chrono::Utc;
use finance_core::Finance;
use finance_core::domain::{Password, RegistrationDraft};
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::ipc::{
    ChangePasswordInput, LoginInput, MongoUriInput, Profile, RegisterInput, StartupState,
};
use crate::state::AppState;
use crate::vault;

#[tauri::command]
pub async fn startup(state: State<'_, AppState>) -> IpcResult<StartupState> {
    Ok(state.startup(Utc::now()).await)
}

#[tauri::command]
pub async fn retry_mongo(state: State<'_, AppState>) -> IpcResult<StartupState> {
    Ok(state.startup(Utc::now()).await)
}

#[tauri::command]
pub async fn use_local_store(state: State<'_, AppState>) -> IpcResult<StartupState> {
    Ok(state.use_local_store(Utc::now()).await)
}

#[tauri::command]
pub async fn register(state: State<'_, AppState>, input: RegisterInput) -> IpcResult<Profile> {
    let reg = RegistrationDraft::from(input).validate()?;
    state.require_keyring().await?;
    let backend = state.backend().await?;
    let username = reg.username.as_str().to_string();
    let password = Password::for_login(reg.password.expose());
    backend.finance.register(reg, Utc::now()).await?;
    sign_in(&state, &backend.finance, &username, &password).await
}

#[tauri::command]
pub async fn login(state: State<'_, AppState>, input: LoginInput) -> IpcResult<Profile> {
    state.require_keyring().await?;
    let backend = state.backend().await?;
    let password = Password::for_login(&input.password);
    sign_in(&state, &backend.finance, &input.username, &password).await
}

/// Log in and keep the session in the keyring (revoked at once if it cannot be kept).
async fn sign_in(
    state: &AppState,
    f: &Finance,
    username: &str,
    password: &Password,
) -> IpcResult<Profile> {
    let out = f.login(username, password, Utc::now()).await?;
    if let Err(e) = state.keep_token(out.token.clone()).await {
        let _ = f.logout(out.token.expose()).await;
        return Err(e);
    }
    Ok(Profile::from(&out.user))
}

#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> IpcResult<()> {
    let token = state.current_token().await.ok().flatten();
    if let (Some(token), Ok(backend)) = (token, state.backend().await) {
        // Revoke in the store first; the keyring entry goes either way.
        if let Err(e) = backend.finance.logout(token.expose()).await {
            tracing::warn!(code = %e.code(), "log-out could not revoke the session in the store");
        }
    }
    state.forget_token().await;
    state.imports().clear();
    Ok(())
}

#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    input: ChangePasswordInput,
) -> IpcResult<()> {
    let (f, user) = state.session(Utc::now()).await?;
    let current = Password::for_login(&input.current_password);
    Ok(f.change_password(&user, &current, &input.new_password)
        .await?)
}

#[tauri::command]
pub async fn set_mongodb_uri(state: State<'_, AppState>, input: MongoUriInput) -> IpcResult<()> {
    let uri = input.validate()?;
    state
        .keyring(move |v| v.set(vault::MONGODB_URI, &uri))
        .await
        .map_err(|e| IpcError::keyring(&e.0))
}

#[tauri::command]
pub async fn clear_mongodb_uri(state: State<'_, AppState>) -> IpcResult<()> {
    state
        .keyring(|v| v.delete(vault::MONGODB_URI))
        .await
        .map_err(|e| IpcError::keyring(&e.0))
}

#[tauri::command]
pub async fn open_config_dir<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<()> {
    use tauri_plugin_opener::OpenerExt;
    let dir = state.paths().config_dir.clone();
    if let Err(e) = std::fs::create_dir_all(&dir) {
        tracing::warn!(error = %e, "cannot create the config folder");
    }
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|e| IpcError::internal(format!("cannot open the folder: {e}")))
}

/// The UI reports its first screen is interactive. With `FINANCE_REPORT_READY` set,
/// the app prints `READY <ms since launch>` on stdout (start-up measurements).
#[tauri::command]
pub fn ui_ready() {
    if std::env::var_os("FINANCE_REPORT_READY").is_some() {
        println!("READY {}", crate::launched().elapsed().as_millis());
    }
}
