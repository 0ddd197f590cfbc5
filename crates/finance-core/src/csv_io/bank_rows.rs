//! A bank statement's entries as the checked rows of an import (the
//! `Bank` side of [`super::RowSource`]): each entry becomes the same
//! [`Cells`] a CSV record does, so everything after them is shared.
//!
//! Invariants: money out is an expense, money in income (no category cell:
//! never a refund by name); the description is the payee, or the memo when
//! there is no payee, and the memo is the note when the payee is the
//! description (a memo equal to the payee is dropped); text is one line cut
//! to the domain's limits (a bank file cannot be edited to fit); a bank id is
//! checked by [`BankId`]; every row goes to the import's chosen account.

use super::{Cells, Given, line_error};
use crate::bank::BankEntry;
use crate::csv_io::LineError;
use crate::csv_io::accounts::ImportAccounts;
use crate::domain::{BankId, CategoryKind, Description, Note};
use crate::money::Amount;

/// A bank entry's text as one line: control characters are blanks, runs of
/// blanks one space, and at most `max` characters (the rest cut: a bank
/// file cannot be edited to fit).
fn bank_text(s: &str, max: usize) -> String {
    let spaced: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(spaced.len().min(max * 4));
    for (n, word) in spaced.split_whitespace().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    match out.char_indices().nth(max) {
        Some((at, _)) => out[..at].trim_end().to_string(),
        None => out,
    }
}

/// The checked values of one bank entry (entry `line`, 1-based, of the
/// statement): money out is an expense, money in is income (no category
/// cell, so never a refund by name: [`kinded`]); the description is the
/// payee, or the memo when there is no payee; the memo is the note when the
/// payee is the description; every row goes to the import's chosen account.
pub(super) fn bank_cells<'r>(
    e: &BankEntry,
    line: u64,
    accounts: &ImportAccounts,
) -> Result<Cells<'r>, LineError> {
    let minor = e
        .amount
        .checked_abs()
        .ok_or_else(|| line_error(line, Some("amount"), "is too large"))?;
    let amount = Amount::from_minor("amount", minor)
        .map_err(|e| line_error(line, Some("amount"), e.to_string()))?;
    let given = if e.amount < 0 {
        Given::Kind(CategoryKind::Expense)
    } else {
        Given::MoneyIn
    };
    let payee = bank_text(&e.payee, DESCRIPTION_CHARS);
    let memo = bank_text(&e.memo, NOTE_CHARS);
    let (description, note) = if payee.is_empty() {
        (bank_text(&memo, DESCRIPTION_CHARS), None)
    } else if memo.is_empty() || memo.eq_ignore_ascii_case(&payee) {
        (payee, None)
    } else {
        (payee, Some(memo))
    };
    let description = Description::parse("description", &description)
        .map_err(|_| {
            line_error(
                line,
                Some("description"),
                "is empty: the entry has neither a payee nor a memo",
            )
        })?
        .into_inner();
    let note = Note::parse_optional("note", note.as_deref())
        .map_err(|e| line_error(line, Some("note"), e.to_string()))?
        .map(|n| n.as_str().to_string());
    let bank_id = match &e.bank_id {
        Some(raw) => BankId::parse("bank_id", raw)
            .map_err(|e| line_error(line, Some("bank_id"), e.to_string()))?,
        None => None,
    };
    let account = accounts
        .resolve(None)
        .map_err(|reason| line_error(line, Some("account"), reason))?;
    Ok(Cells {
        date: e.date,
        amount,
        given,
        category: None,
        description,
        note,
        account,
        transfer: None,
        bank_id,
    })
}

/// The longest description and note (the domain's limits, `domain::text`).
const DESCRIPTION_CHARS: usize = 200;
const NOTE_CHARS: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_io::testing::import_accounts;

    fn entry(amount: i64, payee: &str, memo: &str, id: Option<&str>) -> BankEntry {
        BankEntry {
            date: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
            amount,
            payee: payee.into(),
            memo: memo.into(),
            bank_id: id.map(str::to_string),
        }
    }

    fn cells(e: &BankEntry) -> Result<(String, Option<String>, Given, Option<String>), LineError> {
        bank_cells(e, 7, &import_accounts()).map(|c| (c.description, c.note, c.given, c.bank_id))
    }

    #[test]
    fn payee_memo_and_sign_become_description_note_and_kind() {
        let out = cells(&entry(
            -1250,
            " BAKERY\tLTD ",
            "card\n1234",
            Some(" FIT-1 "),
        ))
        .unwrap();
        assert_eq!(
            out,
            (
                "BAKERY LTD".into(),
                Some("card 1234".into()),
                Given::Kind(CategoryKind::Expense),
                Some("FIT-1".into())
            ),
            "one line each, blanks collapsed, the id trimmed; money out is an expense"
        );
        let out = cells(&entry(500, "", "Transfer from savings", None)).unwrap();
        assert_eq!(
            (out.0.as_str(), out.1, out.2),
            ("Transfer from savings", None, Given::MoneyIn),
            "no payee: the memo is the description; money in"
        );
        let out = cells(&entry(-1, "Kiosk", "KIOSK", None)).unwrap();
        assert_eq!(out.1, None, "a memo repeating the payee is no note");
    }

    #[test]
    fn long_text_is_cut_and_bad_entries_are_line_errors() {
        let long = "é".repeat(300);
        let out = cells(&entry(-1, &long, &"m".repeat(1500), None)).unwrap();
        assert_eq!(out.0.chars().count(), DESCRIPTION_CHARS);
        assert_eq!(out.1.map(|n| n.chars().count()), Some(NOTE_CHARS));
        let field = |e: &BankEntry| cells(e).unwrap_err().field;
        assert_eq!(field(&entry(0, "x", "", None)).as_deref(), Some("amount"));
        assert_eq!(
            field(&entry(i64::MIN, "x", "", None)).as_deref(),
            Some("amount")
        );
        assert_eq!(
            field(&entry(-1, " ", "", None)).as_deref(),
            Some("description")
        );
        let too_long = "9".repeat(BankId::MAX_CHARS + 1);
        assert_eq!(
            field(&entry(-1, "x", "", Some(&too_long))).as_deref(),
            Some("bank_id")
        );
        assert_eq!(
            cells(&entry(-1, "x", "", Some("a\u{7}b")))
                .unwrap_err()
                .line,
            7
        );
        assert_eq!(
            cells(&entry(-1, "x", "", Some("  "))).unwrap().3,
            None,
            "a blank id is none"
        );
    }
}
