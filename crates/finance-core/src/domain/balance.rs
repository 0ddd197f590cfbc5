//! Balances over time: an account's register page with running balances,
//! net worth (now and month by month), and the month span a series covers.
//!
//! Invariants:
//! * the **register order** of an account is (date, id) ascending — the
//!   keyset order of a date-sorted list; the running balance of a row is the
//!   account's balance just after it in that order, whichever direction the
//!   page is listed in;
//! * a balance on a day, and after a row, is the opening balance from the
//!   account's opening date on ([`crate::rules::opening_on`]) plus the
//!   effects ([`crate::rules::balance_effect`]) of every row up to that
//!   point; rows dated before the opening date still count (they happened);
//! * every sum is exact (`i128`) and returned only when it fits `i64`
//!   (`Validation { field: "balance" }` otherwise, [`money::signed_total`]);
//! * a month series covers 1–[`MAX_SERIES_MONTHS`] whole calendar months.

use chrono::{Datelike, Months, NaiveDate};

use super::account::Account;
use super::date::{last_day_of_month, parse_date};
use super::transaction::{Cursor, Transaction};
use crate::error::{Error, Result};
use crate::money;
use crate::rules;

/// The longest net-worth series (50 years of months).
pub const MAX_SERIES_MONTHS: u32 = 600;

/// A page of one account's register: the rows, the next page's cursor, and
/// — when the rows are consecutive in the account's register order (the list
/// is filtered to the account alone, a date range allowed, and sorted by
/// date) — each row's running balance, one per row in page order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterPage {
    pub items: Vec<Transaction>,
    pub next: Option<Cursor>,
    /// `balances[i]` is the account's balance just after `items[i]`; `None`
    /// when other criteria (text, category, kind, amounts) or an amount sort
    /// leave gaps between the rows.
    pub balances: Option<Vec<i64>>,
}

/// Assets, liabilities (normally negative: what is owed) and their sum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NetWorth {
    /// Σ balances of asset accounts (checking, savings, cash, asset).
    pub assets: i64,
    /// Σ balances of liability accounts (credit card, loan, liability).
    pub liabilities: i64,
    /// `assets + liabilities`.
    pub net: i64,
}

impl NetWorth {
    /// Sum `(is_liability, balance)` pairs exactly (archived accounts count too).
    pub fn of(balances: impl IntoIterator<Item = (bool, i128)>) -> Result<NetWorth> {
        let (mut assets, mut liabilities) = (0i128, 0i128);
        for (liability, balance) in balances {
            if liability {
                liabilities += balance;
            } else {
                assets += balance;
            }
        }
        Ok(NetWorth {
            assets: money::signed_total(BALANCE, assets)?,
            liabilities: money::signed_total(BALANCE, liabilities)?,
            net: money::signed_total(BALANCE, assets + liabilities)?,
        })
    }
}

/// Net worth at the end of one month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetWorthMonth {
    /// The 1st of the month.
    pub month: NaiveDate,
    /// At the end of its last day.
    pub worth: NetWorth,
}

/// The field a balance past `i64` is refused on.
const BALANCE: &str = "balance";

/// Whole calendar months `[first, last]`, 1 to [`MAX_SERIES_MONTHS`] of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthSpan {
    first: NaiveDate,
    months: u32,
}

impl MonthSpan {
    /// The months of `from` through the month of `to` (any day of each).
    /// `Validation { field: "to" }` when `to`'s month is before `from`'s,
    /// `Validation { field: "from" }` when the span is longer than
    /// [`MAX_SERIES_MONTHS`].
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<MonthSpan> {
        let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
        let span = index(to) - index(from) + 1;
        if span < 1 {
            return Err(Error::validation(
                "to",
                "must not be before the start month",
            ));
        }
        if span > i64::from(MAX_SERIES_MONTHS) {
            return Err(Error::validation(
                "from",
                format!("a series covers at most {MAX_SERIES_MONTHS} months"),
            ));
        }
        Ok(MonthSpan {
            first: from.with_day(1).unwrap_or(from),
            months: span as u32,
        })
    }

    /// From form strings: `YYYY-MM` (or a full date) for `from` and `to`.
    pub fn parse(from: &str, to: &str) -> Result<MonthSpan> {
        MonthSpan::new(parse_month("from", from)?, parse_month("to", to)?)
    }

    /// The 1st of the first month.
    pub fn first_day(&self) -> NaiveDate {
        self.first
    }

    /// The last day of the last month.
    pub fn last_day(&self) -> NaiveDate {
        self.months().last().map_or(self.first, month_last_day)
    }

    /// The 1st of each month, oldest first.
    pub fn months(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        (0..self.months).filter_map(|i| self.first.checked_add_months(Months::new(i)))
    }
}

/// `YYYY-MM` (the 1st of that month) or a full `YYYY-MM-DD`.
pub fn parse_month(field: &str, raw: &str) -> Result<NaiveDate> {
    let s = raw.trim();
    if s.len() == 7 {
        parse_date(field, &format!("{s}-01"))
            .map_err(|_| Error::validation(field, "must be a month like 2024-01"))
    } else {
        parse_date(field, s)
    }
}

/// The last day of `month`'s month.
pub fn month_last_day(month: NaiveDate) -> NaiveDate {
    last_day_of_month(month.year(), month.month())
}

