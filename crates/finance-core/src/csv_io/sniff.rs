//! Guessing how a CSV file is laid out, from its first records only.
//!
//! Invariant: the preview is small whatever the file: at most 10 records of
//! at most [`MAX_FIELDS`] cells of at most [`PREVIEW_CELL_CHARS`] characters.

use super::parse::parse_amount;
use super::read::{MAX_FIELDS, Text, decode, for_each_record};
use super::{
    AmountColumns, CsvPreview, DateFormat, DecimalSeparator, EXPORT_HEADER, ImportSettings,
    PREVIEW_CELL_CHARS,
};
use crate::error::{Error, Result};
use crate::money::Currency;

/// Records looked at to guess formats.
const SAMPLE: usize = 50;
/// Data records shown in the preview.
const PREVIEW: usize = 10;

/// Look at the start of a file: encoding, delimiter, header, first rows and
/// a guess of the import settings. Strips a UTF-8 BOM; reads a file that is
/// not UTF-8 as Windows-1252; refuses empty and binary files, and a first
/// record of more than [`MAX_FIELDS`] fields (`Validation { field: "file" }`).
pub fn sniff_csv(bytes: &[u8]) -> Result<CsvPreview> {
    let text = decode(bytes)?;
    let delimiter = detect_delimiter(text);
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut too_wide = false;
    for_each_record(text, delimiter, |_, r| {
        too_wide = records.is_empty() && r.len() > MAX_FIELDS;
        // Cells are clipped already: a longer one is neither a date, an amount nor a column name.
        records.push(clip_cells(r.iter()));
        !too_wide && records.len() <= SAMPLE
    })?;
    if too_wide {
        return Err(Error::validation(
            "file",
            format!("has more than {MAX_FIELDS} columns"),
        ));
    }
    let has_header = looks_like_header(&records);
    let (header, data) = if has_header {
        (Some(records[0].clone()), &records[1..])
    } else {
        (None, &records[..])
    };
    let guess = guess_settings(delimiter, header.as_deref(), data);
    Ok(CsvPreview {
        encoding: text.encoding,
        delimiter,
        header,
        rows: data.iter().take(PREVIEW).cloned().collect(),
        guess,
    })
}

/// The cells as previewed: each cut at [`PREVIEW_CELL_CHARS`] characters.
fn clip_cells<'a>(cells: impl Iterator<Item = &'a str>) -> Vec<String> {
    cells
        .map(|c| match c.char_indices().nth(PREVIEW_CELL_CHARS) {
            Some((at, _)) => format!("{}…", &c[..at]),
            None => c.to_string(),
        })
        .collect()
}

/// The delimiter that splits the first records into the same number (> 1,
/// at most [`MAX_FIELDS`]) of fields; the most fields wins, `,` when nothing fits.
fn detect_delimiter(text: Text<'_>) -> u8 {
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t'] {
        let mut counts = Vec::new();
        let read = for_each_record(text, d, |_, r| {
            counts.push(r.len());
            counts.len() < 20
        });
        if read.is_err() || counts.is_empty() {
            continue;
        }
        let n = counts[0];
        if n > 1 && n <= MAX_FIELDS && counts.iter().all(|&c| c == n) && n > best.1 {
            best = (d, n);
        }
    }
    if best.1 > 0 {
        return best.0;
    }
    // Nothing consistent: the delimiter seen most in the first line.
    let end = text
        .bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(text.bytes.len());
    let first = &text.bytes[..end];
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.iter().filter(|b| *b == d).count())
        .unwrap_or(b',')
}

