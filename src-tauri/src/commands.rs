//! IPC commands. Each converts its input, calls the core, converts the result.
//! Commands that act for a user authenticate the keyring-held token first
//! ([`AppState::session`]); none returns a token.

use std::collections::HashMap;

use chrono::{Local, NaiveDate, Utc};
use finance_core::csv_io;
use finance_core::domain::user::Password;
use finance_core::domain::{
    BudgetDraft, CategoryKind, CategoryName, DateRange, IDEMPOTENCY_FIELD, IdempotencyKey,
    RegistrationDraft, TransactionDraft, TransactionFilter, TransactionQuery, TransactionSort,
};
use finance_core::money::format_minor;
use finance_core::{Currency, Finance, Id};
use tauri::State;

use crate::error::{ErrorCode, IpcError, IpcResult};
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
    state.imports().clear();
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

/// The optional idempotency key of a write (`Validation { field: "idempotencyKey" }` when malformed).
fn idempotency_key(raw: Option<&str>) -> Result<Option<IdempotencyKey>, finance_core::Error> {
    raw.map(|k| IdempotencyKey::parse(IDEMPOTENCY_FIELD, k))
        .transpose()
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
    let t = match idempotency_key(input.idempotency_key.as_deref())? {
        Some(key) => {
            f.add_transaction_with_key(&user, new, &key, Utc::now())
                .await?
        }
        None => f.add_transaction(&user, new, Utc::now()).await?,
    };
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

// ---------------------------------------------------------------- reports

#[tauri::command]
pub async fn report(state: State<'_, AppState>, input: ReportInput) -> IpcResult<ReportView> {
    let from = finance_core::domain::date::parse_date("from", &input.from)?;
    let to = finance_core::domain::date::parse_date("to", &input.to)?;
    let range = DateRange::new(from, to)?;
    let (f, user) = state.session().await?;
    let r = f.report(&user, range).await?;
    let names = category_names(&f, &user).await?;
    Ok(report_view(&r, &names, user.currency()))
}

fn report_view(
    r: &finance_core::domain::report::Report,
    names: &HashMap<Id, String>,
    currency: Currency,
) -> ReportView {
    let amounts: Vec<i64> = r.by_category.iter().map(|c| c.amount).collect();
    let shares = basis_points(&amounts, r.total_expense);
    ReportView {
        from: r.range.from().to_string(),
        to: r.range.to().to_string(),
        total_income: format_minor(r.total_income, currency),
        total_expense: format_minor(r.total_expense, currency),
        by_category: r
            .by_category
            .iter()
            .zip(shares)
            .map(|(c, bp)| CategorySpendingView {
                category_id: c.category_id.to_hex(),
                name: c.name.clone(),
                amount: format_minor(c.amount, currency),
                count: count32(c.count),
                basis_points: bp,
            })
            .collect(),
        monthly: r
            .monthly
            .iter()
            .map(|m| MonthTotalsView {
                month: m.month.format("%Y-%m").to_string(),
                income: format_minor(m.income, currency),
                expense: format_minor(m.expense, currency),
                net: format_minor(m.income.saturating_sub(m.expense), currency),
            })
            .collect(),
        budgets: r
            .budgets
            .iter()
            .map(|b| BudgetActualView {
                budget_id: b.budget.id.to_hex(),
                category_id: b.budget.category_id.to_hex(),
                category_name: b.category_name.clone(),
                period: b.budget.period.into(),
                limit: format_minor(b.limit, currency),
                spent: format_minor(b.spent, currency),
                state: b.state.into(),
            })
            .collect(),
        largest: r
            .largest
            .iter()
            .map(|t| TransactionView::new(t, name_of(names, t.category_id), currency))
            .collect(),
        frequent: r
            .frequent
            .iter()
            .map(|d| DescriptionFrequencyView {
                description: d.description.clone(),
                count: count32(d.count),
                total: format_minor(d.total, currency),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------- CSV export

fn list_filter(input: &TransactionListInput, currency: Currency) -> IpcResult<TransactionFilter> {
    Ok(TransactionFilter::parse(
        input.from.as_deref(),
        input.to.as_deref(),
        &input.category_ids,
        input.kind.map(|k| CategoryKind::from(k).as_str()),
        input.text.as_deref(),
        input.min_amount.as_deref(),
        input.max_amount.as_deref(),
        currency,
    )?)
}

fn file_problem(message: String) -> IpcError {
    IpcError {
        code: ErrorCode::Internal,
        message,
        field: None,
        retry_after_secs: None,
    }
}

/// Ask where to save (the OS dialog, opened from Rust), then stream the
/// transactions matching the filter there. `path` is null when cancelled.
#[tauri::command]
pub async fn export_csv<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    input: ExportCsvInput,
) -> IpcResult<ExportCsvResult> {
    use tauri_plugin_dialog::DialogExt;
    let (f, user) = state.session().await?;
    let filter = match &input.filter {
        Some(l) => list_filter(l, user.currency())?,
        None => TransactionFilter::default(),
    };
    let dialog = app
        .dialog()
        .file()
        .add_filter("CSV", &["csv"])
        .set_file_name("transactions.csv");
    let chosen = tokio::task::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| file_problem(format!("the save dialog failed: {e}")))?;
    let Some(chosen) = chosen else {
        return Ok(ExportCsvResult {
            path: None,
            rows: 0,
        });
    };
    let path = chosen
        .into_path()
        .map_err(|e| file_problem(format!("cannot save there: {e}")))?;
    let rows = write_export(&f, &user, filter, &path).await?;
    Ok(ExportCsvResult {
        path: Some(path.display().to_string()),
        rows: count32(rows),
    })
}

/// Write to `<name>.part` beside the target, then rename: a failed export leaves no half file.
async fn write_export(
    f: &Finance,
    user: &finance_core::AuthUser,
    filter: TransactionFilter,
    path: &std::path::Path,
) -> IpcResult<u64> {
    use std::io::Write;
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = std::path::PathBuf::from(part);
    let cannot = |e: std::io::Error| file_problem(format!("cannot write {}: {e}", path.display()));
    let file = std::fs::File::create(&part).map_err(cannot)?;
    let mut out = std::io::BufWriter::new(file);
    let result = async {
        let rows = f.export_csv(user, filter, &mut out).await?;
        out.flush().map_err(cannot)?;
        drop(out);
        std::fs::rename(&part, path).map_err(cannot)?;
        Ok::<u64, IpcError>(rows)
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    result
}

// ---------------------------------------------------------------- CSV import

fn settings_from_view(v: &ImportSettingsView) -> IpcResult<csv_io::ImportSettings> {
    let delimiter = match v.delimiter.as_bytes() {
        [b] if b.is_ascii() && !b.is_ascii_alphanumeric() && *b != b'"' => *b,
        _ => {
            return Err(IpcError {
                code: ErrorCode::Validation,
                message: "must be one character such as , ; | or a tab".into(),
                field: Some("delimiter".into()),
                retry_after_secs: None,
            });
        }
    };
    let col = |c: u32| usize::try_from(c).unwrap_or(usize::MAX);
    Ok(csv_io::ImportSettings {
        delimiter,
        has_header: v.has_header,
        date: col(v.date),
        amount: match v.amount {
            AmountColumnsView::Single { column } => csv_io::AmountColumns::Single(col(column)),
            AmountColumnsView::DebitCredit { debit, credit } => {
                csv_io::AmountColumns::DebitCredit {
                    debit: col(debit),
                    credit: col(credit),
                }
            }
        },
        description: col(v.description),
        category: v.category.map(col),
        note: v.note.map(col),
        kind: v.kind.map(col),
        date_format: csv_io::DateFormat::parse("dateFormat", v.date_format.as_str())?,
        decimal: match v.decimal {
            DecimalSeparatorView::Dot => csv_io::DecimalSeparator::Dot,
            DecimalSeparatorView::Comma => csv_io::DecimalSeparator::Comma,
        },
    })
}

fn settings_view(s: &csv_io::ImportSettings) -> ImportSettingsView {
    ImportSettingsView {
        delimiter: char::from(s.delimiter).to_string(),
        has_header: s.has_header,
        date: count32(s.date),
        amount: match s.amount {
            csv_io::AmountColumns::Single(c) => AmountColumnsView::Single { column: count32(c) },
            csv_io::AmountColumns::DebitCredit { debit, credit } => {
                AmountColumnsView::DebitCredit {
                    debit: count32(debit),
                    credit: count32(credit),
                }
            }
        },
        description: count32(s.description),
        category: s.category.map(count32),
        note: s.note.map(count32),
        kind: s.kind.map(count32),
        date_format: DateFormatView::from_str_opt(s.date_format.as_str())
            .unwrap_or(DateFormatView::YmdDash),
        decimal: match s.decimal {
            csv_io::DecimalSeparator::Dot => DecimalSeparatorView::Dot,
            csv_io::DecimalSeparator::Comma => DecimalSeparatorView::Comma,
        },
    }
}

fn mappings_from_view(list: &[CategoryMappingView]) -> IpcResult<Vec<csv_io::CategoryMapping>> {
    list.iter()
        .map(|m| {
            let kind = CategoryKind::from(m.kind);
            let target = match &m.target {
                MappingTargetView::Existing { id } => {
                    csv_io::CategoryTarget::Existing(Id::parse("mappings", id)?)
                }
                MappingTargetView::Create { name } => csv_io::CategoryTarget::Create {
                    name: CategoryName::parse("mappings", name)?,
                    kind,
                },
            };
            Ok(csv_io::CategoryMapping {
                csv_name: m.csv_name.clone(),
                kind,
                target,
            })
        })
        .collect()
}

/// How many preview rows `import_open` returns.
const PREVIEW_ROWS: usize = 10;

async fn open_import(
    state: &AppState,
    path: Option<std::path::PathBuf>,
) -> IpcResult<Option<ImportFileView>> {
    let (_, user) = state.session().await?;
    let Some(path) = path else { return Ok(None) };
    let (name, bytes) = tokio::task::spawn_blocking(move || crate::imports::read_file(&path))
        .await
        .map_err(|e| file_problem(format!("reading the file failed: {e}")))??;
    let preview = csv_io::sniff_csv(&bytes)?;
    let view = ImportFileView {
        file_id: String::new(),
        file_name: name.clone(),
        size_bytes: count32(bytes.len()),
        delimiter: char::from(preview.delimiter).to_string(),
        header: preview.header.clone(),
        preview: preview.rows.iter().take(PREVIEW_ROWS).cloned().collect(),
        guess: settings_view(&preview.guess),
    };
    let file_id = state.imports().insert(user.id(), name, bytes);
    Ok(Some(ImportFileView { file_id, ..view }))
}

/// Ask for a CSV file (the OS dialog, opened from Rust), read and keep it,
/// and return a preview with guessed settings; null when cancelled.
#[tauri::command]
pub async fn import_open<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<Option<ImportFileView>> {
    use tauri_plugin_dialog::DialogExt;
    state.session().await?;
    let dialog = app.dialog().file().add_filter("CSV", &["csv", "txt"]);
    let chosen = tokio::task::spawn_blocking(move || dialog.blocking_pick_file())
        .await
        .map_err(|e| file_problem(format!("the open dialog failed: {e}")))?;
    let path = match chosen {
        Some(p) => Some(
            p.into_path()
                .map_err(|e| file_problem(format!("cannot open that file: {e}")))?,
        ),
        None => None,
    };
    open_import(&state, path).await
}

/// End-to-end builds only (`--features e2e`): `import_open` for a file by path,
/// which must lie in the folder `FINANCE_E2E_IMPORT_DIR` names. Refused otherwise.
#[tauri::command]
pub async fn import_open_path(
    state: State<'_, AppState>,
    input: ImportOpenPathInput,
) -> IpcResult<Option<ImportFileView>> {
    let refused = || IpcError::new(ErrorCode::NotFound, "not available in this build");
    if !cfg!(feature = "e2e") {
        return Err(refused());
    }
    let dir = std::env::var_os("FINANCE_E2E_IMPORT_DIR").ok_or_else(refused)?;
    let dir = std::fs::canonicalize(dir).map_err(|_| refused())?;
    let path = std::fs::canonicalize(&input.path).map_err(|_| refused())?;
    if !path.starts_with(&dir) {
        return Err(refused());
    }
    open_import(&state, Some(path)).await
}

fn preview_view(plan: &csv_io::ImportPlan, currency: Currency) -> ImportPreviewView {
    ImportPreviewView {
        total: count32(plan.total),
        ready: count32(plan.rows.len()),
        duplicates: count32(plan.duplicates),
        error_count: count32(plan.errors.len()),
        errors: plan
            .errors
            .iter()
            .take(200)
            .map(|e| LineErrorView {
                line: count32(e.line),
                field: e.field.clone(),
                reason: e.reason.clone(),
            })
            .collect(),
        unknown_categories: plan
            .unknown_categories
            .iter()
            .map(|(name, kind)| UnknownCategoryView {
                name: name.clone(),
                kind: (*kind).into(),
            })
            .collect(),
        sample: plan
            .rows
            .iter()
            .take(20)
            .map(|r| PlannedRowView {
                line: count32(r.line),
                date: r.date.to_string(),
                description: r.description.clone(),
                category: r.category.clone(),
                kind: r.kind.into(),
                amount: r.amount.format(currency),
                duplicate: r.duplicate,
            })
            .collect(),
    }
}

/// What importing the file with these settings would do. Saves nothing.
#[tauri::command]
pub async fn import_preview(
    state: State<'_, AppState>,
    input: ImportPreviewInput,
) -> IpcResult<ImportPreviewView> {
    let (f, user) = state.session().await?;
    let (_, bytes) = state.imports().get(user.id(), &input.file_id)?;
    let settings = settings_from_view(&input.settings)?;
    let mappings = mappings_from_view(&input.mappings)?;
    let plan = f.import_plan(&user, &bytes, &settings, &mappings).await?;
    Ok(preview_view(&plan, user.currency()))
}

/// Import the file (all rows in one write), sending `import-progress` events;
/// the file is forgotten afterwards.
#[tauri::command]
pub async fn import_commit<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    input: ImportCommitInput,
) -> IpcResult<ImportSummaryView> {
    use tauri::Emitter;
    let (f, user) = state.session().await?;
    let (_, bytes) = state.imports().get(user.id(), &input.file_id)?;
    let settings = settings_from_view(&input.settings)?;
    let mappings = mappings_from_view(&input.mappings)?;
    let key = idempotency_key(input.idempotency_key.as_deref())?;
    // At most about a hundred events, whatever the file's size.
    let last = std::sync::atomic::AtomicU64::new(u64::MAX);
    let progress = move |done: u64, total: u64| {
        let step = (total / 100).max(1);
        let bucket = done / step;
        if done == total || last.swap(bucket, std::sync::atomic::Ordering::Relaxed) != bucket {
            let _ = app.emit(
                IMPORT_PROGRESS_EVENT,
                ImportProgress {
                    done: count32(done),
                    total: count32(total),
                },
            );
        }
    };
    let summary = f
        .import_commit_with_key(
            &user,
            &bytes,
            &settings,
            &mappings,
            input.skip_duplicates,
            key.as_ref(),
            Utc::now(),
            &progress,
        )
        .await?;
    state.imports().remove(user.id(), &input.file_id);
    Ok(ImportSummaryView {
        imported: count32(summary.imported),
        skipped_duplicates: count32(summary.skipped_duplicates),
        created_categories: count32(summary.created_categories),
    })
}

/// Forget an opened file (the wizard was closed without importing).
#[tauri::command]
pub async fn import_discard(state: State<'_, AppState>, input: FileIdInput) -> IpcResult<()> {
    let (_, user) = state.session().await?;
    state.imports().remove(user.id(), &input.file_id);
    Ok(())
}
