//! Reading a CSV file: its text encoding, then its records, each with the
//! physical line it starts on.
//!
//! Invariants:
//! * a file is UTF-8 (a leading byte-order mark is dropped) or, when its bytes
//!   are not UTF-8, Windows-1252 (what German, French and UK banks write; every
//!   byte is a character, so nothing is lost); a file with a NUL byte is binary
//!   and refused;
//! * records are split on the raw bytes (the delimiter, quotes and line breaks
//!   are ASCII in both encodings) and each record is decoded on its own, so the
//!   file is never copied whole;
//! * at most [`MAX_FIELDS`] fields of a record are kept, and at most
//!   [`MAX_FIELD_BYTES`] bytes of a field; the rest are only counted or
//!   dropped (a line of 100 million delimiters, or one 100 MB quoted field,
//!   costs no memory), so [`Record::len`] is the true field count;
//! * RFC 4180 quoting: `"` quotes, `""` is a quote inside quotes; `\r`, `\n`
//!   and `\r\n` end a record outside quotes; blank lines are skipped.

use crate::error::{Error, Result};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Fields kept per record; a record with more is refused by whoever reads it
/// (no bank export comes near: they have 5 to 30 columns).
pub const MAX_FIELDS: usize = 200;

/// Bytes kept of one field; the rest is read and dropped. No valid cell comes
/// near (a description has at most 200 characters, a note 1,000), so a cut
/// field is still refused for its length.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// How a file's bytes are read as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    /// Windows-1252 (a superset of the printable ISO-8859-1), for files that are not UTF-8.
    Windows1252,
}

impl Encoding {
    /// The name shown to people.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// A file's bytes (without a UTF-8 byte-order mark) and how to read them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Text<'a> {
    pub bytes: &'a [u8],
    pub encoding: Encoding,
}

/// The file as text: refused when it has NUL bytes (binary or UTF-16) or
/// holds only blanks; UTF-8 when it is valid UTF-8, else Windows-1252.
pub(crate) fn decode(bytes: &[u8]) -> Result<Text<'_>> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Error::validation(
            "file",
            format!("is not a CSV text file: it contains binary data (line {line})"),
        ));
    }
    let (encoding, blank) = match std::str::from_utf8(bytes) {
        Ok(text) => (Encoding::Utf8, text.trim().is_empty()),
        Err(_) => (
            Encoding::Windows1252,
            bytes.iter().all(|&b| b.is_ascii_whitespace() || b == 0xA0),
        ),
    };
    if blank {
        return Err(Error::validation("file", "is empty"));
    }
    Ok(Text { bytes, encoding })
}

/// Windows-1252's characters for the bytes 0x80–0x9F (the undefined five map
/// to the C1 control of the same number, as the WHATWG encoding standard does;
/// text checks then refuse them as control characters). The one table: the
/// bank readers (`bank/text.rs`) decode with it too.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

pub(crate) fn cp1252_char(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// One record: the first [`MAX_FIELDS`] fields as UTF-8 text, and the count of all.
#[derive(Debug, Default)]
pub(crate) struct Record {
    /// The kept fields' text, one after another.
    text: String,
    /// The end of each kept field in `text`.
    ends: Vec<usize>,
    /// Every field, kept or not.
    fields: usize,
}

impl Record {
    /// How many fields the record has (also those not kept).
    pub fn len(&self) -> usize {
        self.fields
    }

    /// Field `i`, when it is one of the kept ones.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    /// The kept fields, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).filter_map(|i| self.get(i))
    }
}

/// Decode one record's raw fields (`bytes`, split at `ends`) into `out`
/// (reused between records). `None` when a UTF-8 file's field is not UTF-8
/// (only possible with a non-ASCII delimiter).
fn decode_record(
    encoding: Encoding,
    bytes: &[u8],
    ends: &[usize],
    fields: usize,
    out: &mut Record,
) -> Option<()> {
    out.text.clear();
    out.ends.clear();
    out.fields = fields;
    let mut start = 0;
    for &end in ends {
        let field = bytes.get(start..end)?;
        match encoding {
            Encoding::Utf8 => match std::str::from_utf8(field) {
                Ok(text) => out.text.push_str(text),
                // A field cut at MAX_FIELD_BYTES may end inside a character.
                Err(e) if e.error_len().is_none() && field.len() == MAX_FIELD_BYTES => {
                    out.text
                        .push_str(std::str::from_utf8(&field[..e.valid_up_to()]).ok()?);
                }
                Err(_) => return None,
            },
            Encoding::Windows1252 => out.text.extend(field.iter().map(|&b| cp1252_char(b))),
        }
        out.ends.push(out.text.len());
        start = end;
    }
    Some(())
}