fn normalise(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Header names by role, most specific first.
const DATE_NAMES: &[&str] = &[
    "date",
    "datum",
    "date opération",
    "date operation",
    "booking date",
    "transaction date",
    "buchungstag",
    "buchungsdatum",
    "posting date",
    "value date",
    "valuta",
];
const AMOUNT_NAMES: &[&str] = &[
    "amount", "betrag", "montant", "value", "sum", "umsatz", "total",
];
const DEBIT_NAMES: &[&str] = &[
    "debit",
    "débit",
    "withdrawal",
    "withdrawals",
    "soll",
    "paid out",
];
const CREDIT_NAMES: &[&str] = &[
    "credit", "crédit", "deposit", "deposits", "haben", "paid in",
];
const DESCRIPTION_NAMES: &[&str] = &[
    "description",
    "payee",
    "memo",
    "verwendungszweck",
    "libellé",
    "libelle",
    "beschreibung",
    "buchungstext",
    "details",
    "text",
    "name",
    "empfänger",
];
const CATEGORY_NAMES: &[&str] = &["category", "kategorie"];
const NOTE_NAMES: &[&str] = &["note", "notes", "notiz", "comment", "bemerkung"];
const KIND_NAMES: &[&str] = &["type", "kind", "typ"];

fn all_names() -> impl Iterator<Item = &'static str> {
    [
        DATE_NAMES,
        AMOUNT_NAMES,
        DEBIT_NAMES,
        CREDIT_NAMES,
        DESCRIPTION_NAMES,
        CATEGORY_NAMES,
        NOTE_NAMES,
        KIND_NAMES,
    ]
    .into_iter()
    .flatten()
    .copied()
}

fn any_date(s: &str) -> bool {
    DateFormat::ALL.iter().any(|f| f.parse_date(s).is_some())
}

fn any_amount(s: &str) -> bool {
    [DecimalSeparator::Dot, DecimalSeparator::Comma]
        .into_iter()
        .any(|d| parse_amount(s, d, Currency::EUR).is_ok())
}

/// A header has a known column name or no dates and no amounts while the next record has a date.
fn looks_like_header(records: &[Vec<String>]) -> bool {
    let Some(first) = records.first() else {
        return false;
    };
    if first.iter().any(|c| any_date(c)) {
        return false;
    }
    let known = first.iter().any(|c| all_names().any(|n| normalise(c) == n));
    let plain = !first.iter().any(|c| any_amount(c));
    let next_has_date = records
        .get(1)
        .is_some_and(|r| r.iter().any(|c| any_date(c)));
    known || (plain && next_has_date)
}

fn column_named(header: &[String], names: &[&str], taken: &[usize]) -> Option<usize> {
    let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    names.iter().find_map(|n| {
        norm.iter()
            .enumerate()
            .find(|(i, h)| h.as_str() == *n && !taken.contains(i))
            .map(|(i, _)| i)
    })
}

fn samples(data: &[Vec<String>], col: usize) -> impl Iterator<Item = &str> {
    data.iter()
        .filter_map(move |r| r.get(col))
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
}

fn all_samples(data: &[Vec<String>], col: usize, ok: impl Fn(&str) -> bool) -> bool {
    let mut any = false;
    for s in samples(data, col) {
        if !ok(s) {
            return false;
        }
        any = true;
    }
    any
}

