//! Accounts: usernames, emails, names, passwords and the registration form.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};

use super::text::clean_text;
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::Currency;

/// 3–32 characters of `[a-z0-9._-]`; input is lower-cased first, so uniqueness is case-insensitive.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    /// Validate (after trimming and lower-casing).
    pub fn parse(raw: &str) -> Result<Username> {
        let s = raw.trim().to_lowercase();
        let len = s.chars().count();
        if len == 0 {
            return Err(Error::validation("username", "is required"));
        }
        if !(3..=32).contains(&len) {
            return Err(Error::validation(
                "username",
                "must be 3 to 32 characters long",
            ));
        }
        if !s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        }) {
            return Err(Error::validation(
                "username",
                "may contain only letters a–z, digits, '.', '_' and '-'",
            ));
        }
        Ok(Username(s))
    }
    /// The normalised (lower-case) username.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A syntactically valid email address, stored lower-cased (unique case-insensitively).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Validate: one `@`, a non-empty local part of printable ASCII, a dotted domain of letters, digits and hyphens.
    pub fn parse(raw: &str) -> Result<Email> {
        let s = raw.trim().to_lowercase();
        let invalid =
            || Error::validation("email", "must be an email address like name@example.com");
        if s.is_empty() {
            return Err(Error::validation("email", "is required"));
        }
        if s.len() > 254 {
            return Err(Error::validation("email", "must be at most 254 characters"));
        }
        let (local, domain) = s.split_once('@').ok_or_else(invalid)?;
        if local.is_empty()
            || local.len() > 64
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
            || !local
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b))
        {
            return Err(invalid());
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels.iter().any(|l| {
                l.is_empty()
                    || l.len() > 63
                    || l.starts_with('-')
                    || l.ends_with('-')
                    || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
            || labels
                .last()
                .is_some_and(|tld| tld.len() < 2 || tld.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(invalid());
        }
        Ok(Email(s))
    }
    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A first or last name: 1–100 characters after trimming, any script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// Validate for `field` (`firstName` or `lastName`).
    pub fn parse(field: &str, raw: &str) -> Result<PersonName> {
        clean_text(field, raw, 1, 100, false).map(PersonName)
    }
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the rules. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

fn common_passwords() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("../../data/common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    })
}

impl Password {
    /// Validate a new password for `username` (8–128 characters, not the username, not a common password).
    pub fn parse_new(field: &str, raw: &str, username: &str) -> Result<Password> {
        let len = raw.chars().count();
        if len == 0 {
            return Err(Error::validation(field, "is required"));
        }
        if len < 8 {
            return Err(Error::validation(field, "must be at least 8 characters"));
        }
        if len > 128 {
            return Err(Error::validation(field, "must be at most 128 characters"));
        }
        let lower = raw.to_lowercase();
        if lower == username.trim().to_lowercase() {
            return Err(Error::validation(
                field,
                "must not be the same as the username",
            ));
        }
        if common_passwords().contains(lower.as_str()) {
            return Err(Error::validation(
                field,
                "is one of the most common passwords; choose another",
            ));
        }
        Ok(Password(raw.to_string()))
    }

    /// Wrap a password typed at log-in (not validated beyond a length cap: old rules may differ).
    pub fn for_login(raw: &str) -> Password {
        Password(raw.to_string())
    }

    /// The secret itself; use only to hash or verify.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A validated registration.
#[derive(Clone, Debug)]
pub struct Registration {
    pub username: Username,
    pub password: Password,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub currency: Currency,
}

/// Registration as typed into the form (strings); [`RegistrationDraft::validate`] makes it a [`Registration`].
#[derive(Clone, Default)]
pub struct RegistrationDraft {
    pub username: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// ISO 4217 code; empty means EUR.
    pub currency: String,
}

impl fmt::Debug for RegistrationDraft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistrationDraft")
            .field("username", &self.username)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

impl RegistrationDraft {
    /// Validate every field; the first failing field is reported.
    pub fn validate(&self) -> Result<Registration> {
        let username = Username::parse(&self.username)?;
        let password = Password::parse_new("password", &self.password, username.as_str())?;
        Ok(Registration {
            first_name: PersonName::parse("firstName", &self.first_name)?,
            last_name: PersonName::parse("lastName", &self.last_name)?,
            email: Email::parse(&self.email)?,
            currency: if self.currency.trim().is_empty() {
                Currency::EUR
            } else {
                Currency::parse("currency", &self.currency)?
            },
            username,
            password,
        })
    }
}

/// A user's profile (never the password hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: Id,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub currency: Currency,
    pub created_at: DateTime<Utc>,
}

/// What holds amounts in the user's currency, so that it cannot change: a
/// currency is only a label while none of these exist.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CurrencyUsage {
    pub transactions: u64,
    pub budgets: u64,
    /// Accounts with an opening balance other than zero, or a reconciled statement.
    pub balances: u64,
    /// Schedules (each has an amount).
    pub schedules: u64,
    /// Rules with an amount condition.
    pub rules: u64,
}

impl CurrencyUsage {
    /// Whether any amount is recorded in the currency.
    pub fn is_used(&self) -> bool {
        self.transactions > 0
            || self.budgets > 0
            || self.balances > 0
            || self.schedules > 0
            || self.rules > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(Username::parse("  Alice.B ").unwrap().as_str(), "alice.b");
        assert_eq!(Username::parse("a_b-c.9").unwrap().as_str(), "a_b-c.9");
        for bad in [
            "",
            "ab",
            &"a".repeat(33),
            "al ice",
            "alïce",
            "al@ce",
            "ali\u{0}ce",
        ] {
            assert_eq!(
                Username::parse(bad).unwrap_err().field(),
                Some("username"),
                "{bad:?}"
            );
        }
        assert!(Username::parse(&"a".repeat(32)).is_ok());
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Ann@Example.COM ").unwrap().as_str(),
            "ann@example.com"
        );
        assert!(Email::parse("a.b+tag@sub.example.co").is_ok());
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "a@b..com",
            "a@-b.com",
            "a@b.c",
            "a@1.2.3.4",
            ".a@b.com",
            "a..b@c.com",
            "ä@b.com",
        ] {
            assert_eq!(
                Email::parse(bad).unwrap_err().field(),
                Some("email"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn names_accept_any_script_and_trim() {
        assert_eq!(
            PersonName::parse("firstName", "  Zoë ").unwrap().as_str(),
            "Zoë"
        );
        assert!(PersonName::parse("lastName", "李").is_ok());
        assert!(PersonName::parse("lastName", "O'Brien-Smith").is_ok());
        assert_eq!(
            PersonName::parse("lastName", " \t ").unwrap_err().field(),
            Some("lastName")
        );
        assert!(PersonName::parse("firstName", &"é".repeat(100)).is_ok());
        assert!(PersonName::parse("firstName", &"é".repeat(101)).is_err());
    }

    #[test]
    fn passwords() {
        assert!(Password::parse_new("password", "correct horse battery", "ann").is_ok());
        for (bad, why) in [
            ("short", "at least 8"),
            ("password", "common"),
            ("Password1", "common"),
            ("qwertyuiop", "common"),
            ("annabelle", "same as the username"),
        ] {
            let e = Password::parse_new("password", bad, "Annabelle").unwrap_err();
            assert_eq!(e.field(), Some("password"));
            assert!(e.to_string().contains(why), "{bad}: {e}");
        }
        assert!(Password::parse_new("password", &"x1".repeat(64), "ann").is_ok());
        assert!(Password::parse_new("password", &"x1".repeat(65), "ann").is_err());
        assert_eq!(
            format!("{:?}", Password::for_login("s3cret!")),
            "Password(<redacted>)"
        );
    }

    #[test]
    fn common_list_is_bundled() {
        assert_eq!(common_passwords().len(), 10_000);
    }

    #[test]
    fn registration_draft_validates_every_field_and_defaults_currency() {
        let draft = RegistrationDraft {
            username: "Ann".into(),
            password: "tulip-river-93".into(),
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            email: "ann@example.com".into(),
            currency: String::new(),
        };
        let reg = draft.validate().unwrap();
        assert_eq!(reg.currency, Currency::EUR);
        assert_eq!(reg.username.as_str(), "ann");
        let bad = RegistrationDraft {
            currency: "ZZZ".into(),
            ..draft.clone()
        };
        assert_eq!(bad.validate().unwrap_err().field(), Some("currency"));
        let bad = RegistrationDraft {
            email: "nope".into(),
            ..draft.clone()
        };
        assert_eq!(bad.validate().unwrap_err().field(), Some("email"));
        assert!(!format!("{draft:?}").contains("tulip"));
    }
}
