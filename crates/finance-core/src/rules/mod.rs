//! The business rules, each written once.
//!
//! [`crate::ops`] applies them before it calls a store, so a store method only
//! stores: it keeps what the database itself guarantees (uniqueness, that a
//! referenced row exists and belongs to the same user, all-or-nothing
//! transactions) and nothing else. A new rule goes here, with its unit test,
//! and is called from the operation that needs it — never from a store.
//!
//! * A transaction's kind is its category's ([`new_transaction`],
//!   [`edited_kind`]); categories never change kind. A negative amount is a
//!   refund, in an expense category only ([`check_amount_sign`]); an imported
//!   money-in row naming an expense category is one ([`money_in_kind`]).
//! * A category's transactions and budgets move only to another category of
//!   the same kind ([`check_move_target`]); a category still in use is not
//!   deleted without a target ([`category_in_use`], the error a store returns
//!   when it finds the category used inside its delete transaction).
//! * Budgets are set on expense categories only ([`check_budget_category`]).
//! * A transaction's effect on its account's balance: income adds, expense
//!   subtracts ([`balance_effect`]); stores compute the same sign in SQL/aggregations.
//! * An account's opening balance counts from its opening date on
//!   ([`opening_on`]); its rows count whatever their date.
//! * A transaction added without an account goes to the user's default
//!   account ([`default_account`]); an account's transactions move only to
//!   another account of the user ([`check_account_move_target`]); an account
//!   still holding transactions is not deleted without a target
//!   ([`account_in_use`]), and the last account is never deleted ([`last_account`]).
//! * Net worth is the sum of every account's balance, archived ones included;
//!   assets and liabilities are split by type ([`net_worth`]).
//! * A schedule's occurrence writes what the user would have entered
//!   ([`schedule_rows`], [`check_schedule`]); occurrences are handled in
//!   order ([`check_next_occurrence`]); a category or account a schedule
//!   uses is not deleted ([`used_by_schedules`]).
//! * A rule's category agrees with its income/expense condition
//!   ([`check_rule_category`]); a user has at most
//!   [`crate::domain::MAX_RULES_PER_USER`] rules ([`check_rule_count`]);
//!   applying a rule to a stored row changes only an income or expense row
//!   that is not reconciled, into a category of the row's own kind
//!   ([`rule_change`]), so every kind-consistent sum stays exact. Which rule
//!   matches is [`crate::domain::first_match`].
//! * A bulk action ([`check_bulk`]) takes only the user's rows (every id
//!   asked for, else `NotFound`), at most [`crate::domain::MAX_BULK_ROWS`];
//!   a re-categorise keeps each row's kind and never gives a transfer leg a
//!   category; a move never takes a transfer leg (its other leg could end in
//!   the same account, invariant 4b: move a transfer as a transfer);
//!   reconciled rows change or go only when the user confirms, as single edits.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{
    Account, AccountBalance, Category, CategoryKind, CategoryUsage, CurrencyUsage, EntryKind,
    NetWorth, NewTransaction, NewTransfer, Transaction, TxStatus,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::SignedAmount;

mod bulk;
mod categorising;
mod schedules;

pub use bulk::{BulkAction, check_bulk};
pub use categorising::{check_rule_category, check_rule_count, rule_change};
pub use schedules::{check_next_occurrence, check_schedule, schedule_rows, used_by_schedules};

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
) -> Result<Transaction> {
    check_amount_sign(category.kind, new.amount)?;
    Ok(Transaction {
        id: Id::generate(),
        user_id: user,
        account_id: account,
        category_id: Some(new.category_id),
        kind: category.kind.into(),
        amount: new.amount,
        date: new.date,
        description: new.description.into_inner(),
        note: new.note.map(|n| n.as_str().to_string()),
        status: TxStatus::Uncleared,
        transfer_id: None,
        bank_id: None,
        created_at: now,
        updated_at: now,
    })
}

/// The kind an edited transaction has: its (possibly new) category's, whose
/// kind must also allow the amount's sign ([`check_amount_sign`]).
pub fn edited_kind(category: &Category, amount: SignedAmount) -> Result<EntryKind> {
    check_amount_sign(category.kind, amount)?;
    Ok(category.kind.into())
}

