//! ISO 20022 `camt.053` bank-to-customer statements, versions `.001.02` to
//! `.001.08` (and later ones of the same shape), read with `quick-xml`'s
//! event reader. Elements are matched by local name, so the namespace of
//! each version (and any prefix) does not matter.
//!
//! What is read, per `Stmt` (several `Stmt` of one account — one per day —
//! are merged; of different accounts refused):
//! * `Acct/Id/IBAN` (else `Acct/Id/Othr/Id`) → account hint; `Acct/Ccy` →
//!   currency.
//! * `Bal` whose `Tp/CdOrPrtry/Cd` is `CLBD` (closing booked) → ending
//!   balance: `Amt`, `CdtDbtInd` (`DBIT` = negative), `Dt/Dt` or `Dt/DtTm`;
//!   the latest one when there are several.
//! * `Ntry` → one entry, or one per `TxDtls` for a batch (below): `Amt`,
//!   `CdtDbtInd` (`DBIT` = money out), `BookgDt` (else `ValDt`), `Dt` or
//!   `DtTm` (the day as written), `AcctSvcrRef`.
//!
//! Rules and quirks:
//! * Status: only booked entries are read — `<Sts>BOOK</Sts>` (up to .06) or
//!   `<Sts><Cd>BOOK</Cd></Sts>` (.07 on); `PDNG`, `INFO`, `FUTR` are skipped.
//!   An entry without a status is taken as booked.
//! * Reversals: the sign comes from `CdtDbtInd` alone. ISO 20022 defines
//!   `RvslInd` as a flag on an entry whose `CdtDbtInd` is already the
//!   direction of the reversal itself ("if CdtDbtInd is CRDT and RvslInd is
//!   true, the original operation was a debit"), so flipping it would book a
//!   returned direct debit as a second debit. `RvslInd` only picks the party:
//!   the payee is the other party *of the original operation*.
//! * Payee: the creditor's name (`RltdPties/Cdtr/Nm`, or `Cdtr/Pty/Nm` from
//!   .08) for money out, the debtor's for money in. Memo: the `RmtInf/Ustrd`
//!   lines joined with a space, else `AddtlTxInf`, else `AddtlNtryInf`.
//! * Batches: an entry with two or more `TxDtls` becomes one entry per
//!   `TxDtls`, each with its own amount (`AmtDtls/TxAmt/Amt`, else `Amt`) and
//!   sign (`TxDtls/CdtDbtInd`, else the entry's). Its `bank_id` is
//!   `AcctSvcrRef/EndToEndId`, or `AcctSvcrRef/#n` (n = the position in the
//!   batch, from 1) when the end-to-end ids are missing, `NOTPROVIDED` or
//!   not distinct. When a batch's transactions lack an amount, or do not add
//!   up to the entry's amount, the entry stays one entry of the booked amount.
//! * A single entry's `bank_id`: `AcctSvcrRef`, else the transaction's own
//!   `Refs/AcctSvcrRef`, else its `EndToEndId`.
//! * Any amount in a currency other than the user's is refused (field
//!   `file`), naming the currency and the line.
//! * A DTD (`<!DOCTYPE`) is refused, and so is any entity reference other
//!   than XML's five and numeric ones: quick-xml expands nothing by itself
//!   (no external entities, no entity bombs), and we never ask it to.

use std::collections::BTreeSet;

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

use super::text::{self, Line, LineCounter, decimal_amount, file_error, shown, ymd_date};
use super::{BankEntry, BankFormat, EndingBalance, ReadOptions, StatementFile};
use crate::error::{Error, Result};

/// Open elements at once; a camt.053 statement nests about twelve deep.
const MAX_DEPTH: usize = 64;

/// An amount as written, with its currency and line.
#[derive(Clone, Default)]
struct Written {
    text: String,
    currency: Option<String>,
    line: usize,
}

/// One `TxDtls` of an entry.
#[derive(Default)]
struct Tx {
    tx_amount: Option<Written>,
    amount: Option<Written>,
    credit_debit: Option<String>,
    end_to_end: Option<String>,
    reference: Option<String>,
    creditor: Option<String>,
    debtor: Option<String>,
    unstructured: Vec<String>,
    additional: Option<String>,
}

