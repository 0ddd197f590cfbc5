//! Money: ISO 4217 currencies and amounts in integer minor units.
//!
//! Amounts are `i64` minor units everywhere (cents for EUR, yen for JPY).
//! Decimal strings are parsed and formatted exactly by the currency's minor
//! digits; there is no floating point anywhere on this path.
//!
//! # Totals
//!
//! A single amount is at most [`MAX_AMOUNT_MINOR`]; a total (a summary, a
//! report's groups, a budget's spending) is at most [`MAX_TOTAL_MINOR`]
//! (`i64::MAX`), the largest value the domain, the stores' per-day sums and
//! the IPC carry. Sums of many maximal amounts can exceed it (about 9.2
//! million of them), so:
//! * stores add amounts up **exactly, in 128 bits** (SQLite sums the high
//!   and low 32 bits of each per-day total separately; MongoDB sums as
//!   `Decimal128`) and pass every sum through [`total`]: a sum that fits is
//!   returned exactly, a larger one is `Validation { field: "period" }`
//!   (a shorter period has a smaller total) — never a wrapped, rounded or
//!   floating-point number, never `Internal`;
//! * a write that would make a stored per-day sum (SQLite's `tx_daily`,
//!   `tx_desc_daily`) pass `MAX_TOTAL_MINOR` is refused with
//!   [`day_total_too_large`] on the field that carried the amount, and
//!   changes nothing.

use std::fmt;

use crate::error::{Error, Result};

pub mod typed;

/// The largest amount a single transaction or budget may hold, in minor units.
///
/// 10^12 − 1 keeps any plausible sum (a million rows at the maximum) inside
/// `i64`; larger sums are handled as described under "Totals" above.
pub const MAX_AMOUNT_MINOR: i64 = 999_999_999_999;

/// The largest total (a sum of amounts) in minor units; see "Totals" above.
pub const MAX_TOTAL_MINOR: i64 = i64::MAX;

/// An exact sum as a total: itself when its size is at most
/// [`MAX_TOTAL_MINOR`], else `Validation { field: "period" }`. A total is
/// negative only where refunds outweigh spending (a category's net spending).
pub fn total(sum: i128) -> Result<i64> {
    i64::try_from(sum)
        .ok()
        .filter(|t| *t >= -MAX_TOTAL_MINOR)
        .ok_or_else(|| {
            Error::validation(
                "period",
                "the amounts in this period add up to more than the largest total the app can \
                 show; choose a shorter period",
            )
        })
}

/// The refusal of a write that would make a day's stored total pass
/// [`MAX_TOTAL_MINOR`]; `field` names the input that carried the amount.
pub fn day_total_too_large(field: &str) -> Error {
    Error::validation(
        field,
        "the amounts of that day would add up to more than the largest total the app can hold",
    )
}

/// ISO 4217 codes with their minor digits (active currencies, not funds or metals).
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("UYU", 2),
    ("UZS", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
];

/// An ISO 4217 currency known to the app.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    minor_digits: u8,
}

impl Currency {
    /// The default currency for new users.
    pub const EUR: Currency = Currency {
        code: "EUR",
        minor_digits: 2,
    };

    /// Parse an ISO 4217 code (case-insensitive).
    pub fn parse(field: &str, s: &str) -> Result<Currency> {
        let upper = s.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(code, _)| *code == upper)
            .map(|&(code, minor_digits)| Currency { code, minor_digits })
            .ok_or_else(|| Error::validation(field, "is not a supported ISO 4217 currency code"))
    }

    /// Every supported currency, alphabetically.
    pub fn all() -> impl Iterator<Item = Currency> {
        CURRENCIES
            .iter()
            .map(|&(code, minor_digits)| Currency { code, minor_digits })
    }

    /// The three-letter code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// How many digits follow the decimal point (2 for EUR, 0 for JPY, 3 for KWD).
    pub fn minor_digits(&self) -> u8 {
        self.minor_digits
    }

    fn scale(&self) -> i64 {
        10i64.pow(u32::from(self.minor_digits))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.code)
    }
}

/// A strictly positive amount of money in minor units, at most [`MAX_AMOUNT_MINOR`].
///
/// Whether it is income or expense is said by the category, never by a sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount(i64);

impl Amount {
    /// Validate a count of minor units.
    pub fn from_minor(field: &str, minor: i64) -> Result<Amount> {
        if minor <= 0 {
            return Err(Error::validation(field, "must be greater than zero"));
        }
        if minor > MAX_AMOUNT_MINOR {
            return Err(Error::validation(field, "is too large"));
        }
        Ok(Amount(minor))
    }