/// The running balances of a register page of `account` (see the module
/// docs): `rows` in page order (register order, or its reverse when
/// `descending`), `through_first` the exact sum of the effects of every row
/// of the account up to and including `rows[0]` in register order. Each
/// later row's sum follows from its neighbour's by its own effect or the
/// neighbour's, so the walk reads nothing more.
pub fn running_balances(
    account: &Account,
    through_first: i128,
    rows: &[Transaction],
    descending: bool,
) -> Result<Vec<i64>> {
    let effect = |t: &Transaction| i128::from(rules::balance_effect(t.kind, t.amount.minor()));
    let mut sum = through_first;
    let mut out = Vec::with_capacity(rows.len());
    for (i, t) in rows.iter().enumerate() {
        if i > 0 {
            if descending {
                sum -= effect(&rows[i - 1]);
            } else {
                sum += effect(t);
            }
        }
        let balance = i128::from(rules::opening_on(account, t.date)) + sum;
        out.push(money::signed_total(BALANCE, balance)?);
    }
    Ok(out)
}

/// An account's balance at the end of `date`: its opening balance from the
/// opening date on, plus `effect_through`, the exact sum of the effects of its
/// rows dated up to `date`.
pub fn balance_on(account: &Account, date: NaiveDate, effect_through: i128) -> Result<i64> {
    money::signed_total(
        BALANCE,
        i128::from(rules::opening_on(account, date)) + effect_through,
    )
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::domain::{AccountType, CategoryKind};
    use crate::id::Id;
    use crate::money::{Amount, Currency};

    fn d(s: &str) -> NaiveDate {
        parse_date("date", s).unwrap()
    }

    fn account(opening: i64, from: &str) -> Account {
        Account {
            id: Id::generate(),
            user_id: Id::generate(),
            name: "Checking".into(),
            kind: AccountType::Checking,
            currency: Currency::EUR,
            opening_balance: opening,
            opening_date: d(from),
            note: None,
            archived: false,
            position: 0,
            last_reconciled: None,
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    fn row(kind: CategoryKind, amount: i64, date: &str) -> Transaction {
        Transaction {
            id: Id::generate(),
            user_id: Id::generate(),
            account_id: Id::generate(),
            category_id: Some(Id::generate()),
            kind: kind.into(),
            amount: Amount::from_minor("amount", amount).unwrap().into(),
            date: d(date),
            description: "x".into(),
            note: None,
            status: crate::domain::TxStatus::Uncleared,
            transfer_id: None,
            bank_id: None,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn running_balances_walk_both_directions_alike() {
        use CategoryKind::{Expense, Income};
        let a = account(1_000, "2024-01-02");
        let rows = [
            row(Expense, 100, "2024-01-01"),
            row(Income, 50, "2024-01-02"),
            row(Expense, 20, "2024-01-03"),
        ];
        // Ascending: the first row's sum is its own effect.
        let up = running_balances(&a, -100, &rows, false).unwrap();
        assert_eq!(
            up,
            [-100, 950, 930],
            "the opening balance counts from its date on; earlier rows still count"
        );
        // Descending: the same rows reversed, starting from the newest's sum.
        let mut reversed = rows.clone();
        reversed.reverse();
        let down = running_balances(&a, -70, &reversed, true).unwrap();
        assert_eq!(down, [930, 950, -100], "the same balances, newest first");
    }

    #[test]
    fn a_balance_past_i64_is_a_validation_error() {
        let a = account(i64::MAX, "2024-01-01");
        let rows = [row(CategoryKind::Income, 1, "2024-01-01")];
        assert_eq!(
            running_balances(&a, 1, &rows, false).unwrap_err().field(),
            Some("balance")
        );
        assert_eq!(balance_on(&a, d("2023-12-31"), 5).unwrap(), 5);
        assert_eq!(
            balance_on(&a, d("2024-01-01"), 1).unwrap_err().field(),
            Some("balance")
        );
    }

    #[test]
    fn month_spans_are_whole_months_within_the_limit() {
        let s = MonthSpan::parse("2023-11", "2024-02-10").unwrap();
        assert_eq!(s.first_day(), d("2023-11-01"));
        assert_eq!(s.last_day(), d("2024-02-29"));
        assert_eq!(
            s.months().collect::<Vec<_>>(),
            [
                d("2023-11-01"),
                d("2023-12-01"),
                d("2024-01-01"),
                d("2024-02-01")
            ]
        );
        assert_eq!(
            MonthSpan::parse("2024-03", "2024-03")
                .unwrap()
                .months()
                .count(),
            1
        );
        assert_eq!(
            MonthSpan::parse("2024-03", "2024-02").unwrap_err().field(),
            Some("to")
        );
        assert_eq!(
            MonthSpan::parse("1950-01", "1999-12")
                .unwrap()
                .months()
                .count(),
            600
        );
        assert_eq!(
            MonthSpan::parse("1950-01", "2000-01").unwrap_err().field(),
            Some("from")
        );
        assert_eq!(
            MonthSpan::parse("2024-13", "2024-12").unwrap_err().field(),
            Some("from")
        );
        assert_eq!(
            MonthSpan::parse("2024-01", "").unwrap_err().field(),
            Some("to")
        );
    }

    #[test]
    fn net_worth_adds_assets_and_liabilities() {
        let w = NetWorth::of([(false, 500), (true, -200), (false, 100)]).unwrap();
        assert_eq!(
            w,
            NetWorth {
                assets: 600,
                liabilities: -200,
                net: 400
            }
        );
        assert_eq!(
            NetWorth::of([(false, i128::from(i64::MAX)), (false, 1)])
                .unwrap_err()
                .field(),
            Some("balance")
        );
    }
}
