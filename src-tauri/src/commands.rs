//! IPC commands. Each converts its input, calls the core, converts the result.
//! Commands that act for a user authenticate the keyring-held token first
//! ([`AppState::session`]); none returns a token.

use std::collections::HashMap;

use chrono::{Local, NaiveDate, Utc};
use finance_core::domain::user::Password;
use finance_core::domain::{
    BudgetDraft, CategoryKind, CategoryName, DateRange, RegistrationDraft, TransactionDraft,
    TransactionFilter, TransactionQuery, TransactionSort,
};
use finance_core::{Currency, Finance, Id};
use tauri::State;

use crate::error::IpcResult;
use crate::ipc::*;
use crate::state::{AppState, bad_uri};

fn today() -> NaiveDate {
    Local::now().date_naive()
}

async fn category_names(
    f: &Finance,
    user: &finance_core::AuthUser,
) -> IpcResult<HashMap<Id, String>> {
    Ok(f.categories(user)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

fn name_of(names: &HashMap<Id, String>, id: Id) -> &str {
    names.get(&id).map(String::as_str).unwrap_or("")
}

// ---------------------------------------------------------------- start-up and account

#[tauri::command]
pub async fn startup(state: State<'_, AppState>) -> IpcResult<StartupState> {
    Ok(state.startup().await)
}

#[tauri::command]
pub async fn retry_mongo(state: State<'_, AppState>) -> IpcResult<StartupState> {
    Ok(state.startup().await)
}

#[tauri::command]
pub async fn use_local_store(state: State<'_, AppState>) -> IpcResult<StartupState> {
    Ok(state.use_local_store().await)
}

#[tauri::command]
pub async fn register(state: State<'_, AppState>, input: RegisterInput) -> IpcResult<Profile> {
    let reg = RegistrationDraft {
        username: input.username,
        password: input.password,
        first_name: input.first_name,
        last_name: input.last_name,
        email: input.email,
        currency: input.currency,
    }
    .validate()?;
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
    sign_in(
        &state,
        &backend.finance,
        &input.username,
        &Password::for_login(&input.password),
    )
    .await
}

async fn sign_in(
    state: &AppState,
    f: &Finance,
    username: &str,
    password: &Password,
) -> IpcResult<Profile> {
    let out = f.login(username, password, Utc::now()).await?;
    if let Err(e) = state.keep_token(out.token.clone()).await {
        // Without the keyring the session cannot be kept: revoke it at once.
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
    Ok(())
}

#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    input: ChangePasswordInput,
) -> IpcResult<()> {
    let (f, user) = state.session().await?;
    f.change_password(
        &user,
        &Password::for_login(&input.current_password),
        &input.new_password,
    )
    .await?;
    Ok(())
}

#[tauri::command]
pub async fn set_mongodb_uri(state: State<'_, AppState>, input: MongoUriInput) -> IpcResult<()> {
    let uri = input.uri.trim().to_string();
    if !(uri.starts_with("mongodb://") || uri.starts_with("mongodb+srv://")) {
        return Err(bad_uri());
    }
    state
        .keyring(move |v| v.set(crate::vault::MONGODB_URI, &uri))
        .await
        .map_err(|e| crate::error::IpcError::keyring(&e.0))
}

#[tauri::command]
pub async fn clear_mongodb_uri(state: State<'_, AppState>) -> IpcResult<()> {
    state
        .keyring(|v| v.delete(crate::vault::MONGODB_URI))
        .await
        .map_err(|e| crate::error::IpcError::keyring(&e.0))
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
        .map_err(|e| {
            crate::error::IpcError::new(
                crate::error::ErrorCode::Internal,
                format!("cannot open the folder: {e}"),
            )
        })
}

/// The UI reports its first screen is interactive. With `FINANCE_REPORT_READY` set,
/// the app prints `READY <ms since launch>` on stdout (start-up measurements).
#[tauri::command]
pub fn ui_ready() {
    if std::env::var_os("FINANCE_REPORT_READY").is_some() {
        println!("READY {}", crate::launched().elapsed().as_millis());
    }
}

// ---------------------------------------------------------------- categories

#[tauri::command]
pub async fn list_categories(state: State<'_, AppState>) -> IpcResult<Vec<CategoryView>> {
    let (f, user) = state.session().await?;
    Ok(f.categories(&user)
        .await?
        .iter()
        .map(CategoryView::from)
        .collect())
}

#[tauri::command]
pub async fn add_category(
    state: State<'_, AppState>,
    input: CategoryInput,
) -> IpcResult<CategoryView> {
    let name = CategoryName::parse("name", &input.name)?;
    let (f, user) = state.session().await?;
    let c = f
        .add_category(&user, name, CategoryKind::from(input.kind), Utc::now())
        .await?;
    Ok(CategoryView::from(&c))
}

#[tauri::command]
pub async fn rename_category(
    state: State<'_, AppState>,
    input: RenameCategoryInput,
) -> IpcResult<CategoryView> {
    let id = Id::parse("id", &input.id)?;
    let name = CategoryName::parse("name", &input.name)?;
    let (f, user) = state.session().await?;
    Ok(CategoryView::from(
        &f.rename_category(&user, id, name).await?,
    ))
}

#[tauri::command]
pub async fn category_usage(
    state: State<'_, AppState>,
    input: IdInput,
) -> IpcResult<CategoryUsageView> {
    let id = input.parse()?;
    let (f, user) = state.session().await?;
    let u = f.category_usage(&user, id).await?;
    Ok(CategoryUsageView {
        transactions: u32::try_from(u.transactions).unwrap_or(u32::MAX),
        budgets: u32::try_from(u.budgets).unwrap_or(u32::MAX),
    })
}

#[tauri::command]
pub async fn delete_category(
    state: State<'_, AppState>,
    input: DeleteCategoryInput,
) -> IpcResult<()> {
    let id = Id::parse("id", &input.id)?;
    let move_to = match input.move_to.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(m) => Some(Id::parse("moveTo", m)?),
    };
    let (f, user) = state.session().await?;
    Ok(f.delete_category(&user, id, move_to).await?)
}

// ---------------------------------------------------------------- budgets

async fn budget_views(
    f: &Finance,
    user: &finance_core::AuthUser,
    date: NaiveDate,
) -> IpcResult<Vec<BudgetView>> {
    let names = category_names(f, user).await?;
    let statuses = f.budget_statuses(user, date).await?;
    Ok(statuses
        .iter()
        .map(|s| BudgetView::new(s, name_of(&names, s.budget.category_id), user.currency()))
        .collect())
}

#[tauri::command]
pub async fn list_budgets(state: State<'_, AppState>) -> IpcResult<Vec<BudgetView>> {
    let (f, user) = state.session().await?;
    budget_views(&f, &user, today()).await
}

fn budget_draft(category_id: String, limit: String, period: PeriodView) -> BudgetDraft {
    BudgetDraft {
        category_id,
        limit,
        period: period.as_str().to_string(),
    }
}

async fn budget_view(f: &Finance, user: &finance_core::AuthUser, id: Id) -> IpcResult<BudgetView> {
    let s = f.budget_status(user, id, today()).await?;
    let names = category_names(f, user).await?;
    Ok(BudgetView::new(
        &s,
        name_of(&names, s.budget.category_id),
        user.currency(),
    ))
}

#[tauri::command]
pub async fn add_budget(state: State<'_, AppState>, input: BudgetInput) -> IpcResult<BudgetView> {
    let (f, user) = state.session().await?;
    let new =
        budget_draft(input.category_id, input.limit, input.period).validate(user.currency())?;
    let b = f.add_budget(&user, new, Utc::now()).await?;
    budget_view(&f, &user, b.id).await
}

#[tauri::command]
pub async fn update_budget(
    state: State<'_, AppState>,
    input: UpdateBudgetInput,
) -> IpcResult<BudgetView> {
    let id = Id::parse("id", &input.id)?;
    let (f, user) = state.session().await?;
    let change =
        budget_draft(input.category_id, input.limit, input.period).validate(user.currency())?;
    let b = f.update_budget(&user, id, change).await?;
    budget_view(&f, &user, b.id).await
}

#[tauri::command]
pub async fn delete_budget(state: State<'_, AppState>, input: IdInput) -> IpcResult<()> {
    let id = input.parse()?;
    let (f, user) = state.session().await?;
    Ok(f.delete_budget(&user, id).await?)
}

// ---------------------------------------------------------------- transactions

fn tx_draft(
    category_id: String,
    amount: String,
    date: String,
    description: String,
    note: Option<String>,
) -> TransactionDraft {
    TransactionDraft {
        category_id,
        amount,
        date,
        description,
        note,
    }
}

async fn tx_view(
    f: &Finance,
    user: &finance_core::AuthUser,
    t: &finance_core::domain::Transaction,
) -> IpcResult<TransactionView> {
    let names = category_names(f, user).await?;
    Ok(TransactionView::new(
        t,
        name_of(&names, t.category_id),
        user.currency(),
    ))
}

#[tauri::command]
pub async fn list_transactions(
    state: State<'_, AppState>,
    input: TransactionListInput,
) -> IpcResult<TransactionPage> {
    let (f, user) = state.session().await?;
    let page = list_page(&f, &user, input, user.currency()).await?;
    Ok(page)
}

async fn list_page(
    f: &Finance,
    user: &finance_core::AuthUser,
    input: TransactionListInput,
    currency: Currency,
) -> IpcResult<TransactionPage> {
    let filter = TransactionFilter::parse(
        input.from.as_deref(),
        input.to.as_deref(),
        &input.category_ids,
        input.kind.map(|k| CategoryKind::from(k).as_str()),
        input.text.as_deref(),
        input.min_amount.as_deref(),
        input.max_amount.as_deref(),
        currency,
    )?;
    let sort = input.sort.map(TransactionSort::from).unwrap_or_default();
    let query = TransactionQuery::new(filter, sort, input.limit, input.cursor.as_deref())?;
    let page = f.transactions(user, &query).await?;
    let names = category_names(f, user).await?;
    Ok(TransactionPage {
        items: page
            .items
            .iter()
            .map(|t| TransactionView::new(t, name_of(&names, t.category_id), currency))
            .collect(),
        next_cursor: page.next.map(|c| c.encode()),
    })
}

#[tauri::command]
pub async fn get_transaction(
    state: State<'_, AppState>,
    input: IdInput,
) -> IpcResult<TransactionView> {
    let id = input.parse()?;
    let (f, user) = state.session().await?;
    let t = f.transaction(&user, id).await?;
    tx_view(&f, &user, &t).await
}

#[tauri::command]
pub async fn add_transaction(
    state: State<'_, AppState>,
    input: TransactionInput,
) -> IpcResult<TransactionView> {
    let (f, user) = state.session().await?;
    let new = tx_draft(
        input.category_id,
        input.amount,
        input.date,
        input.description,
        input.note,
    )
    .validate(user.currency())?;
    let t = f.add_transaction(&user, new, Utc::now()).await?;
    tx_view(&f, &user, &t).await
}

#[tauri::command]
pub async fn update_transaction(
    state: State<'_, AppState>,
    input: UpdateTransactionInput,
) -> IpcResult<TransactionView> {
    let id = Id::parse("id", &input.id)?;
    let (f, user) = state.session().await?;
    let change = tx_draft(
        input.category_id,
        input.amount,
        input.date,
        input.description,
        input.note,
    )
    .validate(user.currency())?;
    let t = f.update_transaction(&user, id, change, Utc::now()).await?;
    tx_view(&f, &user, &t).await
}

#[tauri::command]
pub async fn delete_transaction(
    state: State<'_, AppState>,
    input: IdInput,
) -> IpcResult<TransactionView> {
    let id = input.parse()?;
    let (f, user) = state.session().await?;
    let t = f.transaction(&user, id).await?;
    let view = tx_view(&f, &user, &t).await?;
    f.delete_transaction(&user, id).await?;
    Ok(view)
}

#[tauri::command]
pub async fn summary(state: State<'_, AppState>, input: SummaryInput) -> IpcResult<SummaryView> {
    let from = finance_core::domain::date::parse_date("from", &input.from)?;
    let to = finance_core::domain::date::parse_date("to", &input.to)?;
    let range = DateRange::new(from, to)?;
    let (f, user) = state.session().await?;
    let s = f.summary(&user, range).await?;
    Ok(SummaryView::new(range, &s, user.currency()))
}

#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> IpcResult<Dashboard> {
    let (f, user) = state.session().await?;
    let today = today();
    let month = DateRange::month_of(today);
    let s = f.summary(&user, month).await?;
    let budgets = budget_views(&f, &user, today).await?;
    let latest = list_page(
        &f,
        &user,
        TransactionListInput {
            limit: Some(8),
            ..Default::default()
        },
        user.currency(),
    )
    .await?;
    Ok(Dashboard {
        month: SummaryView::new(month, &s, user.currency()),
        budgets,
        latest: latest.items,
    })
}
