//! The backup reader over arbitrary bytes (`finance_core::backup::Reader`):
//! opening and reading every member either succeeds or is refused with a
//! `Validation` error on `file` or `passphrase`; never a panic, and memory
//! stays bounded (lines are capped, batches are dropped as they come).
#![no_main]

use std::io::Cursor;

use finance_core::backup::Reader;
use finance_core::{Currency, Error, Id};
use libfuzzer_sys::fuzz_target;

fn refused(e: Error) {
    match e {
        Error::Validation { field, .. } => {
            assert!(field == "file" || field == "passphrase", "unexpected field {field}")
        }
        other => panic!("unexpected error {other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let user = Id::from_bytes([1; 12]);
    match Reader::open(Cursor::new(data), Some("fuzz passphrase")) {
        Ok(mut reader) => {
            if let Err(e) = reader.read_all(user, Currency::EUR, &mut |_batch| Ok(())) {
                refused(e);
            }
        }
        Err(e) => refused(e),
    }
});
