//! Account commands: for now the list the import wizard's account picker
//! reads (every read scoped by the signed-in user's id).

use chrono::Utc;
use tauri::State;

use crate::error::IpcResult;
use crate::ipc::AccountChoiceView;
use crate::state::AppState;

/// The user's accounts in display order, archived ones included (marked).
#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> IpcResult<Vec<AccountChoiceView>> {
    let (f, user) = state.session(Utc::now()).await?;
    let list = f.accounts(&user).await?;
    Ok(list.iter().map(AccountChoiceView::from).collect())
}
