//! Property tests: generated entries, written in each format by the small
//! writers below (the way banks write them: SGML in Windows-1252, XML in
//! UTF-8, Quicken's and European QIF dates), read back equal — dates,
//! amounts, payees and memos with non-ASCII text and markup characters, ids.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use super::*;
use crate::money::{Currency, format_minor};

/// Characters of payees and memos: all representable in Windows-1252, with
/// the ones markup must escape.
const CHARS: &[char] = &[
    'a', 'Z', 'k', '0', '7', ' ', ' ', '.', ',', '-', '\'', '/', '&', '<', '>', '"', ';', '#', 'é',
    'ü', 'Ö', 'ß', 'ç', 'ñ', '€', '–', '’', 'Œ', 'µ', '½',
];

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(CHARS), 0..20)
        .prop_map(|cs| cs.into_iter().collect::<String>().trim().to_owned())
}

fn entry() -> impl Strategy<Value = BankEntry> {
    (
        0i64..30_000,
        -99_999_999i64..99_999_999,
        text(),
        text(),
        "[A-Za-z0-9]{1,20}",
    )
        .prop_map(|(days, amount, payee, memo, id)| BankEntry {
            date: NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Days::new(days as u64),
            amount,
            payee,
            memo,
            bank_id: Some(id),
        })
}

fn entries() -> impl Strategy<Value = Vec<BankEntry>> {
    proptest::collection::vec(entry(), 0..12).prop_map(|mut es| {
        // Ids are unique within a statement, as banks make them.
        for (i, e) in es.iter_mut().enumerate() {
            e.bank_id = e.bank_id.take().map(|id| format!("{id}{i}"));
        }
        es
    })
}