/// The records of a text, one at a time (a pass can stop and resume).
pub(crate) struct Records<'a> {
    text: Text<'a>,
    core: csv_core::Reader,
    /// The kept fields' raw bytes of the record being read.
    out: Vec<u8>,
    ends: [usize; MAX_FIELDS],
    record: Record,
    /// Input read so far.
    pos: usize,
    /// Lines are counted from each record's first byte (skipping the previous
    /// record's terminator and blank lines), incrementally: one pass over the text.
    counted_to: usize,
    line: u64,
}

impl<'a> Records<'a> {
    pub(crate) fn new(text: Text<'a>, delimiter: u8) -> Records<'a> {
        Records {
            text,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 1024],
            ends: [0; MAX_FIELDS],
            record: Record::default(),
            pos: 0,
            counted_to: 0,
            line: 1,
        }
    }

    /// The next record and the 1-based physical line where it starts; `None`
    /// at the end of the text.
    pub(crate) fn next_record(&mut self) -> Result<Option<(u64, &Record)>> {
        use csv_core::ReadRecordResult as R;
        let bytes = self.text.bytes;
        let (core, out, ends) = (&mut self.core, &mut self.out, &mut self.ends);
        // Where the fields past MAX_FIELDS and the rest of over-long fields go.
        let mut spill = [0u8; 1024];
        let mut spill_ends = [0usize; 64];
        let start = self.pos;
        // `written` bytes kept in `out`; `dropped` bytes of this record's
        // over-long fields read and dropped; `kept` field ends in `ends`,
        // `extra` fields past MAX_FIELDS; `cut`: the current field is over-long.
        let (mut written, mut dropped, mut kept, mut extra) = (0usize, 0usize, 0usize, 0usize);
        let mut cut = false;
        loop {
            let input = &bytes[self.pos..];
            let result = if kept >= MAX_FIELDS {
                let (result, nin, _, nend) = core.read_record(input, &mut spill, &mut spill_ends);
                self.pos += nin;
                extra += nend;
                result
            } else if cut {
                // Read the rest of the long field only (one end at most).
                let mut one = [0usize; 1];
                let (result, nin, nout, nend) = core.read_record(input, &mut spill, &mut one);
                self.pos += nin;
                dropped += nout;
                if nend == 1 {
                    ends[kept] = one[0] - dropped;
                    kept += 1;
                    cut = false;
                }
                result
            } else {
                let field_start = |ends: &[usize], kept: usize| match kept {
                    0 => 0,
                    _ => ends[kept - 1],
                };
                let limit = out
                    .len()
                    .min(field_start(&ends[..], kept) + MAX_FIELD_BYTES);
                let (result, nin, nout, nend) =
                    core.read_record(input, &mut out[written..limit], &mut ends[kept..]);
                self.pos += nin;
                // Ends count every byte of the record, dropped ones too.
                for end in &mut ends[kept..kept + nend] {
                    *end -= dropped;
                }
                written += nout;
                kept += nend;
                if result == R::OutputFull {
                    if written - field_start(&ends[..], kept) >= MAX_FIELD_BYTES {
                        cut = true;
                    } else if written == out.len() {
                        let grown = out.len() * 2;
                        out.resize(grown, 0);
                    }
                }
                result
            };
            match result {
                R::InputEmpty | R::OutputEndsFull | R::OutputFull => {}
                R::Record => break,
                R::End => return Ok(None),
            }
        }
        let decoded = decode_record(
            self.text.encoding,
            &out[..written],
            &ends[..kept],
            kept + extra,
            &mut self.record,
        );
        let mut first = start.max(self.counted_to);
        while first < bytes.len() && matches!(bytes[first], b'\r' | b'\n') {
            first += 1;
        }
        let first = first.min(bytes.len());
        self.line += bytes[self.counted_to..first]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.counted_to = first;
        if decoded.is_none() {
            return Err(Error::validation(
                "file",
                format!("cannot be read as CSV near line {}", self.line),
            ));
        }
        Ok(Some((self.line, &self.record)))
    }
}

