//! The business rules, each written once.
//!
//! [`crate::ops`] applies them before it calls a store, so a store method only
//! stores: it keeps what the database itself guarantees (uniqueness, that a
//! referenced row exists and belongs to the same user, all-or-nothing
//! transactions) and nothing else. A new rule goes here, with its unit test,
//! and is called from the operation that needs it — never from a store.
//!
//! * A transaction's kind is its category's ([`new_transaction`],
//!   [`edited_kind`]); categories never change kind.
//! * A category's transactions and budgets move only to another category of
//!   the same kind ([`check_move_target`]); a category still in use is not
//!   deleted without a target ([`category_in_use`], the error a store returns
//!   when it finds the category used inside its delete transaction).
//! * Budgets are set on expense categories only ([`check_budget_category`]).
//! * A transaction's effect on its account's balance: income adds, expense
//!   subtracts ([`balance_effect`]); stores compute the same sign in SQL/aggregations.
//! * A transaction added without an account goes to the user's default
//!   account ([`default_account`]); an account's transactions move only to
//!   another account of the user ([`check_account_move_target`]); an account
//!   still holding transactions is not deleted without a target
//!   ([`account_in_use`]), and the last account is never deleted ([`last_account`]).
//! * Net worth is the sum of every account's balance, archived ones included;
//!   assets and liabilities are split by type ([`net_worth`]).

use chrono::{DateTime, Utc};