/// One `Ntry`.
#[derive(Default)]
struct Ntry {
    line: usize,
    amount: Option<Written>,
    credit_debit: Option<String>,
    reversal: bool,
    status: Option<String>,
    booking_date: Option<String>,
    value_date: Option<String>,
    reference: Option<String>,
    additional: Option<String>,
    txs: Vec<Tx>,
}

/// One `Bal`.
#[derive(Default)]
struct Bal {
    line: usize,
    code: Option<String>,
    amount: Option<Written>,
    credit_debit: Option<String>,
    date: Option<String>,
}

/// One `Stmt`.
#[derive(Default)]
struct Stmt {
    account: Option<String>,
    currency: Option<(usize, String)>,
    balances: Vec<EndingBalance>,
    entries: Vec<BankEntry>,
}

/// Where the reader is: the open `Stmt`, `Bal`, `Ntry`, `TxDtls`.
#[derive(Default)]
struct State {
    stmt: Option<Stmt>,
    bal: Option<Bal>,
    ntry: Option<Ntry>,
    tx: Option<Tx>,
    done: Vec<Stmt>,
}

/// Does `path` end with `tail`?
fn ends(path: &[String], tail: &[&str]) -> bool {
    path.len() >= tail.len()
        && path[path.len() - tail.len()..]
            .iter()
            .zip(tail)
            .all(|(a, b)| a == b)
}

/// Read a CAMT.053 file.
pub fn read(bytes: &[u8], options: &ReadOptions) -> Result<StatementFile> {
    let text = text::decode(bytes, "CAMT.053")?;
    let mut reader = Reader::from_str(&text);
    let mut path: Vec<String> = Vec::new();
    let mut value = String::new();
    let mut currency_attr: Option<String> = None;
    let mut state = State::default();
    let mut lines = LineCounter::new(&text);
    loop {
        let line = lines.at(usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX));
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            file_error(lines.at(at), format!("is not well-formed XML: {e}"))
        })?;
        match event {
            Event::Eof => break,
            Event::DocType(_) => {
                return Err(file_error(
                    line,
                    "has a DTD (<!DOCTYPE>), which a bank statement never needs",
                ));
            }
            Event::Start(e) => {
                let name = local_name(&e);
                currency_attr = currency_of(&e, line)?;
                start(&mut state, &path, &name, line);
                path.push(name);
                value.clear();
                if path.len() > MAX_DEPTH {
                    return Err(file_error(
                        line,
                        format!("nests elements deeper than {MAX_DEPTH}, which no statement does"),
                    ));
                }
            }
            Event::Empty(e) => {
                let name = local_name(&e);
                currency_attr = currency_of(&e, line)?;
                start(&mut state, &path, &name, line);
                path.push(name);
                end(&mut state, &path, "", currency_attr.take(), line, options)?;
                path.pop();
                value.clear();
            }
            Event::End(_) => {
                end(
                    &mut state,
                    &path,
                    value.trim(),
                    currency_attr.take(),
                    line,
                    options,
                )?;
                path.pop();
                value.clear();
            }
            Event::Text(t) => value.push_str(&t.xml10_content()),
            Event::CData(c) => value.push_str(&c.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => resolve_predefined_entity(&r).map(str::to_owned),
                    Err(_) => None,
                };
                match resolved {
                    Some(s) => value.push_str(&s),
                    None => {
                        let name: String = r.chars().take(40).collect();
                        return Err(file_error(
                            line,
                            format!("refers to an entity '&{name};' that XML does not define"),
                        ));
                    }
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if state.stmt.is_some() || !path.is_empty() {
        return Err(Error::validation(
            "file",
            "ends inside the statement: is it cut short?",
        ));
    }
    combine(state.done, options)
}

fn local_name(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_owned()
}

/// The `Ccy` attribute of an element (`<Amt Ccy="EUR">`), if any.
fn currency_of(e: &BytesStart<'_>, line: Line) -> Result<Option<String>> {
    for attribute in e.attributes() {
        let attribute =
            attribute.map_err(|err| file_error(line, format!("has a broken attribute: {err}")))?;
        if attribute.key.local_name().as_ref() == "Ccy" {
            let v = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| file_error(line, format!("has a broken attribute: {err}")))?;
            return Ok(Some(v.trim().to_owned()));
        }
    }
    Ok(None)
}

