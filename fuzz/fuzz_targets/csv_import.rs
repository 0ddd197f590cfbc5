//! `sniff_csv` over arbitrary bytes: it decodes, finds the delimiter and
//! header, reads the first records and guesses settings whose column indexes
//! exist; or refuses with a `Validation` error. Never a panic. (Row parsing
//! and planning beyond sniffing needs a store: `Finance::import_plan`.)
#![no_main]

use finance_core::Error;
use finance_core::csv_io::sniff_csv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    match sniff_csv(bytes) {
        Ok(p) => {
            assert_eq!(p.delimiter, p.guess.delimiter);
            assert!(p.rows.len() <= 10);
        }
        Err(Error::Validation { .. }) => {}
        Err(other) => panic!("unexpected error {other:?}"),
    }
});
