//! IPC types of start-up and the account: the profile, the store in use, the
//! sign-in and settings forms.
//!
//! Invariants: no type here carries a session token or a password back to the
//! webview (inputs only); the MongoDB URI only travels inwards.

use finance_core::domain::{RegistrationDraft, User};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The signed-in user's profile (never a token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub currency: String,
    pub currency_digits: u32,
}

impl From<&User> for Profile {
    fn from(u: &User) -> Profile {
        Profile {
            id: u.id.to_hex(),
            username: u.username.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            email: u.email.clone(),
            currency: u.currency.code().to_string(),
            currency_digits: u32::from(u.currency.minor_digits()),
        }
    }
}

/// Which store is in use and where (no credentials).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreInfo {
    #[ts(type = "\"sqlite\" | \"mongodb\"")]
    pub kind: String,
    pub location: String,
    /// True when MongoDB is configured but the local store was chosen for now.
    pub fallback: bool,
    /// Where the installed app reads its `.env`.
    pub config_dir: String,
}

/// What the UI needs to draw its first screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartupState {
    pub version: String,
    pub store: Option<StoreInfo>,
    pub user: Option<Profile>,
    pub mongo_error: Option<String>,
    pub keyring_error: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegisterInput {
    pub username: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub currency: String,
}

impl From<RegisterInput> for RegistrationDraft {
    fn from(i: RegisterInput) -> RegistrationDraft {
        RegistrationDraft {
            username: i.username,
            password: i.password,
            first_name: i.first_name,
            last_name: i.last_name,
            email: i.email,
            currency: i.currency,
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordInput {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MongoUriInput {
    pub uri: String,
}

impl MongoUriInput {
    /// The trimmed URI, if it names MongoDB (`Validation { field: "uri" }` otherwise).
    pub fn validate(&self) -> Result<String, finance_core::Error> {
        let uri = self.uri.trim();
        if uri.starts_with("mongodb://") || uri.starts_with("mongodb+srv://") {
            Ok(uri.to_string())
        } else {
            Err(finance_core::Error::validation(
                "uri",
                "must start with mongodb:// or mongodb+srv://",
            ))
        }
    }
}