/// An element `name` opens under `path`.
fn start(state: &mut State, path: &[String], name: &str, line: Line) {
    let parent = path.last().map(String::as_str);
    match (name, parent) {
        ("Stmt", _) => state.stmt = Some(Stmt::default()),
        ("Bal", Some("Stmt")) => {
            state.bal = Some(Bal {
                line: line.0,
                ..Bal::default()
            })
        }
        ("Ntry", Some("Stmt")) => {
            state.ntry = Some(Ntry {
                line: line.0,
                ..Ntry::default()
            })
        }
        ("TxDtls", _) if state.ntry.is_some() => state.tx = Some(Tx::default()),
        _ => {}
    }
}

/// The element at the end of `path` closes with `value`.
fn end(
    state: &mut State,
    path: &[String],
    value: &str,
    currency: Option<String>,
    line: Line,
    options: &ReadOptions,
) -> Result<()> {
    let owned = || Some(value.to_owned());
    let written = || {
        Some(Written {
            text: value.to_owned(),
            currency: currency.clone(),
            line: line.0,
        })
    };
    if ends(path, &["TxDtls"]) {
        if let (Some(tx), Some(ntry)) = (state.tx.take(), state.ntry.as_mut()) {
            ntry.txs.push(tx);
        }
        return Ok(());
    }
    if let Some(tx) = state.tx.as_mut() {
        if ends(path, &["TxDtls", "AmtDtls", "TxAmt", "Amt"]) {
            tx.tx_amount = written();
        } else if ends(path, &["TxDtls", "Amt"]) {
            tx.amount = written();
        } else if ends(path, &["TxDtls", "CdtDbtInd"]) {
            tx.credit_debit = owned();
        } else if ends(path, &["TxDtls", "Refs", "EndToEndId"]) {
            tx.end_to_end = owned();
        } else if ends(path, &["TxDtls", "Refs", "AcctSvcrRef"]) {
            tx.reference = owned();
        } else if ends(path, &["RltdPties", "Cdtr", "Nm"])
            || ends(path, &["RltdPties", "Cdtr", "Pty", "Nm"])
        {
            tx.creditor = owned();
        } else if ends(path, &["RltdPties", "Dbtr", "Nm"])
            || ends(path, &["RltdPties", "Dbtr", "Pty", "Nm"])
        {
            tx.debtor = owned();
        } else if ends(path, &["RmtInf", "Ustrd"]) {
            tx.unstructured.push(value.to_owned());
        } else if ends(path, &["TxDtls", "AddtlTxInf"]) {
            tx.additional = owned();
        }
        return Ok(());
    }
    if ends(path, &["Stmt", "Ntry"]) {
        if let (Some(ntry), Some(stmt)) = (state.ntry.take(), state.stmt.as_mut()) {
            stmt.entries.extend(entries(ntry, options)?);
        }
        return Ok(());
    }
    if let Some(ntry) = state.ntry.as_mut() {
        if ends(path, &["Ntry", "Amt"]) {
            ntry.amount = written();
        } else if ends(path, &["Ntry", "CdtDbtInd"]) {
            ntry.credit_debit = owned();
        } else if ends(path, &["Ntry", "RvslInd"]) {
            ntry.reversal = value.eq_ignore_ascii_case("true") || value == "1";
        } else if (ends(path, &["Ntry", "Sts"]) && !value.is_empty())
            || ends(path, &["Ntry", "Sts", "Cd"])
        {
            ntry.status = owned();
        } else if ends(path, &["Ntry", "BookgDt", "Dt"]) || ends(path, &["Ntry", "BookgDt", "DtTm"])
        {
            ntry.booking_date = owned();
        } else if ends(path, &["Ntry", "ValDt", "Dt"]) || ends(path, &["Ntry", "ValDt", "DtTm"]) {
            ntry.value_date = owned();
        } else if ends(path, &["Ntry", "AcctSvcrRef"]) {
            ntry.reference = owned();
        } else if ends(path, &["Ntry", "AddtlNtryInf"]) {
            ntry.additional = owned();
        }
        return Ok(());
    }
    if ends(path, &["Stmt", "Bal"]) {
        if let (Some(bal), Some(stmt)) = (state.bal.take(), state.stmt.as_mut())
            && let Some(b) = balance(bal, options)?
        {
            stmt.balances.push(b);
        }
        return Ok(());
    }
    if let Some(bal) = state.bal.as_mut() {
        if ends(path, &["Bal", "Tp", "CdOrPrtry", "Cd"]) {
            bal.code = owned();
        } else if ends(path, &["Bal", "Amt"]) {
            bal.amount = written();
        } else if ends(path, &["Bal", "CdtDbtInd"]) {
            bal.credit_debit = owned();
        } else if ends(path, &["Bal", "Dt", "Dt"]) || ends(path, &["Bal", "Dt", "DtTm"]) {
            bal.date = owned();
        }
        return Ok(());
    }
    if ends(path, &["Stmt"]) {
        if let Some(stmt) = state.stmt.take() {
            state.done.push(stmt);
        }
        return Ok(());
    }
    if let Some(stmt) = state.stmt.as_mut() {
        if ends(path, &["Stmt", "Acct", "Id", "IBAN"])
            || ends(path, &["Stmt", "Acct", "Id", "Othr", "Id"])
        {
            stmt.account = owned();
        } else if ends(path, &["Stmt", "Acct", "Ccy"]) {
            stmt.currency = Some((line.0, value.to_owned()));
        }
    }
    Ok(())
}

