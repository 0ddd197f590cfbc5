//! Start-up, sign-in and account commands: opening the store, registering,
//! logging in and out, the password, the MongoDB URI kept in the keyring.
//!
//! Invariants: sign-in keeps the token in the keyring or revokes it at once
//! (no session the app cannot resume); log-out forgets the token and every
//! opened import file whatever the store says, and a revocation the store did
//! not confirm stays pending ([`crate::revocations`]); changing the store
//! while signed in needs the password and signs out of the current store.

use chrono::Utc;
use finance_core::Finance;
use finance_core::domain::{Password, RegistrationDraft};
use tauri::State;

use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Backend};
use crate::vault;
use finance_api::types::{
    ChangePasswordInput, ClearMongoUriInput, CurrencyInput, CurrencyUsageView, DeleteAccountInput,
    LedgerIdInput, LoginInput, MongoUriInput, Profile, RegisterInput, ServerCheckView,
    ServerChoiceInput, ServerUrlInput, SignOutOutcome, StartupState,
};
use finance_client::{Fingerprint, ServerUrl, Trust};

#[tauri::command]
pub async fn startup(state: State<'_, AppState>) -> ApiResult<StartupState> {
    Ok(state.startup(Utc::now()).await)
}

#[tauri::command]
pub async fn retry_mongo(state: State<'_, AppState>) -> ApiResult<StartupState> {
    Ok(state.startup(Utc::now()).await)
}

#[tauri::command]
pub async fn use_local_store(state: State<'_, AppState>) -> ApiResult<StartupState> {
    Ok(state.use_local_store(Utc::now()).await)
}

#[tauri::command]
pub async fn register(state: State<'_, AppState>, input: RegisterInput) -> ApiResult<Profile> {
    if let Some(remote) = state.remote().await {
        state.require_keyring().await?;
        let login = LoginInput {
            username: input.username.clone(),
            password: input.password.clone(),
        };
        finance_client::session::register(&remote.server, input).await?;
        return state.remote_sign_in(&remote, login).await;
    }
    let reg = RegistrationDraft::from(input).validate()?;
    state.require_keyring().await?;
    let backend = state.backend().await?;
    let username = reg.username.as_str().to_string();
    let password = Password::for_login(reg.password.expose());
    if let Err(e) = backend.finance.register(reg, Utc::now()).await {
        state.store_failed(&e);
        return Err(e.into());
    }
    sign_in(&state, &backend, &username, &password).await
}

#[tauri::command]
pub async fn login(state: State<'_, AppState>, input: LoginInput) -> ApiResult<Profile> {
    state.require_keyring().await?;
    if let Some(remote) = state.remote().await {
        return state.remote_sign_in(&remote, input).await;
    }
    let backend = state.backend().await?;
    let password = Password::for_login(&input.password);
    sign_in(&state, &backend, &input.username, &password).await
}

/// Log in and keep the session in the keyring (revoked at once if it cannot be kept).
/// A log-in that reached the store retries pending sign-outs after an outage.
async fn sign_in(
    state: &AppState,
    backend: &Backend,
    username: &str,
    password: &Password,
) -> ApiResult<Profile> {
    let f: &Finance = &backend.finance;
    let now = Utc::now();
    let out = match f.login(username, password, now).await {
        Ok(out) => out,
        Err(e) => {
            state.store_failed(&e);
            return Err(e.into());
        }
    };
    if let Err(e) = state.keep_token(out.token.clone()).await {
        let _ = f.logout(out.token.expose()).await;
        return Err(e);
    }
    state.store_answered(backend, now).await;
    Ok(Profile::from(&out.user))
}

#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> ApiResult<SignOutOutcome> {
    let session_ended = state.sign_out(Utc::now()).await;
    state.imports().clear();
    state.undos().clear();
    Ok(SignOutOutcome { session_ended })
}

#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    input: ChangePasswordInput,
) -> ApiResult<()> {
    if let Some(remote) = state.remote().await {
        let s = state.remote_session(&remote).await?;
        let answer = finance_client::session::change_password(&s, input).await;
        return state.remote_answered(&s, answer).await;
    }
    let (f, user) = state.own_session(Utc::now()).await?;
    let current = Password::for_login(&input.current_password);
    Ok(f.change_password(&user, &current, &input.new_password)
        .await?)
}

