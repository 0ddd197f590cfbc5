//! Identifiers: 12-byte ObjectId-compatible values, shown as 24 lowercase hex digits.
//!
//! Both stores use the same ids, so data can move between them and tests can
//! compare results across backends. The layout follows MongoDB's ObjectId
//! (4-byte seconds, 5 random bytes per process, 3-byte counter), which keeps
//! ids roughly ordered by creation.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};

/// An identifier of a user, category, budget or transaction.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id([u8; 12]);

impl Id {
    /// A fresh, process-unique id.
    pub fn generate() -> Id {
        static PROCESS: OnceLock<[u8; 5]> = OnceLock::new();
        static COUNTER: OnceLock<AtomicU32> = OnceLock::new();
        let process = PROCESS.get_or_init(rand::random);
        let counter = COUNTER
            .get_or_init(|| AtomicU32::new(rand::random::<u32>() & 0x00ff_ffff))
            .fetch_add(1, Ordering::Relaxed);
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as u32)
            .unwrap_or(0);
        let mut b = [0u8; 12];
        b[..4].copy_from_slice(&secs.to_be_bytes());
        b[4..9].copy_from_slice(process);
        b[9..].copy_from_slice(&counter.to_be_bytes()[1..]);
        Id(b)
    }

    /// Parse user input; a malformed id is a validation error on `field`.
    pub fn parse(field: &str, s: &str) -> Result<Id> {
        Id::from_hex(s.trim()).ok_or_else(|| Error::validation(field, "is not a valid id"))
    }

    /// Parse 24 hex digits (either case).
    pub fn from_hex(s: &str) -> Option<Id> {
        let bytes = s.as_bytes();
        if bytes.len() != 24 {
            return None;
        }
        let mut out = [0u8; 12];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            out[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
        }
        Some(Id(out))
    }

    /// The raw 12 bytes.
    pub fn bytes(&self) -> [u8; 12] {
        self.0
    }

    /// From raw bytes.
    pub fn from_bytes(b: [u8; 12]) -> Id {
        Id(b)
    }

    /// 24 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        // Always ASCII, so the check cannot fail.
        String::from_utf8(self.hex_bytes().to_vec()).unwrap_or_default()
    }

    /// The 24 lower-case hex digits, without the formatting machinery (every
    /// stored row's ids are written this way: it shows in a list's profile).
    fn hex_bytes(&self) -> [u8; 24] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 24];
        for (i, b) in self.0.iter().enumerate() {
            out[2 * i] = DIGITS[usize::from(b >> 4)];
            out[2 * i + 1] = DIGITS[usize::from(b & 0x0f)];
        }
        out
    }
}

/// The value of one hex digit, either case.
fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.hex_bytes();
        // Only ASCII hex digits: always valid UTF-8.
        f.write_str(std::str::from_utf8(&hex).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_unique_and_round_trip() {
        let a = Id::generate();
        let b = Id::generate();
        assert_ne!(a, b);
        assert_eq!(Id::from_hex(&a.to_hex()), Some(a));
        assert_eq!(a.to_hex().len(), 24);
    }

    #[test]
    fn hex_is_lower_case_two_digits_per_byte_in_order() {
        let id = Id::parse("id", "00FF0a1B2c3D4e5F60718293").expect("an id");
        assert_eq!(id.to_hex(), "00ff0a1b2c3d4e5f60718293");
        assert_eq!(id.to_string(), id.to_hex(), "Display and to_hex agree");
        assert_eq!(format!("{id:?}"), "Id(00ff0a1b2c3d4e5f60718293)");
    }

    #[test]
    fn parse_rejects_malformed() {
        assert!(Id::parse("id", "xyz").is_err());
        assert!(Id::parse("id", "0123456789abcdef0123456g").is_err());
        assert!(Id::parse("id", "0123456789abcdef012345").is_err());
        let e = Id::parse("categoryId", "nope").unwrap_err();
        assert_eq!(e.field(), Some("categoryId"));
        assert!(Id::parse("id", "0123456789ABCDEF01234567").is_ok());
    }

    #[test]
    fn every_byte_is_a_hex_digit_exactly_when_char_to_digit_says_so() {
        for c in 0..=u8::MAX {
            let want = char::from(c).to_digit(16).map(|d| d as u8);
            assert_eq!(nibble(c), want, "byte {c:#04x}");
        }
    }
}