fn eur(qif_dates: Option<DayMonthOrder>) -> ReadOptions {
    ReadOptions {
        currency: Currency::EUR,
        qif_dates,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn cp1252(s: &str) -> Vec<u8> {
    const HIGH: &str = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8d}Ž\u{8f}\u{90}‘’“”•–—˜™š›œ\u{9d}žŸ";
    s.chars()
        .map(|c| match HIGH.chars().position(|h| h == c) {
            Some(i) => 0x80 + i as u8,
            None => u8::try_from(u32::from(c)).expect("a Windows-1252 character"),
        })
        .collect()
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// OFX 1.x SGML in Windows-1252 (no closing tags on leaves) or 2.x XML.
fn write_ofx(es: &[BankEntry], xml: bool, card: bool) -> Vec<u8> {
    let leaf = |tag: &str, v: &str| {
        if xml {
            format!("<{tag}>{}</{tag}>\n", escape(v))
        } else {
            format!("<{tag}>{}\n", escape(v))
        }
    };
    let mut s = if xml {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n"
            .to_owned()
    } else {
        "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nCHARSET:1252\r\n\r\n".to_owned()
    };
    let (set, rs, from) = if card {
        ("CREDITCARDMSGSRSV1><CCSTMTTRNRS", "CCSTMTRS", "CCACCTFROM")
    } else {
        ("BANKMSGSRSV1><STMTTRNRS", "STMTRS", "BANKACCTFROM")
    };
    s += &format!("<OFX><{set}><{rs}>\n");
    s += &leaf("CURDEF", "EUR");
    s += &format!(
        "<{from}>\n{}</{from}>\n<BANKTRANLIST>\n",
        leaf("ACCTID", "123-45")
    );
    for e in es {
        s += "<STMTTRN>\n";
        s += &leaf("TRNTYPE", if e.amount < 0 { "DEBIT" } else { "CREDIT" });
        s += &leaf("DTPOSTED", &format!("{}120000[-5:EST]", ymd(e.date)));
        s += &leaf("TRNAMT", &format_minor(e.amount, Currency::EUR));
        s += &leaf("FITID", e.bank_id.as_deref().unwrap_or(""));
        if !e.payee.is_empty() {
            s += &leaf("NAME", &e.payee);
        }
        if !e.memo.is_empty() {
            s += &leaf("MEMO", &e.memo);
        }
        s += "</STMTTRN>\n";
    }
    let total: i64 = es.iter().map(|e| e.amount).sum();
    s += "</BANKTRANLIST>\n<LEDGERBAL>\n";
    s += &leaf("BALAMT", &format_minor(total, Currency::EUR));
    s += &leaf("DTASOF", "20991231");
    let set_end = if card {
        "CCSTMTTRNRS></CREDITCARDMSGSRSV1"
    } else {
        "STMTTRNRS></BANKMSGSRSV1"
    };
    s += &format!("</LEDGERBAL>\n</{rs}></{set_end}></OFX>\n");
    if xml { s.into_bytes() } else { cp1252(&s) }
}

/// QIF with one of the date styles: Quicken's `M/D'YY`, `MM/DD/YYYY`,
/// European `D.M.YY`/`D.M.YYYY`, or ISO.
fn write_qif(es: &[BankEntry], style: u8) -> Vec<u8> {
    let mut s = String::from("!Type:Bank\n");
    for e in es {
        let (y, m, d) = (e.date.year(), e.date.month(), e.date.day());
        let two_digit = (1969..=2068).contains(&y);
        let date = match style {
            0 if y >= 2000 => format!("{m}/{d:>2}'{:>2}", y - 2000),
            1 => format!("{m:02}/{d:02}/{y}"),
            2 if two_digit => format!("{d}.{m}.{:02}", y % 100),
            2 => format!("{d}.{m}.{y}"),
            _ => format!("{y}-{m:02}-{d:02}"),
        };
        s += &format!("D{date}\nT{}\n", format_minor(e.amount, Currency::EUR));
        if !e.payee.is_empty() {
            s += &format!("P{}\n", e.payee);
        }
        if !e.memo.is_empty() {
            s += &format!("M{}\n", e.memo);
        }
        s += "^\n";
    }
    s.into_bytes()
}

/// CAMT.053 (.02 shape, or .08 with `Sts/Cd` and `Pty`), one `Ntry` each.
fn write_camt(es: &[BankEntry], v08: bool) -> Vec<u8> {
    let version = if v08 { "08" } else { "02" };
    let mut s = format!(
        "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}\"><BkToCstmrStmt><Stmt>\n\
         <Acct><Id><IBAN>DE00</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
    );
    let total: i64 = es.iter().map(|e| e.amount).sum();
    s += &format!(
        "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>{}</CdtDbtInd><Dt><Dt>2099-12-31</Dt></Dt></Bal>\n",
        format_minor(total.abs(), Currency::EUR),
        if total < 0 { "DBIT" } else { "CRDT" }
    );
    for e in es {
        let out = e.amount < 0;
        s += &format!(
            "<Ntry><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>{}</CdtDbtInd>{}<BookgDt><Dt>{}</Dt></BookgDt><AcctSvcrRef>{}</AcctSvcrRef><NtryDtls><TxDtls>",
            format_minor(e.amount.abs(), Currency::EUR),
            if out { "DBIT" } else { "CRDT" },
            if v08 {
                "<Sts><Cd>BOOK</Cd></Sts>"
            } else {
                "<Sts>BOOK</Sts>"
            },
            e.date.format("%Y-%m-%d"),
            e.bank_id.as_deref().unwrap_or("")
        );
        if !e.payee.is_empty() {
            let role = if out { "Cdtr" } else { "Dbtr" };
            let name = escape(&e.payee);
            s += &if v08 {
                format!("<RltdPties><{role}><Pty><Nm>{name}</Nm></Pty></{role}></RltdPties>")
            } else {
                format!("<RltdPties><{role}><Nm>{name}</Nm></{role}></RltdPties>")
            };
        }
        if !e.memo.is_empty() {
            s += &format!("<RmtInf><Ustrd>{}</Ustrd></RmtInf>", escape(&e.memo));
        }
        s += "</TxDtls></NtryDtls></Ntry>\n";
    }
    s += "</Stmt></BkToCstmrStmt></Document>\n";
    s.into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn ofx_round_trips(es in entries(), xml in any::<bool>(), card in any::<bool>()) {
        let file = read(&write_ofx(&es, xml, card), &eur(None)).unwrap();
        prop_assert_eq!(file.format, BankFormat::Ofx);
        prop_assert_eq!(file.account_hint.as_deref(), Some("123-45"));
        let total: i64 = es.iter().map(|e| e.amount).sum();
        prop_assert_eq!(file.ending_balance.map(|b| b.amount), Some(total));
        prop_assert_eq!(file.entries, es);
    }

    #[test]
    fn qif_round_trips(es in entries(), style in 0u8..4) {
        let order = if style == 2 { DayMonthOrder::DayFirst } else { DayMonthOrder::MonthFirst };
        let file = read(&write_qif(&es, style), &eur(Some(order))).unwrap();
        let expected: Vec<BankEntry> = es
            .into_iter()
            .map(|e| BankEntry { bank_id: None, ..e })
            .collect();
        prop_assert_eq!(file.entries, expected, "QIF has no ids");
    }

    #[test]
    fn camt_round_trips(es in entries(), v08 in any::<bool>()) {
        let file = read(&write_camt(&es, v08), &eur(None)).unwrap();
        prop_assert_eq!(file.format, BankFormat::Camt053);
        let total: i64 = es.iter().map(|e| e.amount).sum();
        prop_assert_eq!(file.ending_balance.map(|b| b.amount), Some(total));
        prop_assert_eq!(file.entries, es);
    }

    #[test]
    fn no_bytes_make_a_reader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), which in 0u8..3) {
        let prefix: &[u8] = match which {
            0 => b"OFXHEADER:100\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST><STMTTRN>",
            1 => b"!Type:Bank\n",
            _ => b"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt><Ntry>",
        };
        let mut input = prefix.to_vec();
        input.extend_from_slice(&bytes);
        let _ = read(&input, &eur(None));
    }
}
