//! `Amount::parse` over arbitrary UTF-8 in every currency: Ok (a positive
//! amount within the bound that round-trips through its decimal text) or a
//! `Validation` error on the given field; never a panic.
#![no_main]

use finance_core::money::MAX_AMOUNT_MINOR;
use finance_core::{Amount, Currency, Error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    for c in Currency::all() {
        match Amount::parse("amount", s, c) {
            Ok(a) => {
                assert!(a.minor() > 0 && a.minor() <= MAX_AMOUNT_MINOR);
                let text = finance_core::money::format_minor(a.minor(), c);
                let again = Amount::parse("amount", &text, c).expect("formatted amounts parse");
                assert_eq!(again.minor(), a.minor());
            }
            Err(Error::Validation { field, .. }) => assert_eq!(field, "amount"),
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
});
