//! The CSV import's parse/check path over arbitrary bytes: `sniff_csv` decodes,
//! finds the delimiter and header, reads the first records and guesses settings
//! whose column indexes exist, or refuses with a `Validation` error; then
//! `plan_rows` (the store-free half of `Finance::import_plan`) parses and checks
//! every row with those settings: each row is accepted (a non-zero amount,
//! negative only for a refund; trimmed non-empty description on one line; an
//! account) or has a line error; the
//! preview's and the plan's lists stay within their bounds; whole-file
//! problems are `Validation` errors. Never a panic.
#![no_main]

use finance_core::csv_io::{
    MAX_FIELDS, MAX_LINE_ERRORS, MAX_UNKNOWN_CATEGORIES, PREVIEW_CELL_CHARS, SAMPLE_ROWS,
    plan_rows, sniff_csv,
};
use finance_core::domain::{Account, AccountType};
use finance_core::{Currency, Error, Id};
use libfuzzer_sys::fuzz_target;

/// The one account rows go to (an account column may name it, "Main account").
fn accounts() -> Vec<Account> {
    vec![Account {
        id: Id::from_bytes([1; 12]),
        user_id: Id::from_bytes([2; 12]),
        name: "Main account".into(),
        kind: AccountType::Checking,
        currency: Currency::EUR,
        opening_balance: 0,
        opening_date: chrono::NaiveDate::MIN,
        note: None,
        archived: false,
        position: 0,
        last_reconciled: None,
        created_at: chrono::DateTime::UNIX_EPOCH,
    }]
}

fuzz_target!(|bytes: &[u8]| {
    let preview = match sniff_csv(bytes) {
        Ok(p) => p,
        Err(Error::Validation { .. }) => return,
        Err(other) => panic!("unexpected error {other:?}"),
    };
    assert_eq!(preview.delimiter, preview.guess.delimiter);
    assert!(preview.rows.len() <= 10);
    for row in preview.rows.iter().chain(&preview.header) {
        assert!(row.len() <= MAX_FIELDS);
        assert!(row.iter().all(|c| c.chars().count() <= PREVIEW_CELL_CHARS + 1));
    }
    match plan_rows(
        bytes,
        &preview.guess,
        &[],
        Currency::EUR,
        Vec::new(),
        &accounts(),
        None,
    ) {
        Ok(plan) => {
            assert_eq!(plan.total, plan.ready + plan.error_count);
            // The plan's lists are bounded whatever the input; the counts are of all.
            assert_eq!(
                plan.errors.len() as u64,
                plan.error_count.min(MAX_LINE_ERRORS as u64)
            );
            assert_eq!(
                plan.sample.len() as u64,
                plan.ready.min(SAMPLE_ROWS as u64)
            );
            assert!(plan.unknown_categories.len() <= MAX_UNKNOWN_CATEGORIES);
            assert!(plan.unknown_categories.len() as u64 <= plan.unknown_category_count);
            for r in &plan.sample {
                assert_eq!(r.refund, r.amount.is_negative());
                assert_eq!(r.account, "Main account");
                assert!(!r.description.is_empty() && r.description == r.description.trim());
                assert!(!r.description.contains(['\r', '\n']), "one line");
            }
            for e in &plan.errors {
                assert!(e.line >= 1 && !e.reason.is_empty());
            }
        }
        Err(Error::Validation { field, .. }) => {
            assert!(field == "file" || field == "columns", "{field}")
        }
        Err(other) => panic!("unexpected error {other:?}"),
    }
});
