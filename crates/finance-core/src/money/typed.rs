//! Amounts as people write them: signs, thousands separators and a decimal
//! comma or dot, read exactly into signed minor units (no floating point).
//!
//! One grammar, two readings:
//! * [`parse_written_amount`] — a **file's** cell (CSV import): the file's
//!   decimal separator is known (set or sniffed), the other one may only
//!   group thousands, anything else is refused with a reason.
//! * [`parse_typed_amount`] — what a person **types** in a form: their
//!   locale's decimal separator first; when that reading fails only because
//!   of where the *other* separator stands (`12,30` typed in an English
//!   locale, `1.234,56` in one that uses a dot), the other separator is the
//!   decimal one. A reading that fails for any other reason is never
//!   retried, so `1,234` typed in a German locale is refused (three decimal
//!   places) rather than read as 1234.
//!
//! The UI's twin is `ui/src/lib/amount-entry.ts`. Both are run against the
//! same table, `tests/fixtures/amount-entry-cases.json` (this module's tests
//! and `amount-entry.test.ts`), so the form accepts exactly what the core
//! would and normalises it to the same minor units.

use super::{Amount, Currency};
use crate::error::{Error, Result};

/// The character between whole units and the fraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DecimalSeparator {
    Dot,
    Comma,
}

impl DecimalSeparator {
    /// The character.
    pub fn as_char(self) -> char {
        match self {
            DecimalSeparator::Dot => '.',
            DecimalSeparator::Comma => ',',
        }
    }

    /// `"dot"`/`"."` or `"comma"`/`","`.
    pub fn parse(field: &str, s: &str) -> Result<DecimalSeparator> {
        match s.trim().to_ascii_lowercase().as_str() {
            "." | "dot" => Ok(DecimalSeparator::Dot),
            "," | "comma" => Ok(DecimalSeparator::Comma),
            _ => Err(Error::validation(field, "must be dot or comma")),
        }
    }

    /// The separator that is not this one.
    pub fn other(self) -> DecimalSeparator {
        match self {
            DecimalSeparator::Dot => DecimalSeparator::Comma,
            DecimalSeparator::Comma => DecimalSeparator::Dot,
        }
    }
}

/// Characters accepted between groups of three digits (besides the other separator).
const GROUPING: [char; 4] = [' ', '\u{a0}', '\u{202f}', '\''];

/// Why an amount was refused: a reason for people, and whether it was only
/// the place of the non-decimal separator (which a typed amount may read
/// the other way).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmountRefusal {
    pub reason: String,
    separator_only: bool,
}

impl AmountRefusal {
    fn new(reason: impl Into<String>) -> Self {
        AmountRefusal {
            reason: reason.into(),
            separator_only: false,
        }
    }

    fn separator(reason: impl Into<String>) -> Self {
        AmountRefusal {
            reason: reason.into(),
            separator_only: true,
        }
    }
}

/// Parse a written amount into signed minor units (never zero).
///
/// Accepts surrounding blanks, a leading `-`/`+` (or `−`) or parentheses for
/// a negative amount, thousands separators (the other separator, spaces,
/// apostrophes) between groups of three digits, and at most the currency's
/// minor digits after the decimal separator.
pub fn parse_written_amount(
    raw: &str,
    decimal: DecimalSeparator,
    currency: Currency,
) -> std::result::Result<i64, AmountRefusal> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(AmountRefusal::new("is empty"));
    }
    let mut negative = false;
    let mut body = s;
    if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        negative = true;
        body = inner.trim();
    }
    if let Some(rest) = body.strip_prefix(['-', '−']) {
        if negative {
            return Err(AmountRefusal::new(format!("'{s}' has two minus signs")));
        }
        negative = true;
        body = rest;
    } else if let Some(rest) = body.strip_prefix('+') {
        if negative {
            return Err(AmountRefusal::new(format!("'{s}' is not a number")));
        }
        body = rest;
    }
    let dec = decimal.as_char();
    let other = decimal.other().as_char();
    let wrong_separator = || {
        AmountRefusal::separator(format!(
            "'{s}' looks like it uses '{other}' as the decimal separator, but the import is set to '{dec}'"
        ))
    };
    let (whole, frac) = match body.split_once(dec) {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if let Some(f) = frac {
        if f.contains(dec) {
            return Err(if whole.contains(other) || f.contains(other) {
                wrong_separator()
            } else {
                AmountRefusal::new(format!("'{s}' has more than one '{dec}'"))
            });
        }
        if f.contains(other) {
            return Err(wrong_separator());
        }
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AmountRefusal::new(format!("'{s}' is not a number")));
        }
    }
    // Whole part: digits, optionally grouped by threes with one kind of separator.
    let separator = whole.chars().find(|c| *c == other || GROUPING.contains(c));
    let digits: String = match separator {
        None => whole.to_string(),
        Some(sep) => {
            let groups: Vec<&str> = whole.split(sep).collect();
            let ok = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
                && (1..=3).contains(&groups[0].len())
                && groups[1..].iter().all(|g| g.len() == 3);
            if !ok {
                return Err(if whole.contains(other) && frac.is_none() {
                    AmountRefusal::separator(format!(
                        "'{s}' has '{other}' where a thousands separator cannot be (is the decimal separator '{other}'?)"
                    ))
                } else {
                    AmountRefusal::new(format!("'{s}' has a misplaced thousands separator"))
                });
            }
            groups.concat()
        }
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountRefusal::new(format!("'{s}' is not a number")));
    }
    let frac = frac.unwrap_or("");
    if digits.bytes().chain(frac.bytes()).all(|b| b == b'0') {
        return Err(AmountRefusal::new("must not be zero"));
    }
    let plain = if frac.is_empty() {
        digits
    } else {
        format!("{digits}.{frac}")
    };
    let amount =
        Amount::parse("amount", &plain, currency).map_err(|e| AmountRefusal::new(e.to_string()))?;
    Ok(if negative {
        -amount.minor()
    } else {
        amount.minor()
    })
}

