//! Bank statement files: OFX/QFX, QIF and CAMT.053, read into one shape.
//!
//! Store-free, like `csv_io`: each reader turns the bytes of one file into a
//! [`StatementFile`] — the entries in file order, plus what the file says about
//! its account and its ending balance. The import pipeline (`csv_io`'s plan →
//! preview → commit) takes it from there; no reader writes anything.
//!
//! * [`sniff`] tells the format from the content, never from the file's name.
//! * Amounts are integer minor units of the user's currency, signed as the bank
//!   sees the account: negative = money out. No reader goes through `f64`.
//! * `bank_id` is the bank's own id of the entry (OFX `FITID`, CAMT
//!   `AcctSvcrRef`/`EndToEndId`); QIF has none.
//! * An entry's amount may be zero (a bank's `0.00` line): a reader keeps
//!   what the file says, the import judges it.
//! * Readers: [`ofx`], [`qif`], [`camt`]; each one's module docs list the
//!   quirks it handles. Shared text, amount and date rules: `text.rs`.
//!
//! Invariants: a reader never panics, whatever the bytes (fuzzed: `fuzz/`);
//! a problem with the file as a whole is `Validation { field: "file" }`, with
//! the line or element where it was found when there is one.

use chrono::NaiveDate;

pub mod camt;
pub mod ofx;
pub mod qif;
mod text;

#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod roundtrip_tests;

/// The bank file formats the app reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BankFormat {
    /// OFX 1.x (SGML) or 2.x (XML); QFX is OFX.
    Ofx,
    Qif,
    /// ISO 20022 `camt.053` bank-to-customer statement.
    Camt053,
}

/// One booked entry of a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankEntry {
    pub date: NaiveDate,
    /// Minor units, signed: negative = money out of the account.
    pub amount: i64,
    /// Who was paid or paid in (OFX `NAME`/`PAYEE`, QIF `P`, CAMT party name);
    /// may be empty.
    pub payee: String,
    /// Free text (OFX `MEMO`, QIF `M`, CAMT `Ustrd`); may be empty.
    pub memo: String,
    /// The bank's own id of the entry, when the format has one.
    pub bank_id: Option<String>,
}

/// A statement's ending (booked) balance, when the file carries one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndingBalance {
    /// Minor units, signed.
    pub amount: i64,
    /// The day the balance is for (end of that day).
    pub date: NaiveDate,
}

/// What one bank file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementFile {
    pub format: BankFormat,
    /// The account the file is about, as the bank names it (IBAN, account
    /// number), to suggest the app's account; never trusted for scoping.
    pub account_hint: Option<String>,
    /// The currency the file states (ISO 4217), when it states one.
    pub currency: Option<String>,
    pub ending_balance: Option<EndingBalance>,
    pub entries: Vec<BankEntry>,
}

/// The order of day and month in a QIF file's dates (`D1/ 5'24`), when the
/// file's dates fit both and the user chose one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayMonthOrder {
    MonthFirst,
    DayFirst,
}

/// What the user tells a reader about a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// The user's currency: amounts become its minor units.
    pub currency: crate::money::Currency,
    /// For a QIF file whose dates read both ways; `None` = refuse such a file
    /// with `Validation { field: "date_order" }` so the wizard can ask.
    pub qif_dates: Option<DayMonthOrder>,
}

/// Read one bank file of any of the formats (sniffed by content).
///
/// Whole-file problems are `Validation { field: "file" }` naming the line;
/// a QIF file whose dates read both day-first and month-first, without
/// `options.qif_dates`, is `Validation { field: "date_order" }`.
pub fn read(bytes: &[u8], options: &ReadOptions) -> crate::Result<StatementFile> {
    match sniff(bytes) {
        Some(BankFormat::Ofx) => ofx::read(bytes, options),
        Some(BankFormat::Qif) => qif::read(bytes, options),
        Some(BankFormat::Camt053) => camt::read(bytes, options),
        None => Err(crate::Error::validation(
            "file",
            "is not an OFX, QFX, QIF or CAMT.053 bank file",
        )),
    }
}

/// The format of `bytes`, judged by their content; `None` when they are none
/// of the bank formats (a CSV file, say).
pub fn sniff(bytes: &[u8]) -> Option<BankFormat> {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with("OFXHEADER") || t.contains("<OFX>") || t.contains("<OFX ") {
        Some(BankFormat::Ofx)
    } else if t.starts_with("!Type:") || t.starts_with("!Option:") || t.starts_with("!Account") {
        Some(BankFormat::Qif)
    } else if t.contains("urn:iso:std:iso:20022:tech:xsd:camt.053") {
        Some(BankFormat::Camt053)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_tells_the_format_by_content() {
        assert_eq!(
            sniff(b"OFXHEADER:100\nDATA:OFXSGML\n"),
            Some(BankFormat::Ofx)
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\"?>\n<OFX>"),
            Some(BankFormat::Ofx)
        );
        assert_eq!(sniff(b"!Type:Bank\nD1/ 5'24\n"), Some(BankFormat::Qif));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">"),
            Some(BankFormat::Camt053)
        );
        assert_eq!(
            sniff(b"date,amount,description\n"),
            None,
            "a CSV file is no bank file"
        );
    }
}