/// Call `f(line, record)` for each record of `text`; `line` is the 1-based
/// physical line where the record starts. Stops early when `f` returns `false`.
pub(crate) fn for_each_record(
    text: Text<'_>,
    delimiter: u8,
    mut f: impl FnMut(u64, &Record) -> bool,
) -> Result<()> {
    let mut records = Records::new(text, delimiter);
    while let Some((line, record)) = records.next_record()? {
        if !f(line, record) {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(bytes: &[u8], delimiter: u8) -> Vec<(u64, usize, Vec<String>)> {
        let text = decode(bytes).unwrap();
        let mut seen = Vec::new();
        for_each_record(text, delimiter, |line, r| {
            seen.push((line, r.len(), r.iter().map(str::to_string).collect()));
            true
        })
        .unwrap();
        seen
    }

    #[test]
    fn decoding_refuses_binary_and_empty_files() {
        let t = decode(b"\xEF\xBB\xBFa,b\n").unwrap();
        assert_eq!((t.bytes, t.encoding), (&b"a,b\n"[..], Encoding::Utf8));
        let e = decode(b"a,b\n\x00\x01").unwrap_err();
        assert_eq!(e.field(), Some("file"));
        assert!(e.to_string().contains("binary"), "{e}");
        assert!(e.to_string().contains("line 2"), "{e}");
        assert!(decode(b"").is_err());
        assert!(decode(b"\xEF\xBB\xBF \r\n").is_err());
        assert!(decode(b" \xA0\r\n").is_err(), "blank in Windows-1252");
    }

    #[test]
    fn text_that_is_not_utf8_is_windows_1252() {
        // "Müller;5 €;„x“" in Windows-1252.
        let bytes = b"M\xfcller;5 \x80;\x84x\x93\r\n";
        let t = decode(bytes).unwrap();
        assert_eq!(t.encoding, Encoding::Windows1252);
        assert_eq!(
            records(bytes, b';'),
            [(1, 3, vec!["Müller".into(), "5 €".into(), "„x“".into()])]
        );
        let all: Vec<u8> = (1..=255).filter(|b| !b"\r\n\";".contains(b)).collect();
        let got = &records(&all, b';')[0].2[0];
        assert_eq!(got.chars().count(), all.len(), "one character per byte");
        assert!(got.contains('\u{81}') && got.contains('ÿ') && got.contains('Ÿ'));
    }

    #[test]
    fn records_know_the_line_they_start_on() {
        let seen = records(
            b"a,b\r\n\"multi\nline\",x\r\n\r\nlast,\"q,\"\"uoted\"\"\"\r\n",
            b',',
        );
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[0].0, 1);
        assert_eq!((seen[1].0, seen[1].2[0].as_str()), (2, "multi\nline"));
        assert_eq!((seen[2].0, seen[2].2[1].as_str()), (5, "q,\"uoted\""));
        let lf: Vec<u64> = records(b"\n\na\nb\n\n\"c\n\nd\"\ne", b',')
            .into_iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(lf, [3, 4, 6, 9]);
        let cr: Vec<u64> = records(b"a\rb\r\r\"c\r\nd\"\re", b',')
            .into_iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(cr, [1, 1, 1, 2], "a bare CR ends a record but is no line");
    }

    #[test]
    fn fields_past_the_limit_are_counted_not_kept() {
        let mut line = "x,".repeat(100_000);
        line.push_str("end\nshort,row\n");
        let seen = records(line.as_bytes(), b',');
        assert_eq!(seen[0].1, 100_001, "every field is counted");
        assert_eq!(seen[0].2.len(), MAX_FIELDS, "only the first are kept");
        assert_eq!(
            (seen[1].0, seen[1].1),
            (2, 2),
            "the next record is read whole"
        );
        assert_eq!(seen[1].2, ["short", "row"]);
        // A long field grows the buffer.
        let long = format!("\"{}\",b\n", "é".repeat(30_000));
        let seen = records(long.as_bytes(), b',');
        assert_eq!(seen[0].2[0].chars().count(), 30_000);
        assert_eq!(seen[0].2[1], "b");
    }

    #[test]
    fn over_long_fields_keep_their_first_bytes() {
        // "é" is 2 bytes: the cut falls inside a character for the odd prefix.
        for prefix in ["", "x"] {
            let long = format!("{prefix}{}", "é".repeat(MAX_FIELD_BYTES));
            let text = format!("a,\"{long}\",\"q\"\"{long}\"\r\nnext,\"{long}\"\n");
            let seen = records(text.as_bytes(), b',');
            assert_eq!(seen.len(), 2);
            let kept = &seen[0].2;
            assert_eq!((seen[0].1, kept.len()), (3, 3));
            assert_eq!(kept[0], "a", "the fields before are whole");
            assert!(kept[1].len() <= MAX_FIELD_BYTES && kept[1].len() > MAX_FIELD_BYTES - 4);
            assert!(
                long.starts_with(kept[1].as_str()),
                "the first bytes are kept"
            );
            assert!(kept[2].starts_with("q\"") && kept[2].len() <= MAX_FIELD_BYTES);
            assert_eq!(
                (seen[1].0, seen[1].2[0].as_str()),
                (2, "next"),
                "the next record is read whole"
            );
        }
        let cp = [b"a;".as_slice(), &vec![0xE9; MAX_FIELD_BYTES + 10], b";b\n"].concat();
        let seen = records(&cp, b';');
        assert_eq!(seen[0].2[1].chars().count(), MAX_FIELD_BYTES);
        assert_eq!(seen[0].2[2], "b");
    }

    #[test]
    fn a_non_ascii_delimiter_that_splits_a_character_is_a_file_error() {
        let e =
            for_each_record(decode("aé;b\n".as_bytes()).unwrap(), 0xC3, |_, _| true).unwrap_err();
        assert_eq!(e.field(), Some("file"));
    }
}
