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

use chrono::{DateTime, Utc};

use crate::domain::{Category, CategoryKind, CategoryUsage, NewTransaction, Transaction};
use crate::error::{Error, Result};
use crate::id::Id;

/// The field the move rules name (the form's "move to" choice).
const MOVE_TO: &str = "moveTo";

/// The row to store for a new transaction of `user` in `category`, created
/// at `now` (already truncated to the millisecond by the caller): its kind is
/// the category's.
pub fn new_transaction(
    user: Id,
    new: NewTransaction,
    category: &Category,
    now: DateTime<Utc>,
) -> Transaction {
    Transaction {
        id: Id::generate(),
        user_id: user,
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
            category_id: salary.id,
            amount: crate::Amount::from_minor("amount", 1250).expect("a valid amount"),
            date: chrono::NaiveDate::from_ymd_opt(2024, 1, 5).expect("a valid date"),
            description: Description::parse("description", "March pay").expect("valid"),
            note: None,
        };
        let t = new_transaction(salary.user_id, new, &salary, DateTime::UNIX_EPOCH);
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
}
