//! IPC types of accounts: for now only what the import wizard's account
//! picker needs (the full accounts screen's views come with its branch).
//!
//! Invariants: ids cross as 24-character hex strings.

use finance_core::domain::Account;
use serde::Serialize;
use ts_rs::TS;

/// An account as a picker shows it (archived ones are listed and marked, so
/// a picker can leave them out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountChoiceView {
    pub id: String,
    pub name: String,
    pub archived: bool,
}

impl From<&Account> for AccountChoiceView {
    fn from(a: &Account) -> Self {
        AccountChoiceView {
            id: a.id.to_hex(),
            name: a.name.clone(),
            archived: a.archived,
        }
    }
}