fn guess_settings(
    delimiter: u8,
    header: Option<&[String]>,
    data: &[Vec<String>],
) -> ImportSettings {
    let width = header
        .map(<[String]>::len)
        .or_else(|| data.first().map(Vec::len))
        .unwrap_or(1);
    let mut taken: Vec<usize> = Vec::new();
    let named = |names: &[&str], taken: &mut Vec<usize>| {
        let col = header.and_then(|h| column_named(h, names, taken));
        taken.extend(col);
        col
    };
    let mut date = named(DATE_NAMES, &mut taken);
    let amount = named(AMOUNT_NAMES, &mut taken);
    let debit = named(DEBIT_NAMES, &mut taken);
    let credit = named(CREDIT_NAMES, &mut taken);
    let mut description = named(DESCRIPTION_NAMES, &mut taken);
    let category = named(CATEGORY_NAMES, &mut taken);
    let note = named(NOTE_NAMES, &mut taken);
    let kind = named(KIND_NAMES, &mut taken);
    let free =
        |taken: &[usize]| -> Vec<usize> { (0..width).filter(|i| !taken.contains(i)).collect() };
    if date.is_none() {
        date = free(&taken)
            .into_iter()
            .find(|&i| all_samples(data, i, any_date));
        taken.extend(date);
    }
    let amount = match (amount, debit, credit) {
        (_, Some(debit), Some(credit)) if amount.is_none() => {
            AmountColumns::DebitCredit { debit, credit }
        }
        (Some(a), _, _) => AmountColumns::Single(a),
        _ => {
            let a = free(&taken)
                .into_iter()
                .find(|&i| all_samples(data, i, any_amount))
                .unwrap_or_else(|| free(&taken).into_iter().next().unwrap_or(0));
            taken.push(a);
            AmountColumns::Single(a)
        }
    };
    if description.is_none() {
        description = free(&taken)
            .into_iter()
            .find(|&i| samples(data, i).any(|s| !any_amount(s) && !any_date(s)))
            .or_else(|| free(&taken).into_iter().next());
        taken.extend(description);
    }
    let date = date.unwrap_or(0);
    let amount_cols: Vec<usize> = match amount {
        AmountColumns::Single(a) => vec![a],
        AmountColumns::DebitCredit { debit, credit } => vec![debit, credit],
    };
    let decimal = guess_decimal(delimiter, data, &amount_cols);
    // The account and transfer columns only in the app's own export: a bank
    // file's "Account" column holds an account number, not one of the user's accounts.
    let own_export = header.is_some_and(|h| h.iter().map(String::as_str).eq(EXPORT_HEADER));
    let own_column = |name: &str| {
        own_export
            .then(|| EXPORT_HEADER.iter().position(|c| *c == name))
            .flatten()
    };
    ImportSettings {
        delimiter,
        has_header: header.is_some(),
        date,
        amount,
        description: description.unwrap_or(0),
        category,
        note,
        kind,
        date_format: guess_date_format(data, date, delimiter, decimal),
        decimal,
        account: own_column("account"),
        transfer: own_column("transfer"),
    }
}

/// The first format that reads every sample; day-first unless the file looks American.
fn guess_date_format(
    data: &[Vec<String>],
    col: usize,
    delimiter: u8,
    decimal: DecimalSeparator,
) -> DateFormat {
    let fits = |f: DateFormat| all_samples(data, col, |s| f.parse_date(s).is_some());
    let dmy = fits(DateFormat::DayMonthYearSlash);
    let mdy = fits(DateFormat::MonthDayYearSlash);
    if dmy && mdy {
        return if delimiter == b',' && decimal == DecimalSeparator::Dot {
            DateFormat::MonthDayYearSlash
        } else {
            DateFormat::DayMonthYearSlash
        };
    }
    DateFormat::ALL
        .into_iter()
        .find(|&f| fits(f))
        .unwrap_or(DateFormat::Iso)
}

