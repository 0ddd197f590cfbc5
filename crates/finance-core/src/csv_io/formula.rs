//! CSV injection: text cells a spreadsheet would run as a formula.
//!
//! A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! evaluated by Excel, LibreOffice and Google Sheets (`=HYPERLINK(…)`,
//! `=WEBSERVICE(…)`, DDE). The export writes such text cells — description,
//! category, note; never the date, type or amount, which are plain values —
//! with a leading `'` (OWASP's advice): a spreadsheet then shows the text as
//! written.
//!
//! So that the app's own import can take back exactly what the export added,
//! the rule is a bijection: the export adds one `'` to a cell that starts with
//! any number of `'` followed by a dangerous character ([`needs_quote`]), and
//! the import of a file in the export format (its header is
//! [`super::EXPORT_HEADER`]) removes one leading `'` from a cell whose rest
//! [`needs_quote`]. A description typed as `'=x` is exported as `''=x` and comes
//! back as `'=x`; `'plain` needs nothing and is left alone both ways. Files
//! from anywhere else are read as written.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (OWASP).
const DANGEROUS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `cell`, after any leading `'`s, starts with a dangerous character.
pub(crate) fn needs_quote(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(DANGEROUS)
}

/// The cell as the export writes it.
pub(crate) fn neutralise(cell: &str) -> Cow<'_, str> {
    if needs_quote(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The cell as it was before [`neutralise`] (for files in the export format).
pub(crate) fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_cells_get_one_quote_and_lose_exactly_that_one() {
        for (cell, written) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-12.34", "'-12.34"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("''-x", "'''-x"),
            ("'", "'"),
            ("''", "''"),
            ("'plain", "'plain"),
            ("plain = text", "plain = text"),
            ("", ""),
            ("’=typographic", "’=typographic"),
        ] {
            assert_eq!(neutralise(cell), written, "{cell:?}");
            assert_eq!(restore(written), cell, "{written:?}");
        }
    }

    #[test]
    fn restore_inverts_neutralise_for_any_prefix_of_quotes_and_characters() {
        let parts = ["", "'", "''", "=", "+", "-", "@", "\t", "\r", "a", " ", "é"];
        for a in parts {
            for b in parts {
                for c in parts {
                    let cell = format!("{a}{b}{c}");
                    let written = neutralise(&cell);
                    assert!(
                        !written.starts_with(DANGEROUS),
                        "{cell:?} is written safely"
                    );
                    assert_eq!(restore(&written), cell, "{cell:?}");
                }
            }
        }
    }
}
