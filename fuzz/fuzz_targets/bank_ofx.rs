//! The OFX/QFX reader over arbitrary bytes (SGML or XML, any encoding): it
//! returns a statement or a `Validation` error on the file — never a panic.
//! Whatever it returns keeps the reader's promises.
#![no_main]

use finance_core::bank::{ReadOptions, ofx};
use finance_core::{Currency, Error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let options = ReadOptions {
        currency: Currency::EUR,
        qif_dates: None,
    };
    match ofx::read(bytes, &options) {
        Ok(file) => {
            assert_eq!(file.format, finance_core::bank::BankFormat::Ofx);
            assert!(file.currency.as_deref().is_none_or(|c| c == "EUR"));
            assert!(file.entries.iter().all(|e| e.bank_id.as_deref() != Some("")));
        }
        Err(Error::Validation { field, .. }) => assert_eq!(field, "file"),
        Err(other) => panic!("unexpected error {other:?}"),
    }
});
