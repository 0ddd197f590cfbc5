//! The CAMT.053 reader over arbitrary bytes (quick-xml underneath): a
//! statement or a `Validation` error on the file — never a panic, never an
//! entity expanded.
#![no_main]

use finance_core::bank::{ReadOptions, camt};
use finance_core::{Currency, Error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let options = ReadOptions {
        currency: Currency::EUR,
        qif_dates: None,
    };
    match camt::read(bytes, &options) {
        Ok(file) => {
            assert_eq!(file.format, finance_core::bank::BankFormat::Camt053);
            assert!(file.currency.as_deref().is_none_or(|c| c == "EUR"));
        }
        Err(Error::Validation { field, .. }) => assert_eq!(field, "file"),
        Err(other) => panic!("unexpected error {other:?}"),
    }
});
