//! The CSV import's parse/check path over arbitrary bytes: `sniff_csv` decodes,
//! finds the delimiter and header, reads the first records and guesses settings
//! whose column indexes exist, or refuses with a `Validation` error; then
//! `plan_rows` (the store-free half of `Finance::import_plan`) parses and checks
//! every row with those settings: each row is accepted (positive amount,
//! trimmed non-empty description) or has a line error; whole-file problems are
//! `Validation` errors. Never a panic.
#![no_main]

use finance_core::csv_io::{plan_rows, sniff_csv};
use finance_core::{Currency, Error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let preview = match sniff_csv(bytes) {
        Ok(p) => p,
        Err(Error::Validation { .. }) => return,
        Err(other) => panic!("unexpected error {other:?}"),
    };
    assert_eq!(preview.delimiter, preview.guess.delimiter);
    assert!(preview.rows.len() <= 10);
    match plan_rows(bytes, &preview.guess, &[], Currency::EUR, Vec::new()) {
        Ok(plan) => {
            assert_eq!(plan.total, (plan.rows.len() + plan.errors.len()) as u64);
            for r in &plan.rows {
                assert!(r.amount.minor() > 0);
                assert!(!r.description.is_empty() && r.description == r.description.trim());
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
