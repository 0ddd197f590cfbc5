//! [`Finance`]: the operations the app offers, over any [`Store`], one file
//! per area: [`users`] (register, log in/out, sessions, profile), [`accounts`],
//! [`balances`] (balance on a date, register with running balances, net worth),
//! [`categories`], [`budgets`], [`transactions`], [`bulk`] (bulk edits, filter totals), [`transfers`], [`reconcile`]
//! (cleared status and reconciliation), [`reports`], [`csv`] (export, import plan and
//! commit), [`idempotency`] (replays of keyed writes), [`schedules`]
//! (recurring transactions: posting what is due, upcoming, forecast).
//!
//! An operation validates what the store cannot (the business rules in
//! [`crate::rules`]) and then calls the store, which only stores: it keeps the
//! constraints the database itself guarantees (uniqueness, that a referenced
//! row exists for the same user, all-or-nothing transactions).
//!
//! Account operations (`register`, `login`, `authenticate`, `logout`,
//! `change_password`) produce or consume session tokens. Everything else takes
//! an [`AuthUser`], which only [`Finance::authenticate`] can make: holding one
//! is proof the token was checked, and every store call is scoped by its user id.
//! Time is passed in (`now`, `today`); nothing here reads the clock.

mod accounts;
mod backup;
mod balances;
mod budgets;
mod bulk;
mod categories;
mod csv;
mod idempotency;
mod reconcile;
mod reports;
mod rules;
mod schedules;
mod transactions;
mod transfers;
mod users;

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::OnceCell;

use crate::auth::{self, SessionToken, SigningKey, TokenIssuer};
use crate::domain::User;
use crate::id::Id;
use crate::money::Currency;
use crate::store::Store;

pub use backup::BackupSummary;
pub use reconcile::{MAX_TICKED, ReconciliationPreview, ReconciliationRows};
pub use rules::{
    FormSuggestion, MAX_RULE_CHANGES, MAX_SUGGESTIONS, PREVIEW_ROWS, RulePreviewRow,
    RulesApplication, SuggestionSource,
};
pub use schedules::{MAX_FORECAST_DAYS, MAX_POSTED_PER_CALL, MAX_UPCOMING_PER_SCHEDULE};

/// Stores keep instants to the millisecond; truncating on the way in makes what an
/// operation returns equal to what a later read gives.
pub(crate) fn millis(now: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

/// Tunables of the account rules.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// bcrypt cost (12 in release; tests lower it).
    pub bcrypt_cost: u32,
    /// Session lifetime.
    pub session_ttl: TimeDelta,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            bcrypt_cost: auth::DEFAULT_BCRYPT_COST,
            session_ttl: TimeDelta::days(7),
        }
    }
}

/// A signed-in user: made only by [`Finance::authenticate`] (or log-in).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthUser {
    user_id: Id,
    currency: Currency,
    jti: String,
}

impl AuthUser {
    /// The user's id.
    pub fn id(&self) -> Id {
        self.user_id
    }
    /// The user's currency (amounts are parsed and formatted in it).
    pub fn currency(&self) -> Currency {
        self.currency
    }
}

/// The result of a successful log-in.
#[derive(Debug)]
pub struct LoginOutcome {
    pub token: SessionToken,
    pub user: User,
    pub expires_at: DateTime<Utc>,
}

/// The application's operations. Cheap to clone.
#[derive(Clone)]
pub struct Finance {
    store: Arc<dyn Store>,
    tokens: TokenIssuer,
    settings: AuthSettings,
    dummy_hash: Arc<OnceCell<String>>,
}

impl Finance {
    /// Operations over `store`, signing sessions with `key`.
    pub fn new(store: Arc<dyn Store>, key: &SigningKey, settings: AuthSettings) -> Finance {
        Finance {
            store,
            tokens: TokenIssuer::new(key),
            settings,
            dummy_hash: Arc::new(OnceCell::new()),
        }
    }

    /// The underlying store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Whether the store holds more than one account: then everyone whose
    /// desktop uses it holds a URI that can read and write all of them (the
    /// app separates users, the database does not). Counts at most two.
    pub async fn holds_other_accounts(&self) -> crate::Result<bool> {
        Ok(self.store.count_users(2).await? > 1)
    }
}