/// Delete the signed-in user's account and everything of theirs on the store
/// (password required, throttled like log-in), then forget their session and
/// pending sign-outs in the keyring and every opened import or undo.
#[tauri::command]
pub async fn delete_my_account(
    state: State<'_, AppState>,
    input: DeleteAccountInput,
) -> ApiResult<()> {
    if let Some(remote) = state.remote().await {
        let s = state.remote_session(&remote).await?;
        let answer = finance_client::session::delete_my_account(&s, input).await;
        state.remote_answered(&s, answer).await?;
        state.forget_remote_user().await;
        state.imports().clear();
        state.undos().clear();
        tracing::info!("account deleted on the server");
        return Ok(());
    }
    let (f, user) = state.own_session(Utc::now()).await?;
    f.delete_account(&user, &Password::for_login(&input.password))
        .await?;
    state.forget_deleted_user(user.id()).await;
    state.imports().clear();
    state.undos().clear();
    tracing::info!("account deleted");
    Ok(())
}

/// Work in another household ledger (`ledgerId`, one is an active member
/// of) or one's own (`null`) from the next call on; answers the profile with
/// that ledger and its currency. Files opened for import and undos belong to
/// the ledger left, so they are dropped.
#[tauri::command]
pub async fn switch_ledger(state: State<'_, AppState>, input: LedgerIdInput) -> ApiResult<Profile> {
    let ledger = input.ledger()?;
    if let Some(remote) = state.remote().await {
        let s = state
            .remote_session(&remote)
            .await?
            .on_ledger(ledger.map(|l| l.to_hex()));
        let answer = finance_client::session::me(&s).await;
        let profile = state.remote_answered(&s, answer).await?;
        state.set_ledger((!profile.ledger.own).then_some(ledger).flatten());
        state.imports().clear();
        state.undos().clear();
        return Ok(profile);
    }
    let (f, user) = state.session_on(Utc::now(), ledger).await?;
    let me = f.profile(&user).await?;
    let access = f
        .ledgers(&user)
        .await?
        .into_iter()
        .find(|a| a.ledger == user.ledger())
        .ok_or(finance_core::Error::NotFound { what: "ledger" })?;
    state.set_ledger((!user.on_own_ledger()).then(|| user.ledger()));
    state.imports().clear();
    state.undos().clear();
    tracing::info!(own = user.on_own_ledger(), "switched ledger");
    Ok(Profile::working_in(&me, &access))
}

/// What holds amounts in the user's currency (Settings asks before offering a change).
#[tauri::command]
pub async fn currency_usage(state: State<'_, AppState>) -> ApiResult<CurrencyUsageView> {
    if let Some(remote) = state.remote().await {
        let s = state.remote_session(&remote).await?;
        let answer = finance_client::session::currency_usage(&s, ()).await;
        return state.remote_answered(&s, answer).await;
    }
    let (f, user) = state.session(Utc::now()).await?;
    Ok(f.currency_usage(&user).await?.into())
}

/// Change the user's currency while no amount is recorded in it
/// (`conflict` on `currency` otherwise, saying what holds amounts).
#[tauri::command]
pub async fn change_currency(
    state: State<'_, AppState>,
    input: CurrencyInput,
) -> ApiResult<Profile> {
    if let Some(remote) = state.remote().await {
        let s = state.remote_session(&remote).await?;
        let answer = finance_client::session::change_currency(&s, input).await;
        return state.remote_answered(&s, answer).await;
    }
    let currency = finance_core::Currency::parse("currency", &input.currency)?;
    let (f, user) = state.session(Utc::now()).await?;
    let profile = f.change_currency(&user, currency).await?;
    Ok(Profile::from(&profile))
}

#[tauri::command]
pub async fn set_mongodb_uri(
    state: State<'_, AppState>,
    input: MongoUriInput,
) -> ApiResult<SignOutOutcome> {
    let uri = input.validate()?;
    let now = Utc::now();
    state
        .confirm_store_change(input.password.as_deref(), now)
        .await?;
    let text = uri.expose().to_string();
    state
        .keyring(move |v| v.set(vault::MONGODB_URI, &text))
        .await
        .map_err(|e| crate::error::keyring_error(&e.0))?;
    forget_saved_server(&state).await?;
    tracing::info!(uri = %uri.redacted(), "MongoDB URI saved for the next start");
    change_store_sign_out(&state, now).await
}

