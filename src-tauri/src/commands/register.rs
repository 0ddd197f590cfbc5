//! The account register command: the body is [`finance_api::ops::register`].

use finance_api::types::{AccountRegisterInput, AccountRegisterPage};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

/// A page of one account's register (another user's account: `NotFound`, as a missing one).
#[tauri::command]
pub async fn account_register(
    state: State<'_, AppState>,
    input: AccountRegisterInput,
) -> ApiResult<AccountRegisterPage> {
    crate::forward!(state, register::account_register(input))
}
