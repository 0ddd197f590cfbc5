//! The QIF reader over arbitrary bytes, with and without a day/month choice:
//! a statement, a `Validation` error on the file, or — only without a choice
//! — the `date_order` question; never a panic. A choice only ever settles
//! the question: with one, the same bytes never ask it.
#![no_main]

use finance_core::bank::{DayMonthOrder, ReadOptions, qif};
use finance_core::{Currency, Error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let mut options = ReadOptions {
        currency: Currency::EUR,
        qif_dates: None,
    };
    let asked = match qif::read(bytes, &options) {
        Ok(file) => {
            assert!(file.entries.iter().all(|e| e.bank_id.is_none()), "QIF has no ids");
            assert!(file.currency.is_none() && file.ending_balance.is_none());
            false
        }
        Err(Error::Validation { field, .. }) if field == "date_order" => true,
        Err(Error::Validation { field, .. }) => {
            assert_eq!(field, "file");
            false
        }
        Err(other) => panic!("unexpected error {other:?}"),
    };
    for order in [DayMonthOrder::MonthFirst, DayMonthOrder::DayFirst] {
        options.qif_dates = Some(order);
        match qif::read(bytes, &options) {
            Ok(_) => {}
            Err(Error::Validation { field, .. }) => {
                assert_eq!(field, "file", "a choice is never asked again");
                assert!(!asked, "a file that only asked the order reads with a choice");
            }
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
});
