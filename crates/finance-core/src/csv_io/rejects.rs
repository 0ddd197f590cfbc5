//! The lines an import leaves out, as a CSV file to fix and import again:
//! `line,problem,` and then the row's own cells as read (the file's header
//! after the first two columns when it has one). Streamed: the file is read
//! once more and refused records are written a chunk at a time, so a file
//! of millions of bad lines is written in bounded memory.
//!
//! A refused record's text cells go through the export's formula rule
//! (`formula.rs`: a spreadsheet must not run them); a cell that reads as a
//! plain number (an amount such as `-12,50`) is left as it is, so the fixed
//! file imports again.

use super::formula;
use super::rows::{Parser, Reject};
use crate::error::Result;

/// How many refused records are held at once.
const CHUNK: usize = 5_000;

fn write_failed(e: impl std::fmt::Display) -> crate::error::Error {
    tracing::warn!(error = %e, "writing the left-out lines failed");
    crate::error::Error::validation("file", format!("cannot be written: {e}"))
}

/// Whether a cell is a number as people write it (digits, a sign, separators):
/// never a formula to a spreadsheet, and needed as it is to import again.
fn plain_number(cell: &str) -> bool {
    let body = cell
        .trim()
        .trim_start_matches(['-', '+', '('])
        .trim_end_matches(')');
    !body.is_empty()
        && body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || ".,' \u{a0}".contains(c))
}

fn cell(c: &str) -> std::borrow::Cow<'_, str> {
    if plain_number(c) {
        std::borrow::Cow::Borrowed(c)
    } else {
        formula::neutralise(c)
    }
}

/// Read the rest of `parser`'s file (made with [`Parser::keeping_rejects`])
/// and write each refused record to `out`; the count written.
pub(crate) fn write_rejects(mut parser: Parser<'_>, out: impl std::io::Write) -> Result<u64> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(out);
    let (mut rows, mut marks) = (Vec::new(), Vec::new());
    let mut written = 0u64;
    let mut header_done = false;
    loop {
        let more = parser.read(CHUNK, &mut rows, &mut marks)?;
        rows.clear();
        marks.clear();
        if !header_done {
            let mut head = vec!["line".to_string(), "problem".to_string()];
            head.extend(
                parser
                    .header()
                    .unwrap_or_default()
                    .iter()
                    .map(|c| cell(c).into_owned()),
            );
            w.write_record(&head).map_err(write_failed)?;
            header_done = true;
        }
        for Reject {
            line,
            cells,
            reason,
        } in parser.take_rejects()
        {
            let line = line.to_string();
            let mut record: Vec<std::borrow::Cow<'_, str>> =
                vec![line.as_str().into(), formula::neutralise(&reason)];
            record.extend(cells.iter().map(|c| cell(c)));
            w.write_record(record.iter().map(|c| c.as_ref()))
                .map_err(write_failed)?;
            written += 1;
        }
        w.flush().map_err(write_failed)?;
        if !more {
            return Ok(written);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_as_written_and_formulas_are_neutralised() {
        for n in ["-12,50", "(7.05)", "1 234,56", "+5", "0"] {
            assert_eq!(cell(n), n, "{n} is a number: kept for the next import");
        }
        for (text, out) in [
            ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
            ("-x", "'-x"),
            ("@a", "'@a"),
        ] {
            assert_eq!(cell(text), out, "{text} would run in a spreadsheet");
        }
        assert_eq!(cell("Shop"), "Shop");
    }
}