/// Parse an amount a person typed, their locale's decimal separator
/// `preferred` first (see the module docs). The reason, when refused, names
/// no import setting.
pub fn parse_typed_amount(
    raw: &str,
    preferred: DecimalSeparator,
    currency: Currency,
) -> std::result::Result<i64, String> {
    let first = match parse_written_amount(raw, preferred, currency) {
        Ok(minor) => return Ok(minor),
        Err(refusal) => refusal,
    };
    if !first.separator_only {
        return Err(first.reason);
    }
    match parse_written_amount(raw, preferred.other(), currency) {
        Ok(minor) => Ok(minor),
        Err(second) if !second.separator_only => Err(second.reason),
        Err(_) => Err(format!(
            "'{}' is not a number like {}",
            raw.trim(),
            example(preferred)
        )),
    }
}

fn example(decimal: DecimalSeparator) -> &'static str {
    match decimal {
        DecimalSeparator::Dot => "1,234.56",
        DecimalSeparator::Comma => "1.234,56",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row of the table shared with the UI's twin.
    #[derive(serde::Deserialize)]
    struct Case {
        input: String,
        decimal: String,
        currency: String,
        /// The canonical signed decimal, or `null` when refused.
        expect: Option<String>,
    }

    fn cases() -> Vec<Case> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/amount-entry-cases.json"
        );
        let text = std::fs::read_to_string(path).expect("the shared case table is committed");
        serde_json::from_str(&text).expect("the case table is valid JSON")
    }

    #[test]
    fn typed_amounts_match_the_shared_table() {
        let cases = cases();
        assert!(cases.len() >= 40, "the table must not pass vacuously");
        for case in cases {
            let decimal = DecimalSeparator::parse("decimal", &case.decimal).unwrap();
            let currency = Currency::parse("currency", &case.currency).unwrap();
            let got = parse_typed_amount(&case.input, decimal, currency)
                .map(|minor| super::super::format_minor(minor, currency));
            match (&case.expect, &got) {
                (Some(want), Ok(have)) => assert_eq!(
                    want, have,
                    "{:?} typed with {:?} in {}",
                    case.input, case.decimal, case.currency
                ),
                (None, Err(_)) => {}
                _ => panic!(
                    "{:?} typed with {:?} in {}: expected {:?}, got {:?}",
                    case.input, case.decimal, case.currency, case.expect, got
                ),
            }
        }
    }

    #[test]
    fn a_typed_amount_never_guesses_past_a_decimal_places_error() {
        // German "1,234" has three decimals: refused, not read as 1234.
        let e = parse_typed_amount("1,234", DecimalSeparator::Comma, Currency::EUR).unwrap_err();
        assert!(e.contains("decimal places"), "{e}");
        // Both readings fail on separators: the message shows the locale's example.
        let e = parse_typed_amount("1,2.3,4", DecimalSeparator::Dot, Currency::EUR).unwrap_err();
        assert!(
            !e.contains("import"),
            "a typed amount's reason names no import setting: {e}"
        );
    }

    proptest::proptest! {
        /// Any amount formatted the way either locale writes it (grouped or
        /// not) reads back to the same minor units in that locale.
        #[test]
        fn formatted_amounts_read_back(minor in -999_999_999_999i64..=999_999_999_999, grouped: bool, comma: bool) {
            proptest::prop_assume!(minor != 0);
            let (dec, group) = if comma { (DecimalSeparator::Comma, '.') } else { (DecimalSeparator::Dot, ',') };
            let plain = super::super::format_minor(minor, Currency::EUR);
            let (sign, body) = plain.strip_prefix('-').map_or(("", plain.as_str()), |b| ("-", b));
            let (whole, frac) = body.split_once('.').unwrap();
            let whole = if grouped {
                let mut out = String::new();
                for (i, ch) in whole.chars().enumerate() {
                    if i > 0 && (whole.len() - i) % 3 == 0 { out.push(group); }
                    out.push(ch);
                }
                out
            } else {
                whole.to_string()
            };
            let text = format!("{sign}{whole}{}{frac}", dec.as_char());
            proptest::prop_assert_eq!(parse_typed_amount(&text, dec, Currency::EUR), Ok(minor), "{}", text);
        }
    }
}
