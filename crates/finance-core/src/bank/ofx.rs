//! OFX 1.x (SGML) and 2.x (XML) bank and credit-card statements; QFX is OFX
//! with Intuit's extra tags, which are ignored.
//!
//! Read by our own tolerant tag reader ([`tags`]), not a crate: see
//! ARCHITECTURE.md ("Bank files") for why `ofx-rs` was not taken.
//!
//! What is read: every `STMTRS` (bank: `BANKMSGSRSV1/STMTTRNRS/STMTRS`) and
//! `CCSTMTRS` (credit card: `CREDITCARDMSGSRSV1/CCSTMTTRNRS/CCSTMTRS`):
//! `CURDEF` → currency, `BANKACCTFROM`/`CCACCTFROM` `ACCTID` → account hint,
//! `LEDGERBAL` (`BALAMT`, `DTASOF`) → ending balance, and each `STMTTRN`:
//! `DTPOSTED` (else `DTUSER`) → date, `TRNAMT` → amount, `NAME` (or the
//! `PAYEE` aggregate's `NAME`, or a `PAYEE` leaf) → payee, `MEMO` → memo,
//! `FITID` → bank id. Investment statements are not read.
//!
//! Quirks handled:
//! * Dates `20240105120000[-5:EST]`: the first eight digits are the day, as
//!   the bank wrote it (no time-zone shift moves an entry to another day).
//! * Amounts are signed as the customer sees them (OFX 3.2.9.2), so a card
//!   purchase is negative already. `TRNAMT` may be `-.50`, or `-12,50` from
//!   European banks (OFX has no thousands separators, so a lone comma is the
//!   decimal one). See [`text`](super::text) for the exactness rules.
//! * `CHARSET:1252` files are decoded as Windows-1252 unless the bytes are
//!   valid UTF-8 (the header is often wrong): [`text::decode`].
//! * A `BANKACCTTO`/`CCACCTTO` inside a transfer does not change the hint.
//! * Several statements of the same account (one per month) are merged;
//!   statements of different accounts are refused (the import goes into one
//!   account): the user exports one account per file.
//! * A currency other than the user's (`CURDEF`, or a transaction's own
//!   `CURRENCY/CURSYM`) is refused, naming it.
//! * A file that ends inside a statement is refused as cut short.

mod tags;

use super::text::{self, Line, decimal_amount, file_error, shown, ymd_date};
use super::{BankEntry, BankFormat, EndingBalance, ReadOptions, StatementFile};
use crate::error::Result;
use tags::{Tag, Tags};

/// Open aggregates at once; an OFX statement nests about ten deep.
const MAX_DEPTH: usize = 64;

/// A `STMTTRN` as read so far.
#[derive(Default)]
struct Draft {
    line: usize,
    posted: Option<String>,
    user_date: Option<String>,
    amount: Option<(Line, String)>,
    name: Option<String>,
    payee: Option<String>,
    memo: Option<String>,
    fitid: Option<String>,
    currency: Option<(Line, String)>,
}

/// One `STMTRS`/`CCSTMTRS` as read so far.
#[derive(Default)]
struct Statement {
    line: usize,
    account: Option<String>,
    currency: Option<(Line, String)>,
    balance_amount: Option<(Line, String)>,
    balance_date: Option<(Line, String)>,
    entries: Vec<BankEntry>,
}

