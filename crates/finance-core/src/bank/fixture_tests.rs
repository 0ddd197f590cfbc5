//! The readers on the hand-written files of `tests/fixtures/banks/` (their
//! README gives each file's expected totals) and on the awkward cases.

use chrono::NaiveDate;

use super::*;
use crate::Error;
use crate::money::Currency;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/banks/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn eur() -> ReadOptions {
    ReadOptions {
        currency: Currency::EUR,
        qif_dates: None,
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn entry(date: NaiveDate, amount: i64, payee: &str, memo: &str, id: Option<&str>) -> BankEntry {
    BankEntry {
        date,
        amount,
        payee: payee.into(),
        memo: memo.into(),
        bank_id: id.map(Into::into),
    }
}

fn file_error_of(result: crate::Result<StatementFile>) -> String {
    match result {
        Err(Error::Validation { field, message }) => {
            assert_eq!(field, "file", "{message}");
            message
        }
        other => panic!("expected a file error, got {other:?}"),
    }
}

#[test]
fn sgml_ofx_in_windows_1252_without_closing_tags() {
    let file = read(&fixture("checking-sgml-1252.ofx"), &eur()).unwrap();
    assert_eq!(file.format, BankFormat::Ofx);
    assert_eq!(file.account_hint.as_deref(), Some("DE89370400440532013000"));
    assert_eq!(
        file.currency.as_deref(),
        Some("EUR"),
        "CURDEF is the file's currency"
    );
    assert_eq!(
        file.ending_balance,
        Some(EndingBalance {
            amount: 323_230,
            date: day(2024, 1, 31)
        }),
        "LEDGERBAL, not AVAILBAL"
    );
    assert_eq!(
        file.entries,
        vec![
            entry(
                day(2024, 1, 5),
                -1280,
                "Café Müller",
                "Frühstück & Kaffee",
                Some("2024010500001")
            ),
            entry(
                day(2024, 1, 10),
                250_000,
                "Arbeitgeber GmbH",
                "Gehalt Januar",
                Some("2024011000002")
            ),
            entry(
                day(2024, 1, 15),
                -75_000,
                "Hausverwaltung Schäfer",
                "Miete Januar",
                Some("2024011500003")
            ),
            entry(
                day(2024, 1, 31),
                -490,
                "Kontoführung",
                "",
                Some("2024013100004")
            ),
        ],
        "1252 bytes decoded, DTPOSTED before DTUSER, the transfer's BANKACCTTO not the hint, a decimal comma read"
    );
    let total: i64 = file.entries.iter().map(|e| e.amount).sum();
    assert_eq!(total, 173_230, "the README's total");
}

#[test]
fn ofx_2_xml_credit_card() {
    let file = read(&fixture("card-2x.qfx"), &eur()).unwrap();
    assert_eq!(file.account_hint.as_deref(), Some("4111XXXXXXXX1111"));
    assert_eq!(
        file.ending_balance,
        Some(EndingBalance {
            amount: -26_050,
            date: day(2024, 1, 31)
        })
    );
    assert_eq!(
        file.entries,
        vec![
            entry(
                day(2024, 1, 3),
                -4599,
                "Bücherstube & Café",
                "Online-Kauf",
                Some("CC-2024-0001")
            ),
            entry(
                day(2024, 1, 12),
                -123_450,
                "Reisebüro Sonne",
                "",
                Some("CC-2024-0002")
            ),
            entry(
                day(2024, 1, 20),
                1999,
                "Bücherstube & Café",
                "Erstattung",
                Some("CC-2024-0003")
            ),
            entry(
                day(2024, 1, 28),
                100_000,
                "Zahlung – danke",
                "",
                Some("CC-2024-0004")
            ),
        ],
        "the day as the bank wrote it (no zone shift), PAYEE/NAME, &amp; decoded"
    );
    assert_eq!(
        file.entries.iter().map(|e| e.amount).sum::<i64>(),
        -26_050,
        "opening at zero, the entries add up to the ledger balance"
    );
}

#[test]
fn ofx_refusals_name_the_problem() {
    let usd = fixture("card-2x.qfx");
    let usd = String::from_utf8(usd)
        .unwrap()
        .replace("<CURDEF>EUR", "<CURDEF>USD");
    let msg = file_error_of(read(usd.as_bytes(), &eur()));
    assert!(msg.contains("USD") && msg.contains("EUR"), "{msg}");

    let cents = String::from_utf8(fixture("card-2x.qfx"))
        .unwrap()
        .replace("-45.99", "-45.999");
    let msg = file_error_of(read(cents.as_bytes(), &eur()));
    assert!(msg.contains("line 27") && msg.contains("-45.999"), "{msg}");

    let text = String::from_utf8(fixture("card-2x.qfx")).unwrap();
    let cut = &text[..text.find("<STMTTRN>").unwrap() + 200];
    let msg = file_error_of(read(cut.as_bytes(), &eur()));
    assert!(msg.contains("cut short"), "{msg}");

    let two = text.replace(
        "</CCSTMTRS>",
        "</CCSTMTRS><CCSTMTRS><CURDEF>EUR</CURDEF><CCACCTFROM><ACCTID>5500</ACCTID></CCACCTFROM></CCSTMTRS>",
    );
    let msg = file_error_of(read(two.as_bytes(), &eur()));
    assert!(msg.contains("2 accounts") && msg.contains("5500"), "{msg}");

    let msg = file_error_of(read(
        b"OFXHEADER:100\n<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>",
        &eur(),
    ));
    assert!(msg.contains("no bank or credit-card statement"), "{msg}");
}

#[test]
fn qif_with_quicken_dates_and_utf8_payees() {
    let file = read(&fixture("bank.qif"), &eur()).unwrap();
    assert_eq!(file.format, BankFormat::Qif);
    assert_eq!(file.account_hint, None);
    assert_eq!(file.currency, None, "QIF states no currency");
    assert_eq!(file.ending_balance, None);
    assert_eq!(
        file.entries,
        vec![
            entry(day(2024, 1, 5), -1280, "Café Müller", "Frühstück", None),
            entry(
                day(2024, 1, 10),
                250_000,
                "Arbeitgeber GmbH",
                "Gehalt Januar",
                None
            ),
            entry(
                day(2024, 1, 15),
                -75_000,
                "Hausverwaltung Schäfer",
                "",
                None
            ),
            entry(day(2024, 1, 20), -10_000, "Supermarkt Grün", "", None),
            entry(day(2024, 1, 31), -490, "Kontoführung", "", None),
        ],
        "1/31 reads only month-first, so every date does; T wins over U; splits keep the total"
    );
    assert_eq!(file.entries.iter().map(|e| e.amount).sum::<i64>(), 163_230);
}

#[test]
fn qif_dates_that_read_both_ways_ask_or_follow_the_choice() {
    let bytes = fixture("ambiguous-dates.qif");
    match read(&bytes, &eur()) {
        Err(Error::Validation { field, .. }) => {
            assert_eq!(field, "date_order", "the wizard asks on this field")
        }
        other => panic!("expected date_order, got {other:?}"),
    }
    let with = |order| {
        read(
            &bytes,
            &ReadOptions {
                qif_dates: Some(order),
                ..eur()
            },
        )
        .unwrap()
        .entries
        .iter()
        .map(|e| e.date)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        with(DayMonthOrder::MonthFirst),
        [day(2024, 1, 2), day(2024, 3, 4), day(2024, 5, 6)]
    );
    assert_eq!(
        with(DayMonthOrder::DayFirst),
        [day(2024, 2, 1), day(2024, 4, 3), day(2024, 6, 5)]
    );
    // One date that reads only day-first settles the whole file, choice or not.
    let settled = String::from_utf8(bytes).unwrap() + "D25/06/2024\nT-1.00\n^\n";
    let file = read(
        settled.as_bytes(),
        &ReadOptions {
            qif_dates: Some(DayMonthOrder::MonthFirst),
            ..eur()
        },
    )
    .unwrap();
    assert_eq!(file.entries[0].date, day(2024, 2, 1));
    assert_eq!(file.entries[3].date, day(2024, 6, 25));
    let clash = "!Type:Bank\nD13/01/2024\nT1\n^\nD01/13/2024\nT1\n^\n";
    let msg = file_error_of(read(clash.as_bytes(), &eur()));
    assert!(msg.contains("line 2") && msg.contains("line 5"), "{msg}");
}

#[test]
fn qif_sections_accounts_and_refusals() {
    let quicken = "!Option:AutoSwitch\n!Account\nNGirokonto\nTBank\n^\n!Clear:AutoSwitch\n\
        !Account\nNGirokonto\nTBank\n^\n!Type:Bank\nD12/31' 4\nT-1,234.56\nPÖl & Gas\n^\n\
        !Type:Cat\nNEssen\nE\n^\n!Type:Invst\nD1/1'24\nNBuy\nYACME\nT100.00\n^\n";
    let file = read(quicken.as_bytes(), &eur()).unwrap();
    assert_eq!(file.account_hint.as_deref(), Some("Girokonto"));
    assert_eq!(
        file.entries,
        vec![entry(day(2004, 12, 31), -123_456, "Öl & Gas", "", None)],
        "the category list and the investment section are skipped"
    );

    let comma = "!Type:Cash\r\nD5.1.24\r\nT-1.234,56\r\nM12,50 Trinkgeld\r\n^\r\nD31.1.24\r\nT12,50\r\n^\r\n";
    let file = read(comma.as_bytes(), &eur()).unwrap();
    assert_eq!(
        file.entries
            .iter()
            .map(|e| (e.date, e.amount))
            .collect::<Vec<_>>(),
        [(day(2024, 1, 5), -123_456), (day(2024, 1, 31), 1250)],
        "decimal commas and day-first dots, CRLF lines"
    );

    let two = "!Account\nNA\n^\n!Type:Bank\nD1/1/24\nT1\n^\n!Account\nNB\n^\n!Type:CCard\nD1/2/24\nT-1\n^\n";
    let msg = file_error_of(read(two.as_bytes(), &eur()));
    assert!(msg.contains("2 accounts (A, B)"), "{msg}");

    let only = "!Type:Invst\nD1/1'24\nT1\n^\n";
    assert!(file_error_of(read(only.as_bytes(), &eur())).contains("Type:Invst"));
    let msg = file_error_of(read(b"!Type:Bank\nT-1.00\n^\n", &eur()));
    assert!(msg.contains("line 2") && msg.contains("no date"), "{msg}");
    let msg = file_error_of(read(b"!Type:Bank\nD1/1/24\nT-1.001\n^\n", &eur()));
    assert!(msg.contains("line 3") && msg.contains("-1.001"), "{msg}");
    let msg = file_error_of(read(b"!Type:Bank\nD1/1/24\n^\n", &eur()));
    assert!(msg.contains("no amount"), "{msg}");
    let msg = file_error_of(read(b"!Type:Bank\nD1/32/24\nT1\n^\n", &eur()));
    assert!(msg.contains("1/32/24"), "{msg}");
    let file = read(b"!Type:Bank\nD2024-01-05\nT0.00\nPOpening", &eur()).unwrap();
    assert_eq!(
        file.entries,
        vec![entry(day(2024, 1, 5), 0, "Opening", "", None)],
        "a last record without '^', a zero amount kept for the import to judge"
    );
}

#[test]
fn camt_053_with_a_batch_a_reversal_and_a_pending_entry() {
    let file = read(&fixture("statement.camt053.xml"), &eur()).unwrap();
    assert_eq!(file.format, BankFormat::Camt053);
    assert_eq!(file.account_hint.as_deref(), Some("DE89370400440532013000"));
    assert_eq!(file.currency.as_deref(), Some("EUR"));
    assert_eq!(
        file.ending_balance,
        Some(EndingBalance {
            amount: 318_479,
            date: day(2024, 1, 31)
        }),
        "CLBD, not OPBD"
    );
    assert_eq!(
        file.entries,
        vec![
            entry(
                day(2024, 1, 5),
                -4520,
                "Bäckerei Schäfer",
                "Kartenzahlung 04.01. 18:12",
                Some("2024010512345")
            ),
            entry(
                day(2024, 1, 8),
                -10_000,
                "Stadtwerke München",
                "Abschlag Strom Januar 2024",
                Some("2024010800007/E2E-STW-202401")
            ),
            entry(
                day(2024, 1, 8),
                -15_000,
                "Versicherung AG",
                "Beitrag Hausrat",
                Some("2024010800007/E2E-VERS-0815")
            ),
            entry(
                day(2024, 1, 8),
                -5000,
                "Sportverein Grün-Weiß e.V.",
                "Mitgliedsbeitrag 2024",
                Some("2024010800007/E2E-SV-2024")
            ),
            entry(
                day(2024, 1, 15),
                2999,
                "Mobilfunk GmbH",
                "Rücklastschrift Rechnung 4711",
                Some("2024011500009")
            ),
            entry(
                day(2024, 1, 31),
                250_000,
                "Arbeitgeber GmbH",
                "Gehalt Januar 2024",
                Some("2024013100011")
            ),
        ],
        "the batch split per TxDtls; the returned debit is money in, from the original creditor; PDNG skipped"
    );
    assert_eq!(
        100_000 + file.entries.iter().map(|e| e.amount).sum::<i64>(),
        318_479,
        "opening balance + booked entries = closing balance"
    );
}

/// A camt.053.001.08 statement: `<Sts><Cd>`, `Cdtr/Pty/Nm`, `Othr/Id`, a
/// prefixed namespace, a DBIT closing balance and `DtTm` dates.
const CAMT_08: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><c:BkToCstmrStmt><c:Stmt>
<c:Acct><c:Id><c:Othr><c:Id>0532013000</c:Id></c:Othr></c:Id><c:Ccy>EUR</c:Ccy></c:Acct>
<c:Bal><c:Tp><c:CdOrPrtry><c:Cd>CLBD</c:Cd></c:CdOrPrtry></c:Tp><c:Amt Ccy="EUR">12.30</c:Amt>
<c:CdtDbtInd>DBIT</c:CdtDbtInd><c:Dt><c:DtTm>2024-03-01T23:59:59</c:DtTm></c:Dt></c:Bal>
<c:Ntry><c:Amt Ccy="EUR">7.50</c:Amt><c:CdtDbtInd>DBIT</c:CdtDbtInd><c:Sts><c:Cd>BOOK</c:Cd></c:Sts>
<c:ValDt><c:Dt>2024-03-01</c:Dt></c:ValDt><c:NtryDtls><c:TxDtls><c:Refs><c:EndToEndId>E1</c:EndToEndId></c:Refs>
<c:RltdPties><c:Cdtr><c:Pty><c:Nm>Kiosk &amp; Co &#8211; Süd</c:Nm></c:Pty></c:Cdtr></c:RltdPties></c:TxDtls></c:NtryDtls></c:Ntry>
<c:Ntry><c:Amt Ccy="EUR">1.00</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Sts><c:Cd>INFO</c:Cd></c:Sts>
<c:BookgDt><c:Dt>2024-03-01</c:Dt></c:BookgDt></c:Ntry>
</c:Stmt></c:BkToCstmrStmt></c:Document>"#;

#[test]
fn camt_053_version_08_shapes() {
    let file = read(CAMT_08.as_bytes(), &eur()).unwrap();
    assert_eq!(file.account_hint.as_deref(), Some("0532013000"));
    assert_eq!(
        file.ending_balance,
        Some(EndingBalance {
            amount: -1230,
            date: day(2024, 3, 1)
        })
    );
    assert_eq!(
        file.entries,
        vec![entry(
            day(2024, 3, 1),
            -750,
            "Kiosk & Co – Süd",
            "",
            Some("E1")
        )],
        "ValDt when no BookgDt; the end-to-end id when no AcctSvcrRef; INFO skipped"
    );
}

#[test]
fn camt_refusals_name_the_problem() {
    let text = String::from_utf8(fixture("statement.camt053.xml")).unwrap();
    let usd = text.replacen("<Amt Ccy=\"EUR\">150.00", "<Amt Ccy=\"USD\">150.00", 1);
    let msg = file_error_of(read(usd.as_bytes(), &eur()));
    assert!(msg.contains("USD") && msg.contains("line 154"), "{msg}");

    let xxe = CAMT_08.replacen(
        "<c:Document",
        "<!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<c:Document",
        1,
    );
    let msg = file_error_of(read(xxe.as_bytes(), &eur()));
    assert!(msg.contains("DTD"), "{msg}");
    let undeclared = CAMT_08.replacen("Kiosk", "&x;", 1);
    let msg = file_error_of(read(undeclared.as_bytes(), &eur()));
    assert!(msg.contains("&x;"), "an entity is never expanded: {msg}");

    let cut = &text[..text.len() / 2];
    assert!(file_error_of(read(cut.as_bytes(), &eur())).contains("cut short"));
    let broken = text.replacen("</Ntry>", "</Ntri>", 1);
    assert!(file_error_of(read(broken.as_bytes(), &eur())).contains("not well-formed"));
    let no_sign = text.replacen(
        "<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>BOOK",
        "<Sts>BOOK",
        1,
    );
    assert!(file_error_of(read(no_sign.as_bytes(), &eur())).contains("CdtDbtInd"));
}

#[test]
fn unknown_bytes_are_no_bank_file() {
    let msg = file_error_of(read(b"date,amount\n2024-01-01,1\n", &eur()));
    assert!(msg.contains("OFX"), "{msg}");
}

#[test]
fn hostile_shapes_are_refused_briefly() {
    let deep = format!("<OFX>{}", "<A>".repeat(10_000));
    let msg = file_error_of(read(deep.as_bytes(), &eur()));
    assert!(msg.contains("deeper than 64"), "{msg}");
    let deep = format!(
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">{}",
        "<A>".repeat(10_000)
    );
    let msg = file_error_of(read(deep.as_bytes(), &eur()));
    assert!(msg.contains("deeper than 64"), "{msg}");

    let mut many = String::from("OFXHEADER:100\n<OFX>");
    for i in 0..1000 {
        many += &format!("<STMTRS><BANKACCTFROM><ACCTID>{i}</BANKACCTFROM></STMTRS>");
    }
    many += "</OFX>";
    let msg = file_error_of(read(many.as_bytes(), &eur()));
    assert!(
        msg.contains("1000 accounts") && msg.contains("and 995 more") && msg.len() < 200,
        "{msg}"
    );
    let long_date = format!("!Type:Bank\nD{}\nT1\n^\n", "1".repeat(100_000));
    let msg = file_error_of(read(long_date.as_bytes(), &eur()));
    assert!(msg.len() < 200, "a value is shown cut: {msg}");
}

/// A camt entry holding `txs` (amount, end-to-end id) under `AcctSvcrRef` R1.
fn camt_batch(total: &str, txs: &[(&str, &str)]) -> String {
    let mut s = String::from(
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.04\"><BkToCstmrStmt><Stmt>\
         <Ntry><Amt Ccy=\"EUR\">",
    );
    s += total;
    s += "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-05-02</Dt></BookgDt>\
          <AcctSvcrRef>R1</AcctSvcrRef><AddtlNtryInf>SAMMLER</AddtlNtryInf><NtryDtls>";
    for (amount, e2e) in txs {
        s += &format!(
            "<TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs><Amt Ccy=\"EUR\">{amount}</Amt>\
             <RltdPties><Dbtr><Nm>Payer {e2e}</Nm></Dbtr></RltdPties></TxDtls>"
        );
    }
    s + "</NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>"
}

#[test]
fn camt_batches_without_ids_or_with_a_wrong_sum() {
    let ids = |xml: String| {
        read(xml.as_bytes(), &eur())
            .unwrap()
            .entries
            .into_iter()
            .map(|e| (e.amount, e.bank_id.unwrap_or_default(), e.payee))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(camt_batch(
            "3.00",
            &[("1.00", "NOTPROVIDED"), ("2.00", "X")]
        )),
        [
            (100, "R1/#1".to_owned(), "Payer NOTPROVIDED".to_owned()),
            (200, "R1/#2".to_owned(), "Payer X".to_owned())
        ],
        "positions when an end-to-end id is missing: every id stays unique"
    );
    assert_eq!(
        ids(camt_batch("3.00", &[("1.00", "A"), ("2.00", "A")])),
        [
            (100, "R1/#1".to_owned(), "Payer A".to_owned()),
            (200, "R1/#2".to_owned(), "Payer A".to_owned())
        ],
        "positions when the end-to-end ids repeat"
    );
    assert_eq!(
        ids(camt_batch("4.00", &[("1.00", "A"), ("2.00", "B")])),
        [(400, "R1".to_owned(), String::new())],
        "parts that do not add up: the booked entry, whole"
    );
}
