//! A certificate's SHA-256 fingerprint as people compare it: the server
//! prints its own at start, the desktop shows what a server presents and
//! pins the one the user confirmed.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::{ApiError, ApiResult, ErrorCode};

/// The SHA-256 of a certificate (DER), shown as 32 colon-separated hex pairs
/// (`AB:CD:…`), the way browsers and `openssl x509 -fingerprint -sha256` show it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint of a DER certificate.
    pub fn of(der: &[u8]) -> Fingerprint {
        Fingerprint(Sha256::digest(der).into())
    }

    /// Read a fingerprint as people copy it: 64 hex digits, with or without
    /// colons or spaces, either case. `field` names the input in the error.
    pub fn parse(field: &str, text: &str) -> ApiResult<Fingerprint> {
        let digits: String = text
            .chars()
            .filter(|c| !matches!(c, ':' | ' ' | '-'))
            .collect();
        let bad = || {
            let mut e = ApiError::new(
                ErrorCode::Validation,
                "is not a SHA-256 fingerprint (64 hexadecimal digits, e.g. AB:CD:…)",
            );
            e.field = Some(field.to_string());
            e
        };
        if digits.len() != 64 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&digits[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(Fingerprint(out))
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_reads_back_as_it_prints_in_any_common_spelling() {
        let fp = Fingerprint::of(b"a certificate");
        let shown = fp.to_string();
        assert_eq!(shown.len(), 32 * 3 - 1, "32 pairs with colons: {shown}");
        for spelling in [
            shown.clone(),
            shown.to_lowercase(),
            shown.replace(':', ""),
            shown.replace(':', " "),
        ] {
            assert_eq!(
                Fingerprint::parse("fingerprint", &spelling).expect("reads"),
                fp,
                "{spelling} is the same fingerprint"
            );
        }
    }

    #[test]
    fn a_malformed_fingerprint_is_refused_naming_the_field() {
        for bad in ["", "AB:CD", &"G".repeat(64), &"A".repeat(66)] {
            let e = Fingerprint::parse("fingerprint", bad).expect_err("refused");
            assert_eq!(e.code, ErrorCode::Validation, "{bad}");
            assert_eq!(e.field.as_deref(), Some("fingerprint"), "{bad}");
        }
    }
}