#[tauri::command]
pub async fn clear_mongodb_uri(
    state: State<'_, AppState>,
    input: ClearMongoUriInput,
) -> ApiResult<SignOutOutcome> {
    let now = Utc::now();
    state
        .confirm_store_change(input.password.as_deref(), now)
        .await?;
    state
        .keyring(|v| v.delete(vault::MONGODB_URI))
        .await
        .map_err(|e| crate::error::keyring_error(&e.0))?;
    forget_saved_server(&state).await?;
    change_store_sign_out(&state, now).await
}

/// Another store was chosen in Settings: the server chosen there is not used any more.
async fn forget_saved_server(state: &AppState) -> ApiResult<()> {
    state
        .keyring(|v| v.delete(vault::SERVER))
        .await
        .map_err(|e| crate::error::keyring_error(&e.0))
}

/// Ask a server what it is and which certificate it presents, trusting
/// nothing (Settings shows the fingerprint to confirm).
#[tauri::command]
pub async fn check_server(input: ServerUrlInput) -> ApiResult<ServerCheckView> {
    let url = ServerUrl::parse("url", &input.url)?;
    let probe = finance_client::probe(&url).await.map_err(|mut e| {
        e.field.get_or_insert_with(|| "url".into());
        e
    })?;
    Ok(ServerCheckView {
        url: url.to_string(),
        version: probe.version,
        encrypted: url.is_tls(),
        fingerprint: probe.fingerprint.map(|f| f.to_string()),
        publicly_trusted: probe.publicly_trusted,
    })
}

/// Use a Finance server from the next start. The server is checked again:
/// without a fingerprint its certificate must be one an authority vouches
/// for (or the address plain http to this computer); with one, it must be
/// the certificate the server presents now.
#[tauri::command]
pub async fn set_server(
    state: State<'_, AppState>,
    input: ServerChoiceInput,
) -> ApiResult<SignOutOutcome> {
    let url = ServerUrl::parse("url", &input.url)?;
    let pin = match input.fingerprint.as_deref().map(str::trim) {
        Some(fp) if !fp.is_empty() => Some(Fingerprint::parse("fingerprint", fp)?),
        _ => None,
    };
    let probe = finance_client::probe(&url).await.map_err(|mut e| {
        e.field.get_or_insert_with(|| "url".into());
        e
    })?;
    let trust = match pin {
        Some(pin) if probe.fingerprint == Some(pin) => Trust::Pinned(pin),
        Some(_) => {
            return Err(finance_core::Error::validation(
                "fingerprint",
                "is not the fingerprint of the certificate the server presents now; check the server again",
            )
            .into());
        }
        None if probe.publicly_trusted || !url.is_tls() => Trust::Public,
        None => {
            return Err(finance_core::Error::validation(
                "fingerprint",
                "must be confirmed: no authority vouches for this server's certificate",
            )
            .into());
        }
    };
    let now = Utc::now();
    state
        .confirm_store_change(input.password.as_deref(), now)
        .await?;
    let choice = crate::state::ServerChoice { url, trust };
    let text = choice.encode();
    state
        .keyring(move |v| v.set(vault::SERVER, &text))
        .await
        .map_err(|e| crate::error::keyring_error(&e.0))?;
    tracing::info!(server = %choice.url, "Finance server saved for the next start");
    change_store_sign_out(&state, now).await
}

/// The store changes at the next start: end the session of the current one now,
/// so none is left behind on a store the app may never open again.
pub(crate) async fn change_store_sign_out(
    state: &AppState,
    now: chrono::DateTime<Utc>,
) -> ApiResult<SignOutOutcome> {
    let session_ended = state.sign_out(now).await;
    state.imports().clear();
    state.undos().clear();
    Ok(SignOutOutcome { session_ended })
}

#[tauri::command]
pub async fn open_config_dir<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> ApiResult<()> {
    use tauri_plugin_opener::OpenerExt;
    let dir = state.paths().config_dir.clone();
    if let Err(e) = std::fs::create_dir_all(&dir) {
        tracing::warn!(error = %e, "cannot create the config folder");
    }
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|e| ApiError::internal(format!("cannot open the folder: {e}")))
}

/// The UI reports its first screen is interactive. With `FINANCE_REPORT_READY` set,
/// the app prints `READY <ms since launch>` on stdout (start-up measurements).
#[tauri::command]
pub fn ui_ready() {
    if std::env::var_os("FINANCE_REPORT_READY").is_some() {
        println!("READY {}", crate::launched().elapsed().as_millis());
    }
}
