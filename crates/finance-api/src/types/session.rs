//! IPC types of start-up and the account: the profile, the store in use, the
//! sign-in and settings forms.
//!
//! Invariants: no type here carries a session token or a password back to the
//! webview (inputs only); the MongoDB URI only travels inwards; inputs that
//! hold a password or a URI have a redacting `Debug`.

use std::fmt;

use finance_core::config::MongoUri;
use finance_core::domain::{LedgerAccess, RegistrationDraft, User};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::members::LedgerView;

/// The signed-in user's profile (never a token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// The currency of the ledger in hand (amounts are shown in it).
    pub currency: String,
    pub currency_digits: u32,
    /// The household ledger the person works in (their own after sign-in).
    pub ledger: LedgerView,
}

/// What holds amounts in the user's currency; the currency can change only
/// while `canChange` (nothing does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CurrencyUsageView {
    pub transactions: u32,
    pub budgets: u32,
    /// Accounts with an opening balance or a reconciled statement.
    pub balances: u32,
    pub schedules: u32,
    /// Rules with an amount condition.
    pub rules: u32,
    pub can_change: bool,
}

impl From<finance_core::domain::CurrencyUsage> for CurrencyUsageView {
    fn from(u: finance_core::domain::CurrencyUsage) -> Self {
        CurrencyUsageView {
            transactions: super::count32(u.transactions),
            budgets: super::count32(u.budgets),
            balances: super::count32(u.balances),
            schedules: super::count32(u.schedules),
            rules: super::count32(u.rules),
            can_change: !u.is_used(),
        }
    }
}

/// A new currency (ISO 4217 code) for a user whose amounts do not depend on it.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CurrencyInput {
    pub currency: String,
}

impl From<&User> for Profile {
    /// The person working in their own ledger.
    fn from(u: &User) -> Profile {
        let own = LedgerAccess {
            ledger: u.id,
            owner_name: format!("{} {}", u.first_name, u.last_name)
                .trim()
                .to_string(),
            owner_username: u.username.clone(),
            role: finance_core::domain::Role::Owner,
            currency: u.currency,
        };
        Profile::working_in(u, &own)
    }
}

impl Profile {
    /// The person `u` working in the ledger `access` (amounts in its currency).
    pub fn working_in(u: &User, access: &LedgerAccess) -> Profile {
        Profile {
            id: u.id.to_hex(),
            username: u.username.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            email: u.email.clone(),
            currency: access.currency.code().to_string(),
            currency_digits: u32::from(access.currency.minor_digits()),
            ledger: LedgerView::new(access, u.id),
        }
    }
}

/// Which store is in use and where (no credentials).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StartupState {
    pub version: String,
    pub store: Option<StoreInfo>,
    pub user: Option<Profile>,
    pub mongo_error: Option<String>,
    pub keyring_error: Option<String>,
    /// The configuration (`.env` or the environment) was refused: why, naming
    /// the variable. Nothing else is set up; the app needs a restart once fixed.
    pub config_error: Option<String>,
    /// The MongoDB database in use holds more than one account: whoever has its
    /// URI can read and write all of them (a notice, not an error).
    pub shared_database: bool,
}

/// What a sign-out achieved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignOutOutcome {
    /// The store confirmed the session ended. `false`: signed out on this
    /// computer; the session will be ended on the server when it is reachable.
    pub session_ended: bool,
}

/// `Debug` for an input, with the named fields hidden.
macro_rules! redacted_debug {
    ($ty:ident { $($shown:ident),* } hides { $($hidden:ident),* }) => {
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($shown), &self.$shown))*
                    $(.field(stringify!($hidden), &"<redacted>"))*
                    .finish()
            }
        }
    };
}

#[derive(Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegisterInput {
    pub username: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub currency: String,
}

redacted_debug!(RegisterInput { username, first_name, last_name, email, currency } hides { password });

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

#[derive(Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

redacted_debug!(LoginInput { username } hides { password });

#[derive(Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordInput {
    pub current_password: String,
    pub new_password: String,
}

redacted_debug!(ChangePasswordInput {} hides { current_password, new_password });

/// Settings → Delete my account: the user's current password.
#[derive(Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteAccountInput {
    pub password: String,
}

redacted_debug!(DeleteAccountInput {} hides { password });

/// A MongoDB URI for Settings. While signed in, `password` must be the user's.
#[derive(Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MongoUriInput {
    pub uri: String,
    /// The user confirmed that a server reached without TLS is on their own network.
    #[serde(default)]
    pub own_network: bool,
    #[serde(default)]
    pub password: Option<String>,
}

redacted_debug!(MongoUriInput { own_network } hides { uri, password });

impl MongoUriInput {
    /// The checked URI (`Validation { field: "uri" }` naming the problem).
    pub fn validate(&self) -> Result<MongoUri, finance_core::Error> {
        MongoUri::parse(&self.uri, self.own_network).map_err(|p| p.into_error("uri"))
    }
}

/// Going back to the local store. While signed in, `password` must be the user's.
#[derive(Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClearMongoUriInput {
    #[serde(default)]
    pub password: Option<String>,
}

redacted_debug!(ClearMongoUriInput {} hides { password });
