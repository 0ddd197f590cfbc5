//! The rules of rules (auto-categorisation): a rule's category agrees with its
//! income/expense condition, a user has a bounded number of rules, and applying
//! a rule to a stored row changes only what keeps every sum exact.

use super::*;
use crate::domain::{MAX_RULES_PER_USER, NewRule, Rule, RuleChange, RuleSkip};

/// A rule's category (when it sets one) must be of the kind of its
/// income/expense condition (when it has one): `Validation { field:
/// "categoryId" }` otherwise. That the category is the user's is the
/// caller's read (`NotFound`).
pub fn check_rule_category(rule: &NewRule, category: Option<&Category>) -> Result<()> {
    if let (Some(kind), Some(c)) = (rule.conditions.kind, category)
        && c.kind != kind
    {
        return Err(Error::validation(
            "categoryId",
            format!("must be an {kind} category, like the rule's condition"),
        ));
    }
    Ok(())
}

/// A user with `existing` rules may add one more only below the cap
/// (`Validation { field: "rules" }`).
pub fn check_rule_count(existing: usize) -> Result<()> {
    if existing >= MAX_RULES_PER_USER {
        return Err(Error::validation(
            "rules",
            format!("you can have at most {MAX_RULES_PER_USER} rules"),
        ));
    }
    Ok(())
}

/// What applying `rule` (which matched) to the stored row `t` changes:
/// `Ok(None)` when nothing would change; a skip when the row must not be
/// changed: a transfer's leg, a reconciled row, or a rule category of the
/// other kind than the row (`category` is the rule's category, looked up
/// by the caller; a re-categorisation keeps the row's kind, so income,
/// expense, budget and report sums stay exact).
pub fn rule_change(
    t: &Transaction,
    rule: &Rule,
    category: Option<&Category>,
) -> std::result::Result<Option<RuleChange>, RuleSkip> {
    let Some(kind) = t.kind.category_kind() else {
        return Err(RuleSkip::Transfer);
    };
    let category_id = match (rule.actions.category, category) {
        (None, _) => t.category_id,
        (Some(_), Some(c)) if c.kind == kind => Some(c.id),
        (Some(_), _) => return Err(RuleSkip::Kind),
    };
    let description = rule
        .actions
        .rename
        .clone()
        .unwrap_or_else(|| t.description.clone());
    let note = rule.actions.note.clone().or_else(|| t.note.clone());
    if category_id == t.category_id && description == t.description && note == t.note {
        return Ok(None);
    }
    if t.status == TxStatus::Reconciled {
        return Err(RuleSkip::Reconciled);
    }
    let Some(category_id) = category_id else {
        return Err(RuleSkip::Transfer);
    };
    Ok(Some(RuleChange {
        transaction_id: t.id,
        rule_id: rule.id,
        kind,
        category_id,
        description,
        note,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::{category, field};

    #[test]
    fn a_rule_changes_only_rows_of_its_categorys_kind_never_legs_or_reconciled_rows() {
        use crate::domain::{RuleActions, RuleConditions, RuleDraft};
        let food = category(CategoryKind::Expense, "Food");
        let pay = category(CategoryKind::Income, "Pay");
        let rule = Rule {
            id: Id::generate(),
            user_id: food.user_id,
            name: "r".into(),
            position: 0,
            enabled: true,
            conditions: RuleConditions::default(),
            actions: RuleActions {
                category: Some(food.id),
                rename: Some("Market".into()),
                note: None,
            },
            created_at: DateTime::UNIX_EPOCH,
        };
        let row = |kind: EntryKind, status: TxStatus| Transaction {
            id: Id::generate(),
            user_id: food.user_id,
            account_id: Id::generate(),
            category_id: (!kind.is_transfer()).then(Id::generate),
            kind,
            amount: SignedAmount::from_minor("amount", 100).unwrap(),
            date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            description: "MARKET 1".into(),
            note: Some("kept".into()),
            status,
            transfer_id: kind.is_transfer().then(Id::generate),
            bank_id: None,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        };
        let t = row(EntryKind::Expense, TxStatus::Cleared);
        let c = rule_change(&t, &rule, Some(&food)).unwrap().unwrap();
        assert_eq!(
            (
                c.category_id,
                c.description.as_str(),
                c.note.as_deref(),
                c.kind
            ),
            (food.id, "Market", Some("kept"), CategoryKind::Expense),
            "a note the rule does not set is kept"
        );
        assert_eq!(
            rule_change(
                &row(EntryKind::Income, TxStatus::Uncleared),
                &rule,
                Some(&food)
            ),
            Err(RuleSkip::Kind),
            "an income row never goes to an expense category"
        );
        assert_eq!(
            rule_change(
                &row(EntryKind::TransferOut, TxStatus::Uncleared),
                &rule,
                Some(&food)
            ),
            Err(RuleSkip::Transfer)
        );
        assert_eq!(
            rule_change(
                &row(EntryKind::Expense, TxStatus::Reconciled),
                &rule,
                Some(&food)
            ),
            Err(RuleSkip::Reconciled)
        );
        let mut done = row(EntryKind::Expense, TxStatus::Reconciled);
        done.category_id = Some(food.id);
        done.description = "Market".into();
        assert_eq!(
            rule_change(&done, &rule, Some(&food)),
            Ok(None),
            "nothing to change, even on a reconciled row"
        );
        // A rule's category must be of its kind condition's kind.
        let mut draft = RuleDraft {
            enabled: true,
            description_text: Some("pay".into()),
            category_id: Some(pay.id.to_hex()),
            kind: Some("expense".into()),
            ..RuleDraft::default()
        };
        let new = draft.validate(crate::money::Currency::EUR).unwrap();
        assert_eq!(
            field(check_rule_category(&new, Some(&pay))),
            Some("categoryId".into())
        );
        draft.kind = Some("income".into());
        let new = draft.validate(crate::money::Currency::EUR).unwrap();
        assert!(check_rule_category(&new, Some(&pay)).is_ok());
        assert!(check_rule_count(MAX_RULES_PER_USER - 1).is_ok());
        assert_eq!(
            field(check_rule_count(MAX_RULES_PER_USER)),
            Some("rules".into())
        );
    }
}
