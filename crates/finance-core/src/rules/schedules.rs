//! Schedules (recurring transactions): what an occurrence writes, in order,
//! and the refusal to delete what a schedule uses.

use super::*;
use crate::domain::{Description, NewSchedule, Note, Schedule, ScheduleAction};

/// The rows one occurrence of schedule `s` on `date` writes for its user,
/// created at `now`: an income or expense in the template's category (its
/// kind the category's, as [`new_transaction`]; `category` is the one the
/// schedule names, read by the operation), or both legs of a transfer
/// ([`new_transfer`]). The template was checked when the schedule was saved;
/// the category's kind is checked again here, at posting.
pub fn schedule_rows(
    s: &Schedule,
    category: Option<&Category>,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<Transaction>> {
    let description = Description::parse("description", &s.description)?;
    let note = Note::parse_optional("note", s.note.as_deref())?;
    match (s.action, category) {
        (
            ScheduleAction::Entry {
                category_id,
                amount,
            },
            Some(category),
        ) if category.id == category_id => {
            let new = NewTransaction {
                account_id: Some(s.account_id),
                category_id,
                amount,
                date,
                description,
                note,
            };
            Ok(vec![new_transaction(
                s.user_id,
                new,
                s.account_id,
                category,
                now,
            )?])
        }
        (ScheduleAction::Entry { .. }, _) => Err(Error::NotFound { what: "category" }),
        (ScheduleAction::Transfer { to_account, amount }, _) => {
            let new = NewTransfer {
                from_account: s.account_id,
                to_account,
                amount,
                date,
                description,
                note,
            };
            Ok(new_transfer(s.user_id, &new, now)?.to_vec())
        }
    }
}

/// A schedule's template must be a transaction the user could enter: a
/// negative amount only in an expense category ([`check_amount_sign`]),
/// a transfer between two different accounts ([`check_transfer_accounts`]).
pub fn check_schedule(new: &NewSchedule, category: Option<&Category>) -> Result<()> {
    match (new.action, category) {
        (ScheduleAction::Entry { amount, .. }, Some(category)) => {
            check_amount_sign(category.kind, amount)
        }
        (ScheduleAction::Entry { .. }, None) => Err(Error::NotFound { what: "category" }),
        (ScheduleAction::Transfer { to_account, .. }, _) => {
            check_transfer_accounts(new.account_id, to_account)
        }
    }
}

/// The refusal to delete a category or an account (`what`) that schedules
/// still use: `Conflict { field: what }`. The user edits or deletes those
/// schedules first (a schedule never points at nothing).
pub fn used_by_schedules(what: &str, schedules: u64) -> Error {
    Error::conflict(
        what,
        format!(
            "{schedules} schedule{} use{} this {what}; change or delete {} first",
            if schedules == 1 { "" } else { "s" },
            if schedules == 1 { "s" } else { "" },
            if schedules == 1 { "it" } else { "them" },
        ),
    )
}

/// Occurrences are posted or skipped in order: only a schedule's next one
/// (`Validation { field: "occurrence" }` otherwise).
pub fn check_next_occurrence(s: &Schedule, occurrence: NaiveDate) -> Result<()> {
    match s.next_due() {
        Some(next) if next == occurrence => Ok(()),
        Some(next) => Err(Error::validation(
            "occurrence",
            format!("the next occurrence of this schedule is {next}: post or skip that one first"),
        )),
        None => Err(Error::validation("occurrence", "this schedule has ended")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::{category, field};

    #[test]
    fn a_schedule_posts_what_the_user_would_enter_in_order() {
        use crate::domain::{ScheduleDraft, ScheduleMode};
        let user = Id::generate();
        let rent = category(CategoryKind::Expense, "Rent");
        let draft = |category: Option<Id>, to: Option<Id>, amount: &str| ScheduleDraft {
            account_id: Id::generate().to_hex(),
            category_id: category.map(|c| c.to_hex()),
            to_account_id: to.map(|a| a.to_hex()),
            amount: amount.into(),
            description: "Rent".into(),
            frequency: "monthly".into(),
            start_date: "2024-01-31".into(),
            mode: "post".into(),
            ..ScheduleDraft::default()
        };
        let new = draft(Some(rent.id), None, "850")
            .validate(crate::money::Currency::EUR)
            .unwrap();
        assert!(check_schedule(&new, Some(&rent)).is_ok());
        let salary = category(CategoryKind::Income, "Salary");
        let refund = draft(Some(salary.id), None, "-5")
            .validate(crate::money::Currency::EUR)
            .unwrap();
        assert_eq!(
            field(check_schedule(&refund, Some(&salary))).as_deref(),
            Some("amount"),
            "no negative income, as in the form"
        );
        let now = DateTime::from_timestamp(0, 0).unwrap();
        let s = Schedule {
            id: Id::generate(),
            user_id: user,
            account_id: new.account_id,
            action: new.action,
            description: "Rent".into(),
            note: None,
            recurrence: new.recurrence,
            mode: ScheduleMode::Post,
            paused: false,
            handled_through: None,
            created_at: now,
            updated_at: now,
        };
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let rows = schedule_rows(&s, Some(&rent), day("2024-02-29"), now).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].kind, rows[0].date, rows[0].amount.minor()),
            (EntryKind::Expense, day("2024-02-29"), 85_000),
            "the category's kind, the occurrence's date"
        );
        assert!(schedule_rows(&s, Some(&salary), day("2024-02-29"), now).is_err());
        assert!(check_next_occurrence(&s, day("2024-01-31")).is_ok());
        assert_eq!(
            check_next_occurrence(&s, day("2024-02-29"))
                .unwrap_err()
                .field(),
            Some("occurrence"),
            "only the next occurrence"
        );
        let e = used_by_schedules("account", 2);
        assert_eq!(e.field(), Some("account"));
        assert!(
            e.to_string().contains("2 schedules use this account"),
            "{e}"
        );
    }
}
