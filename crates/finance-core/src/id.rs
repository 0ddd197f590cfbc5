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
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            out[i] = (hi * 16 + lo) as u8;
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
        self.to_string()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
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
    fn parse_rejects_malformed() {
        assert!(Id::parse("id", "xyz").is_err());
        assert!(Id::parse("id", "0123456789abcdef0123456g").is_err());
        assert!(Id::parse("id", "0123456789abcdef012345").is_err());
        let e = Id::parse("categoryId", "nope").unwrap_err();
        assert_eq!(e.field(), Some("categoryId"));
        assert!(Id::parse("id", "0123456789ABCDEF01234567").is_ok());
    }
}