/// Read an OFX or QFX file.
pub fn read(bytes: &[u8], options: &ReadOptions) -> Result<StatementFile> {
    let text = text::decode(bytes, "OFX")?;
    let mut tags = Tags::new(&text);
    let mut stack: Vec<String> = Vec::new();
    let mut statement: Option<Statement> = None;
    let mut draft: Option<Draft> = None;
    let mut done: Vec<Statement> = Vec::new();
    let mut saw_ofx = false;
    while let Some((line, tag)) = tags.next_tag()? {
        match tag {
            Tag::Open(name) => {
                match name.as_str() {
                    "OFX" => saw_ofx = true,
                    "STMTRS" | "CCSTMTRS" => {
                        if let Some(mut s) = statement.take() {
                            if let Some(d) = draft.take() {
                                s.entries.push(finish(d, options)?);
                            }
                            done.push(s);
                        }
                        statement = Some(Statement {
                            line: line.0,
                            ..Statement::default()
                        });
                    }
                    "STMTTRN" if statement.is_some() => {
                        // A missing `</STMTTRN>` ends the previous one here.
                        if let (Some(d), Some(s)) = (draft.take(), statement.as_mut()) {
                            s.entries.push(finish(d, options)?);
                        }
                        draft = Some(Draft {
                            line: line.0,
                            ..Draft::default()
                        });
                    }
                    _ => {}
                }
                stack.push(name);
                if stack.len() > MAX_DEPTH {
                    return Err(file_error(
                        line,
                        format!("nests tags deeper than {MAX_DEPTH}, which no OFX statement does"),
                    ));
                }
            }
            Tag::Close(name) => {
                // A leaf's closing tag (XML) has no open aggregate: ignored.
                let Some(at) = stack.iter().rposition(|n| *n == name) else {
                    continue;
                };
                for closed in stack.drain(at..).rev() {
                    match closed.as_str() {
                        "STMTTRN" => {
                            if let (Some(d), Some(s)) = (draft.take(), statement.as_mut()) {
                                s.entries.push(finish(d, options)?);
                            }
                        }
                        "STMTRS" | "CCSTMTRS" => {
                            if let Some(s) = statement.take() {
                                done.push(s);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Tag::Leaf { name, value } => {
                let inside = |n: &str| stack.iter().any(|s| s == n);
                if let Some(d) = draft.as_mut().filter(|_| inside("STMTTRN")) {
                    if inside("BANKACCTTO") || inside("CCACCTTO") {
                        continue;
                    }
                    match name.as_str() {
                        "DTPOSTED" => d.posted = Some(value),
                        "DTUSER" => d.user_date = Some(value),
                        "TRNAMT" => d.amount = Some((line, value)),
                        "FITID" => d.fitid = Some(value),
                        "NAME" if inside("PAYEE") => d.payee = Some(value),
                        "NAME" => d.name = Some(value),
                        "PAYEE" => d.payee = Some(value),
                        "MEMO" => d.memo = Some(value),
                        "CURSYM" if inside("CURRENCY") => d.currency = Some((line, value)),
                        _ => {}
                    }
                } else if let Some(s) = statement.as_mut() {
                    match name.as_str() {
                        "CURDEF" => s.currency = Some((line, value)),
                        "ACCTID" if inside("BANKACCTFROM") || inside("CCACCTFROM") => {
                            s.account = Some(value)
                        }
                        "BALAMT" if inside("LEDGERBAL") => s.balance_amount = Some((line, value)),
                        "DTASOF" if inside("LEDGERBAL") => s.balance_date = Some((line, value)),
                        _ => {}
                    }
                }
            }
        }
    }
    if let Some(open) = statement.as_ref() {
        let at = draft.as_ref().map_or(open.line, |d| d.line);
        return Err(file_error(
            Line(at),
            "the file ends inside a statement: is it cut short?",
        ));
    }
    if !saw_ofx {
        return Err(crate::Error::validation("file", "has no <OFX> element"));
    }
    combine(done, options)
}

/// One entry from its `STMTTRN`.
fn finish(d: Draft, options: &ReadOptions) -> Result<BankEntry> {
    let at = Line(d.line);
    if let Some((line, code)) = &d.currency {
        text::check_currency(*line, code, options.currency)?;
    }
    let raw_date = d
        .posted
        .or(d.user_date)
        .ok_or_else(|| file_error(at, "a transaction (STMTTRN) has no DTPOSTED"))?;
    let date = ymd_date(&raw_date)
        .ok_or_else(|| file_error(at, format!("DTPOSTED '{}' is not a date", shown(&raw_date))))?;
    let (line, raw) = d
        .amount
        .ok_or_else(|| file_error(at, "a transaction (STMTTRN) has no TRNAMT"))?;
    let amount = decimal_amount(&ofx_decimal(&raw), options.currency, line, "TRNAMT")?;
    Ok(BankEntry {
        date,
        amount,
        payee: d.name.or(d.payee).unwrap_or_default(),
        memo: d.memo.unwrap_or_default(),
        bank_id: d.fitid.filter(|f| !f.is_empty()),
    })
}

/// `-12,50` → `-12.50`: OFX has no thousands separator, so a comma without
/// a dot is a decimal comma.
fn ofx_decimal(raw: &str) -> String {
    if raw.contains(',') && !raw.contains('.') {
        raw.replacen(',', ".", 1)
    } else {
        raw.to_owned()
    }
}

/// The statements of the file as one, when they are of one account.
fn combine(statements: Vec<Statement>, options: &ReadOptions) -> Result<StatementFile> {
    if statements.is_empty() {
        return Err(crate::Error::validation(
            "file",
            "holds no bank or credit-card statement (STMTRS or CCSTMTRS)",
        ));
    }
    text::one_account(statements.iter().filter_map(|s| s.account.as_ref()))?;
    let mut file = StatementFile {
        format: BankFormat::Ofx,
        account_hint: None,
        currency: None,
        ending_balance: None,
        entries: Vec::new(),
    };
    for s in statements {
        if let Some((line, code)) = &s.currency {
            text::check_currency(*line, code, options.currency)?;
            file.currency = Some(code.trim().to_ascii_uppercase());
        }
        if let Some(balance) = ending_balance(&s, options)?
            && file.ending_balance.is_none_or(|b| b.date <= balance.date)
        {
            file.ending_balance = Some(balance);
        }
        file.account_hint = file.account_hint.or(s.account);
        file.entries.extend(s.entries);
    }
    Ok(file)
}

/// The statement's `LEDGERBAL`, when it has both an amount and a date.
fn ending_balance(s: &Statement, options: &ReadOptions) -> Result<Option<EndingBalance>> {
    let (Some((line, amount)), Some((date_line, date))) = (&s.balance_amount, &s.balance_date)
    else {
        return Ok(None);
    };
    let amount = decimal_amount(&ofx_decimal(amount), options.currency, *line, "BALAMT")?;
    let date = ymd_date(date).ok_or_else(|| {
        file_error(
            *date_line,
            format!("DTASOF '{}' is not a date", shown(date)),
        )
    })?;
    Ok(Some(EndingBalance { amount, date }))
}