use crate::domain::{
    Account, AccountBalance, Category, CategoryKind, CategoryUsage, NetWorth, NewTransaction,
    Transaction,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money;

/// The field the move rules name (the form's "move to" choice).
const MOVE_TO: &str = "moveTo";

/// The row to store for a new transaction of `user` in `category` and
/// `account` (already resolved: `new.account_id` or [`default_account`]),
/// created at `now` (already truncated to the millisecond by the caller): its
/// kind is the category's.
pub fn new_transaction(
    user: Id,
    new: NewTransaction,
    account: Id,
    category: &Category,
    now: DateTime<Utc>,
) -> Transaction {
    Transaction {
        id: Id::generate(),
        user_id: user,
        account_id: account,
        category_id: new.category_id,
        kind: category.kind,
        amount: new.amount,
        date: new.date,
        description: new.description.into_inner(),
        note: new.note.map(|n| n.as_str().to_string()),
        created_at: now,
        updated_at: now,
    }
}

/// The kind an edited transaction has: its (possibly new) category's.
pub fn edited_kind(category: &Category) -> CategoryKind {
    category.kind
}

/// Whether `source`'s transactions and budgets may move to `target`: it must
/// be one of the user's categories (`None` when it is not — missing or
/// another user's, which look the same), a different one, of the same kind.
/// Every refusal is `Validation { field: "moveTo" }`.
pub fn check_move_target(source: &Category, target: Option<&Category>) -> Result<()> {
    let Some(target) = target else {
        return Err(Error::validation(MOVE_TO, "is not one of your categories"));
    };
    if target.id == source.id {
        return Err(Error::validation(MOVE_TO, "must be a different category"));
    }
    if target.kind != source.kind {
        return Err(Error::validation(
            MOVE_TO,
            format!("must be another {} category", source.kind),
        ));
    }
    Ok(())
}

/// The refusal to delete a category that `usage` shows is still used, when no
/// move target was given: `Conflict { field: "category" }`, saying what uses it.
pub fn category_in_use(usage: CategoryUsage) -> Error {
    let count = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    Error::conflict(
        "category",
        format!(
            "this category is used by {} and {}; choose a category to move them to",
            count(usage.transactions, "transaction"),
            count(usage.budgets, "budget")
        ),
    )
}

/// Budgets limit spending, so they are set on expense categories only
/// (`Validation { field: "categoryId" }` otherwise).
pub fn check_budget_category(category: &Category) -> Result<()> {
    if category.kind != CategoryKind::Expense {
        return Err(Error::validation(
            "categoryId",
            "budgets can only be set on expense categories",
        ));
    }
    Ok(())
}

/// What a transaction of `kind` and `amount` (minor units) adds to its
/// account's balance: income `+amount`, expense `-amount`.
pub fn balance_effect(kind: CategoryKind, amount: i64) -> i64 {
    match kind {
        CategoryKind::Income => amount,
        CategoryKind::Expense => -amount,
    }
}

/// The account a transaction added without one goes to: the first
/// non-archived account by position, then creation, then id (`None` when
/// every account is archived or there is none).
pub fn default_account(accounts: &[Account]) -> Option<&Account> {
    accounts
        .iter()
        .filter(|a| !a.archived)
        .min_by_key(|a| (a.position, a.created_at, a.id.to_hex()))
}

/// The refusal when no account can take a transaction added without one.
pub fn no_default_account() -> Error {
    Error::validation("accountId", "choose an account (every account is archived)")
}

/// Whether `source`'s transactions may move to `target` on an account
/// delete: one of the user's accounts (`None` when it is not — missing or
/// another user's, which look the same), a different one. Every refusal is
/// `Validation { field: "moveTo" }`.
pub fn check_account_move_target(source: &Account, target: Option<&Account>) -> Result<()> {
    let Some(target) = target else {
        return Err(Error::validation(MOVE_TO, "is not one of your accounts"));
    };
    if target.id == source.id {
        return Err(Error::validation(MOVE_TO, "must be a different account"));
    }
    Ok(())
}

/// The refusal to delete an account that still holds `transactions`, when no
/// move target was given: `Conflict { field: "account" }` with the count.
pub fn account_in_use(transactions: u64) -> Error {
    Error::conflict(
        "account",
        format!(
            "this account holds {transactions} transaction{}; choose an account to move them to",
            if transactions == 1 { "" } else { "s" }
        ),
    )
}

/// The refusal to delete a user's last account (every transaction needs one):
/// `Validation { field: "account" }`.
pub fn last_account() -> Error {
    Error::validation("account", "your last account cannot be deleted")
}

/// Assets, liabilities and net worth over `balances` (every account of the
/// user, archived ones too: archiving hides an account from pickers, not
/// from what the user owns). An asset account's balance counts in `assets`,
/// a liability's ([`crate::domain::AccountType::is_liability`]) in
/// `liabilities` — normally negative, so `net = assets + liabilities`
/// subtracts what is owed. Summed exactly; a sum beyond `i64` is
/// `Validation { field: "balance" }` (as a balance beyond `i64` is).
pub fn net_worth(balances: &[AccountBalance]) -> Result<NetWorth> {
    let (mut assets, mut liabilities) = (0i128, 0i128);
    for b in balances {
        if b.account.kind.is_liability() {
            liabilities += i128::from(b.balance);
        } else {
            assets += i128::from(b.balance);
        }
    }
    Ok(NetWorth {
        assets: money::signed_total("balance", assets)?,
        liabilities: money::signed_total("balance", liabilities)?,
        net: money::signed_total("balance", assets + liabilities)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Description;

    fn category(kind: CategoryKind, name: &str) -> Category {
        Category {
            id: Id::generate(),
            user_id: Id::generate(),
            name: name.to_string(),
            kind,
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    fn field(r: Result<()>) -> Option<String> {
        r.err().and_then(|e| e.field().map(str::to_string))
    }

    #[test]
    fn a_move_target_is_another_category_of_the_same_kind() {
        let food = category(CategoryKind::Expense, "Food");
        let rent = category(CategoryKind::Expense, "Rent");
        let salary = category(CategoryKind::Income, "Salary");
        assert!(
            check_move_target(&food, Some(&rent)).is_ok(),
            "another expense category is a valid target"
        );
        assert_eq!(
            field(check_move_target(&food, Some(&food))),
            Some(MOVE_TO.to_string()),
            "a category cannot absorb itself"
        );
        assert_eq!(
            field(check_move_target(&food, Some(&salary))),
            Some(MOVE_TO.to_string()),
            "expense rows must not turn into income"
        );
        assert_eq!(
            field(check_move_target(&food, None)),
            Some(MOVE_TO.to_string()),
            "a target that is not the user's is refused like a missing one"
        );
    }

    #[test]
    fn budgets_are_for_expense_categories_only() {
        assert!(check_budget_category(&category(CategoryKind::Expense, "Food")).is_ok());
        assert_eq!(
            field(check_budget_category(&category(
                CategoryKind::Income,
                "Pay"
            ))),
            Some("categoryId".to_string()),
            "an income category cannot carry a spending limit"
        );
    }

    #[test]
    fn a_new_transaction_takes_its_categorys_kind() {
        let salary = category(CategoryKind::Income, "Salary");
        let new = NewTransaction {
            account_id: None,
            category_id: salary.id,
            amount: crate::Amount::from_minor("amount", 1250).expect("a valid amount"),
            date: chrono::NaiveDate::from_ymd_opt(2024, 1, 5).expect("a valid date"),
            description: Description::parse("description", "March pay").expect("valid"),
            note: None,
        };
        let account = Id::generate();
        let t = new_transaction(salary.user_id, new, account, &salary, DateTime::UNIX_EPOCH);
        assert_eq!(t.account_id, account, "the resolved account is stored");
        assert_eq!(
            t.kind,
            CategoryKind::Income,
            "the kind comes from the category"
        );
        assert_eq!(edited_kind(&salary), CategoryKind::Income);
    }

    #[test]
    fn the_in_use_refusal_counts_what_uses_the_category() {
        let e = category_in_use(CategoryUsage {
            transactions: 1,
            budgets: 2,
        });
        assert_eq!(e.field(), Some("category"));
        assert!(
            e.to_string().contains("1 transaction and 2 budgets"),
            "singular and plural are spelled right: {e}"
        );
    }

    fn account(position: i32, archived: bool, created_ms: i64) -> Account {
        Account {
            id: Id::generate(),
            user_id: Id::generate(),
            name: format!("a{position}"),
            kind: crate::domain::AccountType::Checking,
            currency: crate::Currency::EUR,
            opening_balance: 0,
            opening_date: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("a valid date"),
            note: None,
            archived,
            position,
            last_reconciled: None,
            created_at: DateTime::from_timestamp_millis(created_ms).expect("a valid instant"),
        }
    }

    #[test]
    fn the_default_account_is_the_first_open_one_by_position() {
        let archived_first = account(0, true, 0);
        let second = account(1, false, 5);
        let also_second_but_older = account(1, false, 1);
        let all = [
            archived_first.clone(),
            second,
            also_second_but_older.clone(),
        ];
        assert_eq!(
            default_account(&all).map(|a| a.id),
            Some(also_second_but_older.id),
            "archived accounts are skipped; equal positions go by creation"
        );
        assert!(default_account(&[archived_first]).is_none());
    }

    #[test]
    fn balance_effects_and_account_move_targets() {
        assert_eq!(balance_effect(CategoryKind::Income, 500), 500);
        assert_eq!(balance_effect(CategoryKind::Expense, 500), -500);
        let a = account(0, false, 0);
        let b = account(1, true, 0);
        assert!(
            check_account_move_target(&a, Some(&b)).is_ok(),
            "an archived account may still receive"
        );
        assert_eq!(
            field(check_account_move_target(&a, Some(&a))),
            Some(MOVE_TO.to_string())
        );
        assert_eq!(
            field(check_account_move_target(&a, None)),
            Some(MOVE_TO.to_string())
        );
        let e = account_in_use(1);
        assert_eq!(e.field(), Some("account"));
        assert!(e.to_string().contains("1 transaction;"), "{e}");
        assert_eq!(last_account().field(), Some("account"));
    }

    #[test]
    fn net_worth_adds_assets_and_liabilities_archived_ones_too() {
        use crate::domain::AccountType::{Cash, Checking, CreditCard, Loan, Savings};
        let with = |kind, archived, balance| AccountBalance {
            account: Account {
                kind,
                ..account(0, archived, 0)
            },
            balance,
            transactions: 0,
        };
        let all = [
            with(Checking, false, 120_000),
            with(Cash, true, 5_000),
            with(CreditCard, false, -25_000),
            with(Loan, true, -100_000),
        ];
        assert_eq!(
            net_worth(&all).unwrap(),
            NetWorth {
                assets: 125_000,
                liabilities: -125_000,
                net: 0
            },
            "archived accounts count; a liability's negative balance lowers the net"
        );
        assert_eq!(
            net_worth(&[]).unwrap(),
            NetWorth {
                assets: 0,
                liabilities: 0,
                net: 0
            }
        );
        let huge = [with(Checking, false, i64::MAX), with(Savings, false, 1)];
        assert_eq!(
            net_worth(&huge).unwrap_err().field(),
            Some("balance"),
            "an exact sum beyond i64 is refused, never wrapped"
        );
        let opposite = [
            with(Checking, false, i64::MAX),
            with(CreditCard, false, i64::MIN),
        ];
        assert_eq!(
            net_worth(&opposite).unwrap().net,
            -1,
            "the net is summed exactly in 128 bits"
        );
    }
}