/// A negative amount is a refund, which belongs to an expense category (it
/// lowers that category's spending); income is always positive.
/// `Validation { field: "amount" }` otherwise.
pub fn check_amount_sign(kind: CategoryKind, amount: SignedAmount) -> Result<()> {
    if amount.is_negative() && kind == CategoryKind::Income {
        return Err(Error::validation(
            "amount",
            "must be greater than zero for income (a refund goes in the expense category it refunds)",
        ));
    }
    Ok(())
}

/// The kind of an imported money-in row (a bank credit) whose category cell
/// names a category: income, unless the name is only one of the user's
/// expense categories (or mapped to one) — then the money coming back is a
/// refund of that category, an expense with a negative amount
/// ([`check_amount_sign`]). `income`/`expense`: whether the name is a
/// category (or mapped) of that kind. A money-in row without a category
/// cell, or whose name is unknown, is income (as the amount's sign says).
pub fn money_in_kind(income: bool, expense: bool) -> CategoryKind {
    if expense && !income {
        CategoryKind::Expense
    } else {
        CategoryKind::Income
    }
}

/// The two legs of a new transfer of `user`, created at `now`: the `from`
/// leg takes the amount out, the `to` leg puts it in; both share one
/// `transfer_id` and carry no category. The accounts must differ
/// (`Validation { field: "toAccountId" }`); that both are the user's is the
/// store's check, inside its write.
pub fn new_transfer(user: Id, new: &NewTransfer, now: DateTime<Utc>) -> Result<[Transaction; 2]> {
    check_transfer_accounts(new.from_account, new.to_account)?;
    let transfer_id = Id::generate();
    let leg = |account: Id, kind: EntryKind| Transaction {
        id: Id::generate(),
        user_id: user,
        account_id: account,
        category_id: None,
        kind,
        amount: new.amount.into(),
        date: new.date,
        description: new.description.as_str().to_string(),
        note: new.note.as_ref().map(|n| n.as_str().to_string()),
        status: TxStatus::Uncleared,
        transfer_id: Some(transfer_id),
        bank_id: None,
        created_at: now,
        updated_at: now,
    };
    Ok([
        leg(new.from_account, EntryKind::TransferOut),
        leg(new.to_account, EntryKind::TransferIn),
    ])
}

/// The refusal to edit a transfer's leg as if it were an income or expense
/// (a leg changes only with its transfer): `Conflict { field: "kind" }`.
pub fn edit_transfer_as_transfer() -> Error {
    Error::conflict("kind", "this is a transfer: edit it as a transfer")
}

/// A transfer moves money between two different accounts.
pub fn check_transfer_accounts(from: Id, to: Id) -> Result<()> {
    if from == to {
        return Err(Error::validation(
            "toAccountId",
            "must be a different account than the one the money comes from",
        ));
    }
    Ok(())
}

/// An edit or delete of a reconciled row (it matched a bank statement) needs
/// the user's confirmation: `Conflict { field: "status" }` without it, which
/// the app turns into a question.
pub fn check_reconciled_change(t: &Transaction, confirmed: bool) -> Result<()> {
    if t.status == TxStatus::Reconciled && !confirmed {
        return Err(Error::conflict(
            "status",
            "this transaction is reconciled with a bank statement; confirm to change it",
        ));
    }
    Ok(())
}

/// How far a reconciliation is from the statement: the statement's ending
/// balance minus the account's cleared balance with the ticked rows counted
/// (0 = the account agrees with the statement and can be finished).
pub fn reconciliation_difference(statement_balance: i64, cleared_balance: i64) -> i128 {
    i128::from(statement_balance) - i128::from(cleared_balance)
}