/// `+1` for `CRDT`, `-1` for `DBIT`.
fn sign(indicator: Option<&str>, at: Line) -> Result<i64> {
    match indicator.map(str::trim) {
        Some("CRDT") => Ok(1),
        Some("DBIT") => Ok(-1),
        Some(other) => Err(file_error(
            at,
            format!("CdtDbtInd '{}' is neither CRDT nor DBIT", shown(other)),
        )),
        None => Err(file_error(at, "an amount has no CdtDbtInd")),
    }
}

/// `Written` in minor units of the user's currency, unsigned as CAMT writes it.
fn minor(w: &Written, options: &ReadOptions, what: &str) -> Result<i64> {
    let at = Line(w.line);
    if let Some(code) = &w.currency
        && !code.eq_ignore_ascii_case(options.currency.code())
    {
        return Err(file_error(
            at,
            format!(
                "{what} is in {code}, but the account's currency is {}",
                options.currency.code()
            ),
        ));
    }
    if w.text.trim_start().starts_with(['-', '+']) {
        return Err(file_error(
            at,
            format!(
                "{what} '{}' has a sign; CAMT signs with CdtDbtInd",
                shown(&w.text)
            ),
        ));
    }
    decimal_amount(&w.text, options.currency, at, what)
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The entries one `Ntry` becomes (none when it is not booked).
fn entries(n: Ntry, options: &ReadOptions) -> Result<Vec<BankEntry>> {
    let at = Line(n.line);
    if n.status
        .as_deref()
        .is_some_and(|s| !s.trim().eq_ignore_ascii_case("BOOK"))
    {
        return Ok(Vec::new());
    }
    let raw_date = non_empty(&n.booking_date)
        .or_else(|| non_empty(&n.value_date))
        .ok_or_else(|| file_error(at, "an entry (Ntry) has no BookgDt or ValDt"))?;
    let date = ymd_date(&raw_date)
        .ok_or_else(|| file_error(at, format!("date '{}' is not a date", shown(&raw_date))))?;
    let amount = n
        .amount
        .as_ref()
        .ok_or_else(|| file_error(at, "an entry (Ntry) has no Amt"))?;
    let entry_sign = sign(n.credit_debit.as_deref(), at)?;
    let total = entry_sign * minor(amount, options, "an entry's amount")?;
    let reference = non_empty(&n.reference);
    // The other party of the original operation (see the module docs).
    let party = |tx: &Tx, amount: i64| {
        let paid_out = (amount < 0) != n.reversal;
        let name = if paid_out { &tx.creditor } else { &tx.debtor };
        non_empty(name).unwrap_or_default()
    };
    let memo = |tx: Option<&Tx>| {
        let lines: Vec<&str> = tx
            .map(|t| {
                t.unstructured
                    .iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if lines.is_empty() {
            tx.and_then(|t| non_empty(&t.additional))
                .or_else(|| non_empty(&n.additional))
                .unwrap_or_default()
        } else {
            lines.join(" ")
        }
    };
    if n.txs.len() >= 2 {
        let mut split = Vec::with_capacity(n.txs.len());
        for tx in &n.txs {
            let Some(w) = tx.tx_amount.as_ref().or(tx.amount.as_ref()) else {
                split.clear();
                break;
            };
            let s = match tx.credit_debit.as_deref() {
                Some(cd) => sign(Some(cd), Line(w.line))?,
                None => entry_sign,
            };
            split.push(s * minor(w, options, "a transaction's amount")?);
        }
        if !split.is_empty()
            && split.iter().map(|&a| i128::from(a)).sum::<i128>() == i128::from(total)
        {
            let e2e: Vec<Option<String>> = n
                .txs
                .iter()
                .map(|t| non_empty(&t.end_to_end).filter(|e| e != "NOTPROVIDED"))
                .collect();
            let distinct: BTreeSet<&String> = e2e.iter().flatten().collect();
            let by_e2e = distinct.len() == n.txs.len();
            return Ok(n
                .txs
                .iter()
                .zip(split)
                .enumerate()
                .map(|(i, (tx, amount))| {
                    let own = if by_e2e { e2e[i].clone() } else { None };
                    let bank_id = match (&reference, own) {
                        (Some(r), Some(e)) => Some(format!("{r}/{e}")),
                        (Some(r), None) => Some(format!("{r}/#{}", i + 1)),
                        (None, own) => non_empty(&tx.reference).or(own),
                    };
                    BankEntry {
                        date,
                        amount,
                        payee: party(tx, amount),
                        memo: memo(Some(tx)),
                        bank_id,
                    }
                })
                .collect());
        }
        return Ok(vec![BankEntry {
            date,
            amount: total,
            payee: String::new(),
            memo: non_empty(&n.additional).unwrap_or_default(),
            bank_id: reference,
        }]);
    }
    let tx = n.txs.first();
    let bank_id = reference.or_else(|| {
        tx.and_then(|t| {
            non_empty(&t.reference)
                .or_else(|| non_empty(&t.end_to_end).filter(|e| e != "NOTPROVIDED"))
        })
    });
    Ok(vec![BankEntry {
        date,
        amount: total,
        payee: tx.map(|t| party(t, total)).unwrap_or_default(),
        memo: memo(tx),
        bank_id,
    }])
}

/// A `CLBD` balance; other balance types are `None`.
fn balance(b: Bal, options: &ReadOptions) -> Result<Option<EndingBalance>> {
    if b.code.as_deref().map(str::trim) != Some("CLBD") {
        return Ok(None);
    }
    let at = Line(b.line);
    let amount = b
        .amount
        .as_ref()
        .ok_or_else(|| file_error(at, "the closing balance has no Amt"))?;
    let s = match b.credit_debit.as_deref() {
        None => 1,
        cd => sign(cd, at)?,
    };
    let raw = b
        .date
        .ok_or_else(|| file_error(at, "the closing balance has no date"))?;
    let date = ymd_date(&raw)
        .ok_or_else(|| file_error(at, format!("date '{}' is not a date", shown(&raw))))?;
    Ok(Some(EndingBalance {
        amount: s * minor(amount, options, "the closing balance")?,
        date,
    }))
}

/// The statements as one file, when they are of one account.
fn combine(stmts: Vec<Stmt>, options: &ReadOptions) -> Result<StatementFile> {
    if stmts.is_empty() {
        return Err(Error::validation("file", "holds no statement (Stmt)"));
    }
    text::one_account(stmts.iter().filter_map(|s| s.account.as_ref()))?;
    let mut file = StatementFile {
        format: BankFormat::Camt053,
        account_hint: None,
        currency: None,
        ending_balance: None,
        entries: Vec::new(),
    };
    for s in stmts {
        if let Some((line, code)) = &s.currency {
            text::check_currency(Line(*line), code, options.currency)?;
            file.currency = Some(code.trim().to_ascii_uppercase());
        }
        for b in s.balances {
            if file.ending_balance.is_none_or(|e| e.date <= b.date) {
                file.ending_balance = Some(b);
            }
        }
        file.account_hint = file.account_hint.or(s.account);
        file.entries.extend(s.entries);
    }
    Ok(file)
}
