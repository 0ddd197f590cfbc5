//! [`Finance`]: the operations the app offers, over any [`Store`].
//!
//! Account operations (`register`, `login`, `authenticate`, `logout`,
//! `change_password`) produce or consume session tokens. Everything else takes
//! an [`AuthUser`], which only [`Finance::authenticate`] can make: holding one
//! is proof the token was checked, and every store call is scoped by its user id.
//! Time is passed in (`now`, `today`); nothing here reads the clock.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use tokio::sync::OnceCell;

use crate::auth::{self, Claims, SessionToken, SigningKey, TokenIssuer};
use crate::domain::idempotency::{Fingerprint, IDEMPOTENCY_FIELD, IdempotencyKey, key_reused};
use crate::domain::report::{REPORT_TOP, fill_months, sort_by_category, trend_range};
use crate::domain::{
    Budget, BudgetActual, BudgetStatus, Category, CategoryKind, CategoryName, DateRange, NewBudget,
    NewTransaction, Page, Password, Period, Registration, Report, Summary, Transaction,
    TransactionQuery, User, Username, default_categories,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::Currency;
use crate::store::prelude::*;
use crate::store::{IdempotencyRecord, SessionRecord, UserRecord};

/// The fingerprint of an add request (every field the caller chose).
fn add_fingerprint(new: &NewTransaction) -> String {
    let mut f = Fingerprint::new("add-transaction");
    f.part(&new.category_id.bytes())
        .part(&new.amount.minor().to_le_bytes())
        .part(new.date.to_string().as_bytes())
        .part(new.description.as_str().as_bytes());
    match &new.note {
        Some(note) => f.part(b"1").part(note.as_str().as_bytes()),
        None => f.part(b"0"),
    };
    f.finish()
}

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

    // ------------------------------------------------------------ accounts

    /// Create an account with the default categories. `Conflict { field: "username" | "email" }` when taken.
    pub async fn register(&self, reg: Registration, now: DateTime<Utc>) -> Result<User> {
        let now = millis(now);
        let hash =
            auth::hash_password(reg.password.expose().to_string(), self.settings.bcrypt_cost)
                .await?;
        let user = User {
            id: Id::generate(),
            username: reg.username.as_str().to_string(),
            first_name: reg.first_name.as_str().to_string(),
            last_name: reg.last_name.as_str().to_string(),
            email: reg.email.as_str().to_string(),
            currency: reg.currency,
            created_at: now,
        };
        let categories: Vec<Category> = default_categories()
            .into_iter()
            .map(|(kind, name)| Category {
                id: Id::generate(),
                user_id: user.id,
                name: name.to_string(),
                kind,
                created_at: now,
            })
            .collect();
        let record = UserRecord {
            user: user.clone(),
            password_hash: hash,
        };
        self.store.create_user(&record, &categories).await?;
        tracing::info!(user = %user.id, "registered");
        Ok(user)
    }

    /// Check credentials and open a session. Unknown user and wrong password
    /// give the same error after the same work; repeated failures lock the username.
    pub async fn login(
        &self,
        username: &str,
        password: &Password,
        now: DateTime<Utc>,
    ) -> Result<LoginOutcome> {
        // Normalise like registration does; an impossible username simply never matches.
        let key = Username::parse(username)
            .map(|u| u.as_str().to_string())
            .unwrap_or_else(|_| username.trim().to_lowercase());
        if key.is_empty() {
            return Err(Error::validation("username", "is required"));
        }
        if password.expose().is_empty() {
            return Err(Error::validation("password", "is required"));
        }
        if password.expose().chars().count() > 1024 {
            return Err(Error::bad_credentials());
        }
        let throttle = self.store.login_throttle(&key).await?;
        if let Some(until) = throttle.locked_until
            && until > now
        {
            let secs = (until - now).num_seconds().max(1) as u64;
            return Err(Error::RateLimited {
                retry_after_secs: secs,
            });
        }
        let record = self.store.user_by_username(&key).await?;
        let hash = match &record {
            Some(r) => r.password_hash.clone(),
            None => self.dummy_hash().await?,
        };
        let matches = auth::verify_password(password.expose().to_string(), hash).await?;
        let record = match (record, matches) {
            (Some(r), true) => r,
            _ => {
                let failures = self.store.add_login_failure(&key).await?;
                if let Some(lock) = auth::lockout_for(failures) {
                    self.store.lock_login(&key, now + lock).await?;
                }
                tracing::info!("log-in refused");
                return Err(Error::bad_credentials());
            }
        };
        if throttle.failures > 0 {
            self.store.clear_login_failures(&key).await?;
        }
        let (token, claims) = self
            .tokens
            .issue(record.user.id, now, self.settings.session_ttl)?;
        let expires_at = now + self.settings.session_ttl;
        self.store
            .insert_session(&SessionRecord {
                jti: claims.jti,
                user_id: record.user.id,
                created_at: now,
                expires_at,
            })
            .await?;
        tracing::info!(user = %record.user.id, "signed in");
        Ok(LoginOutcome {
            token,
            user: record.user,
            expires_at,
        })
    }

    async fn dummy_hash(&self) -> Result<String> {
        let cost = self.settings.bcrypt_cost;
        self.dummy_hash
            .get_or_try_init(|| auth::hash_password("dummy password for timing".into(), cost))
            .await
            .cloned()
    }

    /// Check a token: signature, time claims, a live session, an existing user.
    pub async fn authenticate(&self, token: &str, now: DateTime<Utc>) -> Result<AuthUser> {
        let (user_id, claims) = self.tokens.verify(token, now)?;
        if !self
            .store
            .session_is_live(&claims.jti, user_id, now)
            .await?
        {
            return Err(Error::unauthorized());
        }
        let user = self
            .store
            .user_by_id(user_id)
            .await?
            .ok_or_else(Error::unauthorized)?;
        Ok(AuthUser {
            user_id,
            currency: user.user.currency,
            jti: claims.jti,
        })
    }

    /// End the session of `token`; it is refused everywhere from then on. Idempotent for a well-signed token.
    pub async fn logout(&self, token: &str) -> Result<()> {
        let Claims { jti, .. } = self.tokens.verify_signature(token)?;
        self.store.delete_session(&jti).await?;
        tracing::info!("signed out");
        Ok(())
    }

    /// The signed-in user's profile.
    pub async fn profile(&self, user: &AuthUser) -> Result<User> {
        self.store
            .user_by_id(user.user_id)
            .await?
            .map(|r| r.user)
            .ok_or(Error::NotFound { what: "user" })
    }

    /// Change the password after checking the current one; every other session is revoked.
    pub async fn change_password(
        &self,
        user: &AuthUser,
        current: &Password,
        new: &str,
    ) -> Result<()> {
        let record = self
            .store
            .user_by_id(user.user_id)
            .await?
            .ok_or_else(Error::unauthorized)?;
        if !auth::verify_password(current.expose().to_string(), record.password_hash).await? {
            return Err(Error::validation(
                "currentPassword",
                "is not your current password",
            ));
        }
        let new = Password::parse_new("newPassword", new, &record.user.username)?;
        if new.expose() == current.expose() {
            return Err(Error::validation(
                "newPassword",
                "must differ from the current password",
            ));
        }
        let hash = auth::hash_password(new.expose().to_string(), self.settings.bcrypt_cost).await?;
        self.store
            .set_password_hash(user.user_id, &hash, Some(&user.jti))
            .await?;
        tracing::info!(user = %user.user_id, "password changed; other sessions revoked");
        Ok(())
    }

    /// Delete the account and all its data.
    pub async fn delete_account(&self, user: &AuthUser, password: &Password) -> Result<()> {
        let record = self
            .store
            .user_by_id(user.user_id)
            .await?
            .ok_or_else(Error::unauthorized)?;
        if !auth::verify_password(password.expose().to_string(), record.password_hash).await? {
            return Err(Error::validation(
                "password",
                "is not your current password",
            ));
        }
        self.store.delete_user(user.user_id).await
    }

    // ------------------------------------------------------------ categories

    /// The user's categories, by kind then name.
    pub async fn categories(&self, user: &AuthUser) -> Result<Vec<Category>> {
        self.store.categories(user.user_id).await
    }

    /// Add a category. `Conflict { field: "name" }` if one of that kind has the same name (ignoring case).
    pub async fn add_category(
        &self,
        user: &AuthUser,
        name: CategoryName,
        kind: CategoryKind,
        now: DateTime<Utc>,
    ) -> Result<Category> {
        let now = millis(now);
        let category = Category {
            id: Id::generate(),
            user_id: user.user_id,
            name: name.as_str().to_string(),
            kind,
            created_at: now,
        };
        self.store.insert_category(&category).await?;
        Ok(category)
    }

    /// Rename a category.
    pub async fn rename_category(
        &self,
        user: &AuthUser,
        id: Id,
        name: CategoryName,
    ) -> Result<Category> {
        self.store
            .rename_category(user.user_id, id, name.as_str())
            .await
    }

    /// How much uses a category (to ask before deleting).
    pub async fn category_usage(
        &self,
        user: &AuthUser,
        id: Id,
    ) -> Result<crate::domain::CategoryUsage> {
        self.store.category_usage(user.user_id, id).await
    }

    /// Delete a category; see [`Store::delete_category`] for the move rule.
    pub async fn delete_category(
        &self,
        user: &AuthUser,
        id: Id,
        move_to: Option<Id>,
    ) -> Result<()> {
        if move_to == Some(id) {
            return Err(Error::validation("moveTo", "must be a different category"));
        }
        self.store.delete_category(user.user_id, id, move_to).await
    }

    // ------------------------------------------------------------ budgets

    /// The user's budgets.
    pub async fn budgets(&self, user: &AuthUser) -> Result<Vec<Budget>> {
        self.store.budgets(user.user_id).await
    }

    /// Add a budget for an expense category; one per (category, period).
    pub async fn add_budget(
        &self,
        user: &AuthUser,
        new: NewBudget,
        now: DateTime<Utc>,
    ) -> Result<Budget> {
        let now = millis(now);
        let budget = Budget {
            id: Id::generate(),
            user_id: user.user_id,
            category_id: new.category_id,
            limit: new.limit,
            period: new.period,
            created_at: now,
        };
        self.store.insert_budget(&budget).await?;
        Ok(budget)
    }

    /// Change a budget's category, limit or period.
    pub async fn update_budget(
        &self,
        user: &AuthUser,
        id: Id,
        change: NewBudget,
    ) -> Result<Budget> {
        self.store.update_budget(user.user_id, id, &change).await
    }

    /// Delete a budget.
    pub async fn delete_budget(&self, user: &AuthUser, id: Id) -> Result<()> {
        self.store.delete_budget(user.user_id, id).await
    }

    /// Every budget's status in the period containing `date` (one query per period kind in use).
    pub async fn budget_statuses(
        &self,
        user: &AuthUser,
        date: NaiveDate,
    ) -> Result<Vec<BudgetStatus>> {
        let budgets = self.store.budgets(user.user_id).await?;
        let mut by_period: BTreeMap<Period, Vec<Budget>> = BTreeMap::new();
        for b in budgets {
            by_period.entry(b.period).or_default().push(b);
        }
        let mut out = Vec::new();
        for (period, budgets) in by_period {
            let range = period.range_containing(date);
            let cats: Vec<Id> = budgets.iter().map(|b| b.category_id).collect();
            let spent = self
                .store
                .expense_by_category(user.user_id, &cats, range.from(), range.to())
                .await?;
            out.extend(budgets.into_iter().map(|b| {
                let s = spent.get(&b.category_id).copied().unwrap_or(0);
                BudgetStatus::new(b, range, s)
            }));
        }
        out.sort_by(|a, b| {
            (a.budget.created_at, a.budget.id).cmp(&(b.budget.created_at, b.budget.id))
        });
        Ok(out)
    }

    /// One budget's status in the period containing `date`.
    pub async fn budget_status(
        &self,
        user: &AuthUser,
        id: Id,
        date: NaiveDate,
    ) -> Result<BudgetStatus> {
        let b = self.store.budget(user.user_id, id).await?;
        let range = b.period.range_containing(date);
        let spent = self
            .store
            .expense_by_category(user.user_id, &[b.category_id], range.from(), range.to())
            .await?;
        let s = spent.get(&b.category_id).copied().unwrap_or(0);
        Ok(BudgetStatus::new(b, range, s))
    }

    // ------------------------------------------------------------ transactions

    /// Add a transaction; its kind is its category's.
    pub async fn add_transaction(
        &self,
        user: &AuthUser,
        new: NewTransaction,
        now: DateTime<Utc>,
    ) -> Result<Transaction> {
        let tx = Self::new_row(user, new, now);
        self.store.insert_transaction(&tx, None).await
    }

    /// Add a transaction at most once per `key`: a replay of the same request
    /// returns the transaction the first call created (as it is now) and writes
    /// nothing; the same key with a different request is
    /// `Conflict { field: "idempotencyKey" }`. Safe to retry after `Unavailable`.
    pub async fn add_transaction_with_key(
        &self,
        user: &AuthUser,
        new: NewTransaction,
        key: &IdempotencyKey,
        now: DateTime<Utc>,
    ) -> Result<Transaction> {
        let fingerprint = add_fingerprint(&new);
        if let Some(done) = self.replayed_add(user, key, &fingerprint).await? {
            return Ok(done);
        }
        let tx = Self::new_row(user, new, now);
        let record = IdempotencyRecord {
            key: key.as_str().to_string(),
            fingerprint: fingerprint.clone(),
            result: tx.id.to_hex(),
            created_at: tx.created_at,
        };
        match self.store.insert_transaction(&tx, Some(&record)).await {
            // A concurrent call with the same key won the race.
            Err(e) if e.field() == Some(IDEMPOTENCY_FIELD) => {
                self.replayed_add(user, key, &fingerprint).await?.ok_or(e)
            }
            other => other,
        }
    }

    /// The transaction an earlier add with `key` created, if there was one.
    async fn replayed_add(
        &self,
        user: &AuthUser,
        key: &IdempotencyKey,
        fingerprint: &str,
    ) -> Result<Option<Transaction>> {
        let Some(record) = self.replayed(user, key, fingerprint).await? else {
            return Ok(None);
        };
        let id = Id::from_hex(&record)
            .ok_or_else(|| Error::internal("idempotency", "stored result is not an id"))?;
        self.store.transaction(user.user_id, id).await.map(Some)
    }

    /// The stored result of an earlier request with `key`: `None` when the key
    /// is new, `Conflict { field: "idempotencyKey" }` when it was used for another request.
    pub(crate) async fn replayed(
        &self,
        user: &AuthUser,
        key: &IdempotencyKey,
        fingerprint: &str,
    ) -> Result<Option<String>> {
        match self
            .store
            .idempotency_record(user.user_id, key.as_str())
            .await?
        {
            None => Ok(None),
            Some(r) if r.fingerprint == fingerprint => {
                tracing::info!(user = %user.user_id, "idempotent request replayed");
                Ok(Some(r.result))
            }
            Some(_) => Err(key_reused()),
        }
    }

    fn new_row(user: &AuthUser, new: NewTransaction, now: DateTime<Utc>) -> Transaction {
        let now = millis(now);
        Transaction {
            id: Id::generate(),
            user_id: user.user_id,
            category_id: new.category_id,
            // Replaced by the store with the category's kind.
            kind: CategoryKind::Expense,
            amount: new.amount,
            date: new.date,
            description: new.description.into_inner(),
            note: new.note.map(|n| n.as_str().to_string()),
            created_at: now,
            updated_at: now,
        }
    }

    /// One transaction.
    pub async fn transaction(&self, user: &AuthUser, id: Id) -> Result<Transaction> {
        self.store.transaction(user.user_id, id).await
    }

    /// Replace a transaction's fields.
    pub async fn update_transaction(
        &self,
        user: &AuthUser,
        id: Id,
        change: NewTransaction,
        now: DateTime<Utc>,
    ) -> Result<Transaction> {
        self.store
            .update_transaction(user.user_id, id, &change, millis(now))
            .await
    }

    /// Delete a transaction.
    pub async fn delete_transaction(&self, user: &AuthUser, id: Id) -> Result<()> {
        self.store.delete_transaction(user.user_id, id).await
    }

    /// One page of transactions.
    pub async fn transactions(
        &self,
        user: &AuthUser,
        query: &TransactionQuery,
    ) -> Result<Page<Transaction>> {
        let mut items = self.store.list_transactions(user.user_id, query).await?;
        let limit = query.limit as usize;
        let next = if items.len() > limit {
            items.truncate(limit);
            items
                .last()
                .map(|t| crate::domain::Cursor::after(t, query.sort))
        } else {
            None
        };
        Ok(Page { items, next })
    }

    /// Income, expense, net and count over a date range.
    pub async fn summary(&self, user: &AuthUser, range: DateRange) -> Result<Summary> {
        self.store
            .summary(user.user_id, range.from(), range.to())
            .await
    }

    // ------------------------------------------------------------ reports

    /// The report for `range`: every part is grouped and summed by the store
    /// (a handful of queries, independent of the number of transactions).
    /// See [`Report`] for the order of each part.
    pub async fn report(&self, user: &AuthUser, range: DateRange) -> Result<Report> {
        let (uid, from, to) = (user.user_id, range.from(), range.to());
        let totals = self.store.summary(uid, from, to).await?;
        let mut by_category = self.store.spending_by_category(uid, from, to).await?;
        sort_by_category(&mut by_category);
        let trend = trend_range(to);
        let months = self
            .store
            .monthly_totals(uid, trend.from(), trend.to())
            .await?;
        let budgets = self.store.budgets(uid).await?;
        let budgets = if budgets.is_empty() {
            Vec::new()
        } else {
            let names: BTreeMap<Id, String> = self
                .store
                .categories(uid)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect();
            let mut cats: Vec<Id> = budgets.iter().map(|b| b.category_id).collect();
            cats.sort_unstable();
            cats.dedup();
            let spent = self.store.expense_by_category(uid, &cats, from, to).await?;
            let mut out: Vec<BudgetActual> = budgets
                .into_iter()
                .map(|b| {
                    let name = names.get(&b.category_id).cloned().unwrap_or_default();
                    let s = spent.get(&b.category_id).copied().unwrap_or(0);
                    BudgetActual::new(b, name, range, s)
                })
                .collect();
            out.sort_by(|a, b| {
                (a.budget.created_at, a.budget.id).cmp(&(b.budget.created_at, b.budget.id))
            });
            out
        };
        let largest = self
            .store
            .largest_expenses(uid, from, to, REPORT_TOP)
            .await?;
        let frequent = self
            .store
            .frequent_descriptions(uid, from, to, REPORT_TOP)
            .await?;
        Ok(Report {
            range,
            total_expense: totals.expense,
            total_income: totals.income,
            by_category,
            monthly: fill_months(to, &months),
            budgets,
            largest,
            frequent,
        })
    }
}