/// The refusal to finish a reconciliation whose cleared balance is not the
/// statement's: `Conflict { field: "statementBalance" }` naming the
/// difference in minor units (nothing is written).
pub fn reconciliation_off(statement_balance: i64, cleared_balance: i64) -> Error {
    Error::conflict(
        "statementBalance",
        format!(
            "the cleared balance differs from the statement by {} (minor units); \
             tick the missing transactions or correct the statement balance",
            reconciliation_difference(statement_balance, cleared_balance)
        ),
    )
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

/// A user's currency is a label for their amounts' minor units: it may
/// change only while no amount is recorded in it (no transaction, budget,
/// opening balance, reconciled statement, schedule or rule with an amount
/// condition), since changing it would
/// re-read every stored amount in another unit (100 cents are not 100 yen).
/// Otherwise `Conflict { field: "currency" }`, saying what holds amounts.
/// Both stores return this refusal when they find such rows inside the change.
pub fn currency_in_use(usage: CurrencyUsage) -> Option<Error> {
    if !usage.is_used() {
        return None;
    }
    let count = |n: u64, one: &str, many: &str| {
        (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
    };
    let held: Vec<String> = [
        count(usage.transactions, "transaction", "transactions"),
        count(usage.budgets, "budget", "budgets"),
        count(usage.balances, "account balance", "account balances"),
        count(usage.schedules, "schedule", "schedules"),
        count(usage.rules, "rule with an amount", "rules with an amount"),
    ]
    .into_iter()
    .flatten()
    .collect();
    Some(Error::conflict(
        "currency",
        format!(
            "amounts are already recorded in this currency ({}); it can change only before any amount is recorded (export, then start a new user in the other currency)",
            held.join(", ")
        ),
    ))
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

/// What a row of `kind` and `amount` (minor units) adds to its account's
/// balance: income and a transfer's incoming leg `+amount`, expense and a
/// transfer's outgoing leg `-amount` (so a refund — a negative expense —
/// adds). The stores compute the same sign in SQL (`tx_account_daily`'s
/// triggers) and in aggregations (`store::mongo::accounts::EFFECT`).
pub fn balance_effect(kind: EntryKind, amount: i64) -> i64 {
    match kind {
        EntryKind::Income | EntryKind::TransferIn => amount,
        EntryKind::Expense | EntryKind::TransferOut => -amount,
    }
}

/// What an account's opening balance adds to its balance at the end of
/// `date`: all of it from the opening date on, nothing before. A row dated
/// before the opening date still counts in every balance after it (it
/// happened; the opening date only says when the opening balance applies).
pub fn opening_on(account: &Account, date: NaiveDate) -> i64 {
    if date >= account.opening_date {
        account.opening_balance
    } else {
        0
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
    NetWorth::of(
        balances
            .iter()
            .map(|b| (b.account.kind.is_liability(), i128::from(b.balance))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Description;

    pub(super) fn category(kind: CategoryKind, name: &str) -> Category {
        Category {
            id: Id::generate(),
            user_id: Id::generate(),
            name: name.to_string(),
            kind,
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    pub(super) fn field(r: Result<()>) -> Option<String> {
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
    fn money_in_naming_only_an_expense_category_is_a_refund() {
        use CategoryKind::{Expense, Income};
        assert_eq!(
            money_in_kind(false, true),
            Expense,
            "money back into an expense category is a refund of it"
        );
        assert_eq!(
            money_in_kind(true, true),
            Income,
            "a name that is also an income category (or mapped to one) stays income"
        );
        assert_eq!(money_in_kind(true, false), Income);
        assert_eq!(
            money_in_kind(false, false),
            Income,
            "an unknown name is income, as the sign says"
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
            amount: SignedAmount::from_minor("amount", 1250).expect("a valid amount"),
            date: chrono::NaiveDate::from_ymd_opt(2024, 1, 5).expect("a valid date"),
            description: Description::parse("description", "March pay").expect("valid"),
            note: None,
        };
        let account = Id::generate();
        let t = new_transaction(
            salary.user_id,
            new.clone(),
            account,
            &salary,
            DateTime::UNIX_EPOCH,
        )
        .expect("a positive income");
        assert_eq!(t.account_id, account, "the resolved account is stored");
        assert_eq!(
            t.kind,
            EntryKind::Income,
            "the kind comes from the category"
        );
        assert_eq!(t.category_id, Some(salary.id));
        assert_eq!(edited_kind(&salary, new.amount).unwrap(), EntryKind::Income);
        let refund = SignedAmount::from_minor("amount", -300).expect("a valid refund");
        assert_eq!(
            field(edited_kind(&salary, refund).map(|_| ())),
            Some("amount".to_string()),
            "income is never negative: a refund belongs to an expense category"
        );
        let food = category(CategoryKind::Expense, "Food");
        assert_eq!(
            edited_kind(&food, refund).unwrap(),
            EntryKind::Expense,
            "a negative expense is a refund"
        );
        let refused = new_transaction(
            salary.user_id,
            NewTransaction {
                amount: refund,
                ..new
            },
            account,
            &salary,
            DateTime::UNIX_EPOCH,
        );
        assert!(refused.is_err(), "the add checks the sign as the edit does");
    }

    #[test]
    fn a_transfer_has_two_legs_between_different_accounts() {
        let user = Id::generate();
        let (from, to) = (Id::generate(), Id::generate());
        let new = NewTransfer {
            from_account: from,
            to_account: to,
            amount: crate::Amount::from_minor("amount", 25_000).expect("valid"),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("a valid date"),
            description: Description::parse("description", "Card bill").expect("valid"),
            note: None,
        };
        let [out, into] = new_transfer(user, &new, DateTime::UNIX_EPOCH).expect("valid");
        assert_eq!((out.kind, out.account_id), (EntryKind::TransferOut, from));
        assert_eq!((into.kind, into.account_id), (EntryKind::TransferIn, to));
        assert!(out.transfer_id.is_some() && out.transfer_id == into.transfer_id);
        assert!(out.category_id.is_none() && into.category_id.is_none());
        assert_eq!(
            balance_effect(out.kind, out.amount.minor())
                + balance_effect(into.kind, into.amount.minor()),
            0,
            "a transfer moves money, it neither makes nor spends any"
        );
        let same = NewTransfer {
            to_account: from,
            ..new
        };
        assert_eq!(
            new_transfer(user, &same, DateTime::UNIX_EPOCH)
                .err()
                .and_then(|e| e.field().map(str::to_string)),
            Some("toAccountId".to_string())
        );
    }

    #[test]
    fn a_reconciled_row_changes_only_when_confirmed() {
        let food = category(CategoryKind::Expense, "Food");
        let new = NewTransaction {
            account_id: None,
            category_id: food.id,
            amount: SignedAmount::from_minor("amount", 100).expect("valid"),
            date: chrono::NaiveDate::from_ymd_opt(2024, 1, 5).expect("a valid date"),
            description: Description::parse("description", "Bread").expect("valid"),
            note: None,
        };
        let mut t = new_transaction(
            food.user_id,
            new,
            Id::generate(),
            &food,
            DateTime::UNIX_EPOCH,
        )
        .expect("valid");
        assert!(
            check_reconciled_change(&t, false).is_ok(),
            "uncleared: free to edit"
        );
        t.status = TxStatus::Cleared;
        assert!(
            check_reconciled_change(&t, false).is_ok(),
            "cleared: free to edit"
        );
        t.status = TxStatus::Reconciled;
        assert_eq!(
            field(check_reconciled_change(&t, false)),
            Some("status".to_string()),
            "reconciled: the app asks first"
        );
        assert!(check_reconciled_change(&t, true).is_ok());
        assert_eq!(reconciliation_difference(-25_000, -24_000), -1_000);
        assert_eq!(reconciliation_off(5, 5).field(), Some("statementBalance"));
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
        assert_eq!(balance_effect(EntryKind::Income, 500), 500);
        assert_eq!(balance_effect(EntryKind::Expense, 500), -500);
        assert_eq!(
            balance_effect(EntryKind::Expense, -500),
            500,
            "a refund adds to the account"
        );
        assert_eq!(balance_effect(EntryKind::TransferOut, 500), -500);
        assert_eq!(balance_effect(EntryKind::TransferIn, 500), 500);
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
    fn the_opening_balance_counts_from_its_date_on() {
        let a = Account {
            opening_balance: -2_500,
            ..account(0, false, 0)
        };
        let day = |d: u32| NaiveDate::from_ymd_opt(2024, 1, d).expect("a valid date");
        assert_eq!(opening_on(&a, day(1)), -2_500, "on the opening date");
        assert_eq!(opening_on(&a, day(2)), -2_500, "after it");
        assert_eq!(
            opening_on(
                &a,
                NaiveDate::from_ymd_opt(2023, 12, 31).expect("a valid date")
            ),
            0,
            "not before it"
        );
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
            cleared_balance: 0,
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
