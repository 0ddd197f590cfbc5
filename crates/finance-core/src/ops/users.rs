//! Users and sessions: register, log in (with the lock-out schedule),
//! authenticate a token, log out, profile, change password, delete the account.
//!
//! Unknown user and wrong password give the same error after the same
//! password work (a bcrypt of a dummy hash); a session is a stored JWT id, so
//! logging out or changing the password revokes tokens everywhere.
//!
//! Every password check on an existing account (log-in, changing the password,
//! deleting the account) goes through one throttle, [`auth::LOCKOUT`], kept by
//! the store on its own clock: the attempt is counted before the password is
//! checked, a lock refuses with `RateLimited` before any check, and the right
//! password clears the count. Unknown usernames are not throttled and leave
//! nothing in the store (a row per typed name would grow without bound); they
//! still answer exactly like a wrong password. So the lock, like registration's
//! `Conflict { field: "username" }`, shows that an account exists; the
//! password check never does.

use chrono::{DateTime, Utc};

use super::{AuthUser, Finance, LoginOutcome, millis};
use crate::auth::{self, Claims};
use crate::domain::{
    Account, AccountType, Category, CurrencyUsage, MAIN_ACCOUNT_NAME, MembershipStatus, Password,
    Permission, Registration, Role, User, Username, default_categories,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::Currency;
use crate::rules;
use crate::store::{LoginAttempt, SessionRecord, UserRecord};

impl Finance {
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
        let account = Account {
            // The Main account's id is the user's, as the migration from
            // before accounts gives it: a document a device from before
            // accounts writes without `accountId` then reads as being in it.
            id: user.id,
            user_id: user.id,
            name: MAIN_ACCOUNT_NAME.to_string(),
            kind: AccountType::Checking,
            currency: user.currency,
            opening_balance: 0,
            opening_date: now.date_naive(),
            note: None,
            archived: false,
            position: 0,
            last_reconciled: None,
            created_at: now,
        };
        self.store
            .create_user(&record, &categories, &account)
            .await?;
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
        let Some(record) = self.store.user_by_username(&key).await? else {
            // The same password work as for an account, and nothing stored.
            auth::verify_password(password.expose().to_string(), self.dummy_hash().await?).await?;
            tracing::info!("log-in refused");
            return Err(Error::bad_credentials());
        };
        if !self.check_password(&record, password).await? {
            tracing::info!("log-in refused");
            return Err(Error::bad_credentials());
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

    /// Check `password` against the account's hash under the throttle:
    /// `RateLimited` while the username is locked (no check made), else
    /// whether it matches; a match clears the failures.
    async fn check_password(&self, record: &UserRecord, password: &Password) -> Result<bool> {
        let username = record.user.username.as_str();
        if let LoginAttempt::Locked { retry_after } = self
            .store
            .begin_login_attempt(username, &auth::LOCKOUT)
            .await?
        {
            tracing::info!("password check refused: locked");
            return Err(Error::RateLimited {
                retry_after_secs: auth::retry_after_secs(retry_after),
            });
        }
        let matches =
            auth::verify_password(password.expose().to_string(), record.password_hash.clone())
                .await?;
        if matches {
            self.store.clear_login_failures(username).await?;
        }
        Ok(matches)
    }

    async fn dummy_hash(&self) -> Result<String> {
        let cost = self.settings.bcrypt_cost;
        self.dummy_hash
            .get_or_try_init(|| auth::hash_password("dummy password for timing".into(), cost))
            .await
            .cloned()
    }

    /// Check a token: signature, time claims, a live session, an existing
    /// user. The person acts on their own ledger, as its owner.
    pub async fn authenticate(&self, token: &str, now: DateTime<Utc>) -> Result<AuthUser> {
        self.authenticate_on(token, None, now).await
    }

    /// Check a token like [`Finance::authenticate`], then the person's access
    /// to `ledger` (their own when `None` or their own id): the membership is
    /// read on every call (nothing is cached), so a removed member is refused
    /// on their next call. A ledger the person is not an active member of
    /// answers `NotFound { what: "ledger" }`, exactly like a missing one.
    pub async fn authenticate_on(
        &self,
        token: &str,
        ledger: Option<Id>,
        now: DateTime<Utc>,
    ) -> Result<AuthUser> {
        let (user_id, claims) = self.tokens.verify(token, now)?;
        let user = self
            .store
            .live_session_user(&claims.jti, user_id, now)
            .await?
            .ok_or_else(Error::unauthorized)?;
        let ledger = ledger.unwrap_or(user_id);
        if ledger == user_id {
            return Ok(AuthUser {
                member_id: user_id,
                ledger_id: user_id,
                role: Role::Owner,
                currency: user.user.currency,
                jti: claims.jti,
            });
        }
        let not_found = || Error::NotFound { what: "ledger" };
        let membership = self
            .store
            .membership(ledger, user_id)
            .await?
            .filter(|m| m.status == MembershipStatus::Active)
            .ok_or_else(not_found)?;
        let owner = self.store.user_by_id(ledger).await?.ok_or_else(not_found)?;
        Ok(AuthUser {
            member_id: user_id,
            ledger_id: ledger,
            role: membership.role,
            currency: owner.user.currency,
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

    /// The signed-in person's own profile (whatever ledger they act on:
    /// every role may read it; it is theirs, not the ledger's).
    pub async fn profile(&self, user: &AuthUser) -> Result<User> {
        user.require(Permission::Read)?;
        self.store
            .user_by_id(user.id())
            .await?
            .map(|r| r.user)
            .ok_or(Error::NotFound { what: "user" })
    }

    /// What holds amounts in the user's currency: the currency can change
    /// only while nothing does (`rules::currency_in_use`).
    pub async fn currency_usage(&self, user: &AuthUser) -> Result<CurrencyUsage> {
        user.require(Permission::Read)?;
        self.store.currency_usage(user.ledger()).await
    }

    /// Change the user's currency (and their accounts'): only while no amount
    /// is recorded in the old one, else `Conflict { field: "currency" }`
    /// saying what holds amounts — checked here and again inside the store's
    /// write, so a concurrent first add on another device cannot slip between.
    /// The same currency is no change. Answers the profile.
    pub async fn change_currency(&self, user: &AuthUser, currency: Currency) -> Result<User> {
        user.require(Permission::OwnLedger)?;
        let profile = self.profile(user).await?;
        if profile.currency == currency {
            return Ok(profile);
        }
        if let Some(refused) =
            rules::currency_in_use(self.store.currency_usage(user.ledger()).await?)
        {
            return Err(refused);
        }
        self.store.set_currency(user.ledger(), currency).await?;
        tracing::info!(user = %user.id(), currency = currency.code(), "currency changed");
        self.profile(user).await
    }

    /// Change the password after checking the current one (throttled like
    /// log-in, sharing its count); every other session is revoked.
    pub async fn change_password(
        &self,
        user: &AuthUser,
        current: &Password,
        new: &str,
    ) -> Result<()> {
        user.require(Permission::OwnLedger)?;
        let record = self
            .store
            .user_by_id(user.id())
            .await?
            .ok_or_else(Error::unauthorized)?;
        if !self.check_password(&record, current).await? {
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
            .set_password_hash(user.id(), &hash, Some(&user.jti))
            .await?;
        tracing::info!(user = %user.id(), "password changed; other sessions revoked");
        Ok(())
    }

    /// Delete the account and all its data, after checking the password
    /// (throttled like log-in, sharing its count).
    pub async fn delete_account(&self, user: &AuthUser, password: &Password) -> Result<()> {
        user.require(Permission::OwnLedger)?;
        let record = self
            .store
            .user_by_id(user.id())
            .await?
            .ok_or_else(Error::unauthorized)?;
        if !self.check_password(&record, password).await? {
            return Err(Error::validation(
                "password",
                "is not your current password",
            ));
        }
        self.store.delete_user(user.id()).await
    }
}