    /// Parse a decimal string such as `"12.30"` exactly, by the currency's minor digits.
    ///
    /// Accepts optional surrounding whitespace, digits, and at most
    /// `minor_digits` digits after a single `.`. Rejects signs, exponents,
    /// thousands separators, `NaN`, empty input, zero and values above the maximum.
    pub fn parse(field: &str, s: &str, currency: Currency) -> Result<Amount> {
        let minor = parse_decimal(field, s, currency)?;
        Amount::from_minor(field, minor)
    }

    /// Minor units.
    pub fn minor(self) -> i64 {
        self.0
    }

    /// Exact decimal string (`1230` EUR → `"12.30"`).
    pub fn format(self, currency: Currency) -> String {
        format_minor(self.0, currency)
    }
}

/// A transaction's amount: non-zero, |x| at most [`MAX_AMOUNT_MINOR`]
/// minor units. Positive is the usual case; a negative amount in an expense
/// category is a refund (it lowers the category's spending and adds to the
/// account), which [`crate::rules::check_amount_sign`] allows only there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SignedAmount(i64);

impl SignedAmount {
    /// Validate a count of minor units.
    pub fn from_minor(field: &str, minor: i64) -> Result<SignedAmount> {
        if minor == 0 {
            return Err(Error::validation(field, "must not be zero"));
        }
        if minor.unsigned_abs() > MAX_AMOUNT_MINOR as u64 {
            return Err(Error::validation(field, "is too large"));
        }
        Ok(SignedAmount(minor))
    }

    /// Parse what [`Amount::parse`] accepts, with an optional leading `-`.
    /// Zero is refused (`must not be zero`), as are `--5` and `-0`.
    pub fn parse(field: &str, s: &str, currency: Currency) -> Result<SignedAmount> {
        let minor = parse_balance(field, s, currency)?;
        SignedAmount::from_minor(field, minor)
    }

    /// Minor units (negative for a refund).
    pub fn minor(self) -> i64 {
        self.0
    }

    /// Whether it is negative (a refund).
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Exact decimal string (`-1230` EUR → `"-12.30"`).
    pub fn format(self, currency: Currency) -> String {
        format_minor(self.0, currency)
    }
}

impl From<Amount> for SignedAmount {
    fn from(a: Amount) -> SignedAmount {
        SignedAmount(a.0)
    }
}

/// Parse a non-negative decimal string into minor units (zero allowed).
/// Parse a signed decimal balance such as `"-250.00"` exactly (an account's
/// opening balance): an optional leading `-`, then what [`Amount::parse`]
/// accepts, zero included.
pub fn parse_balance(field: &str, s: &str, currency: Currency) -> Result<i64> {
    let s = s.trim();
    match s.strip_prefix('-') {
        Some(rest) => parse_decimal(field, rest, currency).map(|v| -v),
        None => parse_decimal(field, s, currency),
    }
}

/// An exact signed sum (an account balance) as `i64`, or `Validation { field }`
/// when it is beyond `i64`.
pub fn signed_total(field: &str, sum: i128) -> Result<i64> {
    i64::try_from(sum).map_err(|_| {
        Error::validation(
            field,
            "the amounts add up to more than the largest total the app can show",
        )
    })
}

fn parse_decimal(field: &str, s: &str, currency: Currency) -> Result<i64> {
    let s = s.trim();
    if s.is_empty() {
        return Err(Error::validation(field, "is required"));
    }
    if s.starts_with('-') {
        return Err(Error::validation(field, "must be greater than zero"));
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    let digits = currency.minor_digits() as usize;
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) {
        return Err(Error::validation(
            field,
            format!("must be a number like {}", example(currency)),
        ));
    }
    if let Some(f) = frac {
        if digits == 0 {
            return Err(Error::validation(
                field,
                format!("{} has no decimal places", currency.code()),
            ));
        }
        if !all_digits(f) {
            return Err(Error::validation(
                field,
                format!("must be a number like {}", example(currency)),
            ));
        }
        if f.len() > digits {
            return Err(Error::validation(
                field,
                format!(
                    "{} allows at most {digits} decimal place{}",
                    currency.code(),
                    if digits == 1 { "" } else { "s" }
                ),
            ));
        }
    }
    // Integer part: bounded length before arithmetic so nothing can overflow.
    let whole = whole.trim_start_matches('0');
    if whole.len() > 15 {
        return Err(Error::validation(field, "is too large"));
    }
    let whole_value: i64 = if whole.is_empty() {
        0
    } else {
        whole
            .parse()
            .map_err(|_| Error::validation(field, "is too large"))?
    };
    let mut frac_value: i64 = 0;
    if let Some(f) = frac {
        for (i, b) in f.bytes().enumerate() {
            frac_value += i64::from(b - b'0') * 10i64.pow((digits - 1 - i) as u32);
        }
    }
    whole_value
        .checked_mul(currency.scale())
        .and_then(|v| v.checked_add(frac_value))
        .ok_or_else(|| Error::validation(field, "is too large"))
}

