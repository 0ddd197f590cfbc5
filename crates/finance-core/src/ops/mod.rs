//! [`Finance`]: the operations the app offers, over any [`Store`], one file
//! per area: [`users`] (register, log in/out, sessions, profile), [`accounts`],
//! [`balances`] (balance on a date, register with running balances, net worth),
//! [`categories`], [`budgets`], [`transactions`], [`bulk`] (bulk edits, filter totals), [`transfers`], [`reconcile`]
//! (cleared status and reconciliation), [`reports`], [`csv`] (export, import plan and
//! commit), [`idempotency`] (replays of keyed writes), [`schedules`]
//! (recurring transactions: posting what is due, upcoming, forecast),
//! [`members`] (households: invitations, members, roles, leaving).
//!
//! An operation validates what the store cannot (the business rules in
//! [`crate::rules`]) and then calls the store, which only stores: it keeps the
//! constraints the database itself guarantees (uniqueness, that a referenced
//! row exists for the same user, all-or-nothing transactions).
//!
//! Account operations (`register`, `login`, `authenticate`, `authenticate_on`,
//! `logout`) produce or consume session tokens. Everything else takes an
//! [`AuthUser`] — a person acting on a ledger — which only authentication can
//! make: holding one is proof the token was checked and the person may act on
//! the ledger. Every such operation starts with
//! `user.require(Permission::…)?` ([`Role::allows`] is the one rule; the
//! table and its source scan are `tests/it/security/roles.rs`); every store
//! call on data is scoped by [`AuthUser::ledger`], and person-level ones
//! (profile, password, sessions, deleting the account) by [`AuthUser::id`].
//! Time is passed in (`now`, `today`); nothing here reads the clock.

mod accounts;
mod backup;
mod balances;
mod budgets;
mod bulk;
mod categories;
mod csv;
mod idempotency;
mod members;
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
use crate::domain::{Permission, Role, User};
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

/// A person acting on a ledger: made only by [`Finance::authenticate`] /
/// [`Finance::authenticate_on`] (or log-in). Holding one is proof that the
/// token was checked and that the person is the ledger's owner or an active
/// member of it, with [`AuthUser::role`], as of that call.
///
/// * [`AuthUser::id`] — who acts: person-level things (profile, password,
///   sessions, deleting the account, the log-in throttle) use it;
/// * [`AuthUser::ledger`] — whose data: every store call on data uses it;
/// * [`AuthUser::require`] — the first statement of every operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthUser {
    member_id: Id,
    ledger_id: Id,
    role: Role,
    currency: Currency,
    jti: String,
}

impl AuthUser {
    /// Who acts (the signed-in person's user id).
    pub fn id(&self) -> Id {
        self.member_id
    }
    /// Whose data: the ledger's key (its owner's user id; the person's own
    /// id on their own ledger).
    pub fn ledger(&self) -> Id {
        self.ledger_id
    }
    /// The person's role on the ledger (`Owner` on their own).
    pub fn role(&self) -> Role {
        self.role
    }
    /// Whether the person acts on their own ledger.
    pub fn on_own_ledger(&self) -> bool {
        self.member_id == self.ledger_id
    }
    /// The ledger's currency (its owner's): amounts are parsed and formatted in it.
    pub fn currency(&self) -> Currency {
        self.currency
    }
    /// `Forbidden` unless the role allows `permission` ([`Role::allows`],
    /// the one rule). Every operation of [`Finance`] that takes an
    /// `AuthUser` starts with this call (a source scan in
    /// `tests/it/security/roles.rs` checks it).
    pub fn require(&self, permission: Permission) -> crate::Result<()> {
        if self.role.allows(permission) {
            Ok(())
        } else {
            Err(crate::Error::forbidden(self.role.refusal(permission)))
        }
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
