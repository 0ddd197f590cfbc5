//! Free-text fields shared by several records.

use crate::error::{Error, Result};

/// Trim, then require `min..=max` characters and no control characters (newlines allowed where `multiline`).
pub(crate) fn clean_text(
    field: &str,
    raw: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<String> {
    let s = raw.trim();
    let len = s.chars().count();
    if len < min {
        return Err(if min <= 1 {
            Error::validation(field, "is required")
        } else {
            Error::validation(field, format!("must be at least {min} characters"))
        });
    }
    if len > max {
        return Err(Error::validation(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if s.chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
    {
        return Err(Error::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(s.to_string())
}

/// A transaction's description: 1–200 characters, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Description(String);

impl Description {
    /// Validate.
    pub fn parse(field: &str, raw: &str) -> Result<Description> {
        clean_text(field, raw, 1, 200, false).map(Description)
    }
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The text, owned.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An optional note: up to 1000 characters, trimmed; empty means none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note(String);

impl Note {
    /// Validate; blank input is `None`.
    pub fn parse_optional(field: &str, raw: Option<&str>) -> Result<Option<Note>> {
        match raw.map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => clean_text(field, s, 1, 1000, true).map(|s| Some(Note(s))),
        }
    }
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_is_trimmed_and_bounded() {
        assert_eq!(
            Description::parse("description", "  Coffee ")
                .unwrap()
                .as_str(),
            "Coffee"
        );
        assert!(Description::parse("description", "   ").is_err());
        assert!(Description::parse("description", &"x".repeat(200)).is_ok());
        let e = Description::parse("description", &"x".repeat(201)).unwrap_err();
        assert_eq!(e.field(), Some("description"));
        // Characters, not bytes: 200 multi-byte characters fit.
        assert!(Description::parse("description", &"é".repeat(200)).is_ok());
        assert!(Description::parse("description", "a\u{0}b").is_err());
        assert!(Description::parse("description", "two\nlines").is_err());
    }

    #[test]
    fn note_is_optional() {
        assert_eq!(Note::parse_optional("note", None).unwrap(), None);
        assert_eq!(Note::parse_optional("note", Some("  ")).unwrap(), None);
        assert_eq!(
            Note::parse_optional("note", Some("line 1\nline 2"))
                .unwrap()
                .unwrap()
                .as_str(),
            "line 1\nline 2"
        );
        assert!(Note::parse_optional("note", Some(&"n".repeat(1001))).is_err());
    }
}