/// Votes from amounts whose last separator is followed by one or two digits,
/// or that use both separators; `;` files default to a comma.
fn guess_decimal(delimiter: u8, data: &[Vec<String>], cols: &[usize]) -> DecimalSeparator {
    let (mut dot, mut comma) = (0, 0);
    for &c in cols {
        for s in samples(data, c) {
            let Some(pos) = s.rfind(['.', ',']) else {
                continue;
            };
            let after = s[pos + 1..].trim_end_matches(')');
            let sep = s.as_bytes()[pos];
            let both = s.contains('.') && s.contains(',');
            if both || (1..=2).contains(&after.len()) {
                if sep == b'.' {
                    dot += 1;
                } else {
                    comma += 1;
                }
            }
        }
    }
    match dot.cmp(&comma) {
        std::cmp::Ordering::Greater => DecimalSeparator::Dot,
        std::cmp::Ordering::Less => DecimalSeparator::Comma,
        std::cmp::Ordering::Equal if delimiter == b';' => DecimalSeparator::Comma,
        std::cmp::Ordering::Equal => DecimalSeparator::Dot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_apps_own_export() {
        let p = sniff_csv(
            b"date,account,description,category,type,amount,note,transfer\r\n\
              2024-01-31,Main account,Coffee,Eating out,expense,3.50,,\r\n",
        )
        .unwrap();
        assert_eq!(p.delimiter, b',');
        let g = p.guess;
        assert!(g.has_header);
        assert_eq!(
            (g.date, g.account, g.description, g.category, g.kind),
            (0, Some(1), 2, Some(3), Some(4))
        );
        assert_eq!(
            (g.amount, g.note, g.transfer),
            (AmountColumns::Single(5), Some(6), Some(7))
        );
        assert_eq!(
            (g.date_format, g.decimal),
            (DateFormat::Iso, DecimalSeparator::Dot)
        );
    }

    #[test]
    fn sniffs_the_previous_versions_export_and_no_account_in_bank_files() {
        let bank = sniff_csv(b"Date,Account,Description,Amount\n2024-01-31,DE89 3704,Shop,-3.50\n")
            .unwrap();
        assert_eq!(
            (bank.guess.account, bank.guess.transfer),
            (None, None),
            "a bank's account column (an account number) is not guessed as the app's accounts"
        );
        let p = sniff_csv(
            b"date,description,category,type,amount,note\r\n2024-01-31,Coffee,Eating out,expense,3.50,\r\n",
        )
        .unwrap();
        assert_eq!((p.guess.account, p.guess.transfer), (None, None));
        assert_eq!(p.delimiter, b',');
        assert_eq!(p.header.as_ref().unwrap()[0], "date");
        let g = p.guess;
        assert!(g.has_header);
        assert_eq!(
            (g.date, g.amount, g.description, g.category, g.kind, g.note),
            (0, AmountColumns::Single(4), 1, Some(2), Some(3), Some(5))
        );
        assert_eq!(
            (g.date_format, g.decimal),
            (DateFormat::Iso, DecimalSeparator::Dot)
        );
    }

    #[test]
    fn sniffs_a_german_bank_file_with_bom() {
        let text = "\u{feff}Buchungstag;Verwendungszweck;Betrag\r\n31.01.2024;Miete;-1.250,00\r\n01.02.2024;Gehalt;2.500,50\r\n";
        let p = sniff_csv(text.as_bytes()).unwrap();
        assert_eq!(p.delimiter, b';');
        assert_eq!(p.rows.len(), 2);
        let g = p.guess;
        assert_eq!(
            (g.date, g.description, g.amount),
            (0, 1, AmountColumns::Single(2))
        );
        assert_eq!(g.date_format, DateFormat::DayMonthYearDot);
        assert_eq!(g.decimal, DecimalSeparator::Comma);
    }

    #[test]
    fn sniffs_debit_credit_and_headerless_files() {
        let p = sniff_csv(b"Date\tPayee\tDebit\tCredit\n01/31/2024\tShop\t12.50\t\n").unwrap();
        assert_eq!(p.delimiter, b'\t');
        assert_eq!(
            p.guess.amount,
            AmountColumns::DebitCredit {
                debit: 2,
                credit: 3
            }
        );
        assert_eq!(p.guess.date_format, DateFormat::MonthDayYearSlash);
        let p = sniff_csv(b"2024/01/05,Bakery,-3.20\n2024/01/06,Pay,1000.00\n").unwrap();
        assert!(p.header.is_none() && !p.guess.has_header);
        assert_eq!(p.rows.len(), 2);
        let g = p.guess;
        assert_eq!(
            (g.date, g.amount, g.description),
            (0, AmountColumns::Single(2), 1)
        );
        assert_eq!(g.date_format, DateFormat::YearSlash);
    }

    #[test]
    fn refuses_binary_and_empty_input() {
        assert_eq!(sniff_csv(b"").unwrap_err().field(), Some("file"));
        assert_eq!(
            sniff_csv(b"\x89PNG\r\n\x1a\n\x00\x00").unwrap_err().field(),
            Some("file")
        );
    }
}