fn example(currency: Currency) -> &'static str {
    match currency.minor_digits() {
        0 => "1200",
        1 => "12.3",
        2 => "12.30",
        3 => "12.300",
        _ => "12.3000",
    }
}

/// Format signed minor units exactly (`-1230` EUR → `"-12.30"`, `1200` JPY → `"1200"`).
pub fn format_minor(minor: i64, currency: Currency) -> String {
    let digits = currency.minor_digits() as usize;
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if digits == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u64.pow(digits as u32);
    format!("{sign}{}.{:0digits$}", abs / scale, abs % scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_exact_up_to_the_largest_then_a_validation_error() {
        assert_eq!(total(0).unwrap(), 0);
        assert_eq!(total(i128::from(i64::MAX)).unwrap(), MAX_TOTAL_MINOR);
        assert_eq!(
            total(-3_000).unwrap(),
            -3_000,
            "refunds can outweigh spending"
        );
        assert!(
            total(-i128::from(i64::MAX) - 1).is_err(),
            "i64::MIN has no positive twin"
        );
        let e = total(i128::from(i64::MAX) + 1).unwrap_err();
        assert_eq!(e.field(), Some("period"), "{e:?}");
        assert_eq!(day_total_too_large("amount").field(), Some("amount"));
    }

    fn eur() -> Currency {
        Currency::parse("currency", "EUR").unwrap()
    }
    fn jpy() -> Currency {
        Currency::parse("currency", "jpy").unwrap()
    }
    fn kwd() -> Currency {
        Currency::parse("currency", "KWD").unwrap()
    }

    #[test]
    fn parses_exactly_by_minor_digits() {
        assert_eq!(
            Amount::parse("amount", "12.30", eur()).unwrap().minor(),
            1230
        );
        assert_eq!(
            Amount::parse("amount", "12.3", eur()).unwrap().minor(),
            1230
        );
        assert_eq!(Amount::parse("amount", "12", eur()).unwrap().minor(), 1200);
        assert_eq!(Amount::parse("amount", "0.01", eur()).unwrap().minor(), 1);
        assert_eq!(
            Amount::parse("amount", " 7.05 ", eur()).unwrap().minor(),
            705
        );
        assert_eq!(
            Amount::parse("amount", "1200", jpy()).unwrap().minor(),
            1200
        );
        assert_eq!(
            Amount::parse("amount", "1.234", kwd()).unwrap().minor(),
            1234
        );
        assert_eq!(Amount::parse("amount", "0.1", kwd()).unwrap().minor(), 100);
    }

    #[test]
    fn rejects_bad_input_with_field_error() {
        for bad in [
            "-1", "1e3", "12.345", "NaN", "", "   ", "abc", "1,5", "1.2.3", ".5", "5.", "+5", "0",
            "0.00", "1 000", "١٢", "inf",
        ] {
            let err = Amount::parse("amount", bad, eur()).unwrap_err();
            assert_eq!(err.field(), Some("amount"), "input {bad:?}");
        }
        assert!(Amount::parse("amount", "12.5", jpy()).is_err());
    }

    #[test]
    fn rejects_values_beyond_the_maximum() {
        assert!(Amount::parse("amount", "9999999999.99", eur()).is_ok());
        assert!(Amount::parse("amount", "10000000000.00", eur()).is_err());
        assert!(Amount::parse("amount", "99999999999999999999999999", eur()).is_err());
        assert!(Amount::from_minor("limit", MAX_AMOUNT_MINOR + 1).is_err());
        assert!(Amount::from_minor("limit", i64::MIN).is_err());
    }

    #[test]
    fn formats_exactly() {
        assert_eq!(format_minor(1230, eur()), "12.30");
        assert_eq!(format_minor(5, eur()), "0.05");
        assert_eq!(format_minor(-1230, eur()), "-12.30");
        assert_eq!(format_minor(0, eur()), "0.00");
        assert_eq!(format_minor(1200, jpy()), "1200");
        assert_eq!(format_minor(1234, kwd()), "1.234");
        assert_eq!(format_minor(i64::MIN, eur()), "-92233720368547758.08");
    }

    #[test]
    fn round_trips() {
        for c in Currency::all() {
            for minor in [1, 9, 10, 99, 100, 101, 123_456, MAX_AMOUNT_MINOR] {
                let a = Amount::from_minor("amount", minor).unwrap();
                assert_eq!(
                    Amount::parse("amount", &a.format(c), c).unwrap(),
                    a,
                    "{c} {minor}"
                );
            }
        }
    }

    #[test]
    fn currencies() {
        assert_eq!(Currency::parse("currency", "eur").unwrap(), Currency::EUR);
        assert!(Currency::parse("currency", "XXX").is_err());
        assert!(Currency::parse("currency", "").is_err());
        assert!(Currency::all().count() > 140);
        let codes: Vec<_> = Currency::all().map(|c| c.code()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "table must stay sorted and unique");
    }
}
