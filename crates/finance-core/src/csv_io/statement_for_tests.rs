//! Test hook (cargo feature `testing` only): a [`StatementFile`] written as
//! bytes that an import of a bank file reads back as that very statement, so
//! the pipeline's tests do not depend on the OFX, QIF and CAMT readers.
//!
//! The bytes start with [`MAGIC`] and are lines of tab-separated cells
//! (`currency`, `hint`, `ending <minor> <date>`, `entry <date> <minor> <payee>
//! <memo> <bank id or ->`); no production path ever reads them.

use chrono::NaiveDate;

use crate::bank::{BankEntry, BankFormat, EndingBalance, StatementFile};
use crate::error::{Error, Result};

/// The first line of a test statement.
pub const MAGIC: &str = "FINANCE-TEST-STATEMENT";

/// `file` as bytes (its text cells must not hold tabs or line breaks).
pub fn encode(file: &StatementFile) -> Vec<u8> {
    let mut out = format!("{MAGIC}\n");
    if let Some(c) = &file.currency {
        out.push_str(&format!("currency\t{c}\n"));
    }
    if let Some(h) = &file.account_hint {
        out.push_str(&format!("hint\t{h}\n"));
    }
    if let Some(e) = &file.ending_balance {
        out.push_str(&format!("ending\t{}\t{}\n", e.amount, e.date));
    }
    for e in &file.entries {
        out.push_str(&format!(
            "entry\t{}\t{}\t{}\t{}\t{}\n",
            e.date,
            e.amount,
            e.payee,
            e.memo,
            e.bank_id.as_deref().unwrap_or("-")
        ));
    }
    out.into_bytes()
}

/// The statement in `bytes` when they are a test statement.
pub(crate) fn decode(bytes: &[u8]) -> Option<Result<StatementFile>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let body = text.strip_prefix(MAGIC)?.strip_prefix('\n')?;
    let bad = || Error::validation("file", "is not a well-formed test statement");
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad());
    let amount = |s: &str| s.parse::<i64>().map_err(|_| bad());
    let mut file = StatementFile {
        format: BankFormat::Ofx,
        account_hint: None,
        currency: None,
        ending_balance: None,
        entries: Vec::new(),
    };
    let parsed = body.lines().try_for_each(|line| {
        let cells: Vec<&str> = line.split('\t').collect();
        match cells.as_slice() {
            ["currency", c] => file.currency = Some(c.to_string()),
            ["hint", h] => file.account_hint = Some(h.to_string()),
            ["ending", a, d] => {
                file.ending_balance = Some(EndingBalance {
                    amount: amount(a)?,
                    date: date(d)?,
                })
            }
            ["entry", d, a, payee, memo, id] => file.entries.push(BankEntry {
                date: date(d)?,
                amount: amount(a)?,
                payee: payee.to_string(),
                memo: memo.to_string(),
                bank_id: (*id != "-").then(|| id.to_string()),
            }),
            _ => return Err(bad()),
        }
        Ok(())
    });
    Some(parsed.map(|()| file))
}
