//! Fixed inputs of the tests: the clock, dates, the password, the service's
//! test settings, and builders of validated inputs.
//!
//! Invariants: every builder returns a *valid* input (it panics, naming the
//! fixture, if the core starts refusing it, so a test never runs on a silently
//! different input); amounts are decimal strings parsed by the core into minor
//! units, never floats.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use finance_core::AuthSettings;
use finance_core::csv_io::{AmountColumns, DateFormat, DecimalSeparator, ImportSettings};
use finance_core::domain::{
    CategoryKind, DateRange, NewTransaction, NewTransfer, RegistrationDraft, TransactionDraft,
    TransferDraft,
};
use finance_core::{Currency, Id};

/// The instant every test calls "now" (a Friday in a leap year).
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-03-15T12:00:00Z")
        .expect("valid constant")
        .with_timezone(&Utc)
}

/// A date from `YYYY-MM-DD`.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid test date")
}

/// A range holding every date the tests write (1900-01-01 to 2200-12-31).
pub fn all_time() -> DateRange {
    DateRange::new(d("1900-01-01"), d("2200-12-31")).expect("valid range")
}

/// The password of every registered test user (it passes the rules).
pub const PASSWORD: &str = "tulip-river-93";

/// Expense kind shorthand.
pub const EXPENSE: CategoryKind = CategoryKind::Expense;
/// Income kind shorthand.
pub const INCOME: CategoryKind = CategoryKind::Income;

/// The service settings of the tests: the lowest bcrypt cost keeps the suite
/// fast (release uses 12); sessions last 7 days, as in the app.
pub fn auth_settings() -> AuthSettings {
    AuthSettings {
        bcrypt_cost: 4,
        session_ttl: TimeDelta::days(7),
    }
}

/// The registration of `username`: email `<username>@example.com`, the test
/// [`PASSWORD`], first name "Test", last name `username`, currency EUR.
pub fn registration(username: &str) -> RegistrationDraft {
    RegistrationDraft {
        username: username.into(),
        password: PASSWORD.into(),
        first_name: "Test".into(),
        last_name: username.into(),
        email: format!("{username}@example.com"),
        currency: "EUR".into(),
    }
}

/// A validated EUR transaction of `amount` (decimal string) in category `cat`
/// on `date` (`YYYY-MM-DD`); its kind follows the category.
pub fn new_tx(cat: Id, amount: &str, date: &str, desc: &str) -> NewTransaction {
    TransactionDraft {
        account_id: None,
        category_id: cat.to_hex(),
        amount: amount.into(),
        date: date.into(),
        description: desc.into(),
        note: None,
    }
    .validate(Currency::EUR)
    .expect("valid transaction")
}

/// [`new_tx`] in the user's account `account`.
pub fn new_tx_in(account: Id, cat: Id, amount: &str, date: &str, desc: &str) -> NewTransaction {
    NewTransaction {
        account_id: Some(account),
        ..new_tx(cat, amount, date, desc)
    }
}

/// A validated EUR transfer of `amount` (decimal string) from account
/// `from` to account `to` on `date`.
pub fn new_transfer(from: Id, to: Id, amount: &str, date: &str, desc: &str) -> NewTransfer {
    TransferDraft {
        from_account_id: from.to_hex(),
        to_account_id: to.to_hex(),
        amount: amount.into(),
        date: date.into(),
        description: desc.into(),
        note: None,
    }
    .validate(Currency::EUR)
    .expect("valid transfer")
}

/// Import settings of the tests' CSV files: comma-separated with a header
/// `date,amount,description,category`, ISO dates, one signed amount column
/// with a decimal dot (negative = expense), no note or type column.
pub fn import_settings() -> ImportSettings {
    ImportSettings {
        delimiter: b',',
        has_header: true,
        date: 0,
        amount: AmountColumns::Single(1),
        description: 2,
        category: Some(3),
        note: None,
        kind: None,
        date_format: DateFormat::Iso,
        decimal: DecimalSeparator::Dot,
        account: None,
        transfer: None,
    }
}

/// An import progress callback that ignores the progress.
pub fn no_progress(_done: u64, _total: u64) {}
