//! Property-based input checks: for every input type, any string either parses
//! (and round-trips) or is a `Validation` error naming the field; nothing panics.
//! 100,000 generated cases per property (override with PROPTEST_CASES): amounts,
//! currencies, dates, names and texts, usernames and emails, passwords, filters
//! and pagination, ids, idempotency keys, and CSV rows (parsed and checked
//! through the import path, then round-tripped through the export format).

use finance_core::domain::date::parse_date;
use finance_core::domain::user::{Email, Password, PersonName, Username};
use finance_core::domain::{
    CategoryName, Cursor, Description, IdempotencyKey, Note, TransactionFilter, TransactionQuery,
    TransactionSort,
};
use finance_core::money::format_minor;
use finance_core::{Amount, Currency, Error, Id};
use proptest::prelude::*;

fn cases() -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Either Ok, or a validation error on exactly `field`.
fn ok_or_field<T>(r: Result<T, Error>, field: &str) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(Error::Validation { field: f, message }) => {
            assert_eq!(f, field, "wrong field");
            assert!(!message.is_empty());
            None
        }
        Err(other) => panic!("unexpected error {other:?}"),
    }
}

/// Strings that look like what people type, plus arbitrary unicode.
fn texty() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,40}",
        "[0-9., +eE-]{0,24}",
        "[a-zA-Z0-9._@-]{0,40}",
    ]
}

fn currencies() -> impl Strategy<Value = Currency> {
    let all: Vec<Currency> = Currency::all().collect();
    proptest::sample::select(all)
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn amounts_parse_or_name_the_field(s in texty(), c in currencies()) {
        if let Some(a) = ok_or_field(Amount::parse("amount", &s, c), "amount") {
            prop_assert!(a.minor() > 0);
            prop_assert_eq!(Amount::parse("amount", &a.format(c), c).unwrap(), a);
        }
    }

    #[test]
    fn valid_amounts_round_trip(minor in 1i64..=finance_core::money::MAX_AMOUNT_MINOR, c in currencies()) {
        let a = Amount::from_minor("amount", minor).unwrap();
        let text = a.format(c);
        prop_assert_eq!(Amount::parse("amount", &text, c).unwrap(), a);
        prop_assert_eq!(format_minor(-minor, c), format!("-{text}"));
    }

    #[test]
    fn currencies_parse_or_name_the_field(s in "[A-Za-z]{0,4}|\\PC{0,5}") {
        if let Some(c) = ok_or_field(Currency::parse("currency", &s), "currency") {
            prop_assert_eq!(Currency::parse("currency", c.code()).unwrap(), c);
        }
    }

    #[test]
    fn dates_parse_or_name_the_field(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}|\\PC{0,12}") {
        if let Some(d) = ok_or_field(parse_date("date", &s), "date") {
            prop_assert_eq!(parse_date("date", &d.to_string()).unwrap(), d);
        }
    }

    #[test]
    fn names_and_texts_parse_or_name_the_field(s in texty()) {
        if let Some(n) = ok_or_field(PersonName::parse("firstName", &s), "firstName") {
            prop_assert_eq!(PersonName::parse("firstName", n.as_str()).unwrap(), n);
        }
        if let Some(n) = ok_or_field(CategoryName::parse("name", &s), "name") {
            prop_assert_eq!(CategoryName::parse("name", n.as_str()).unwrap(), n);
        }
        if let Some(d) = ok_or_field(Description::parse("description", &s), "description") {
            prop_assert_eq!(Description::parse("description", d.as_str()).unwrap(), d);
        }
        if let Some(Some(n)) = ok_or_field(Note::parse_optional("note", Some(&s)), "note") {
            prop_assert_eq!(Note::parse_optional("note", Some(n.as_str())).unwrap(), Some(n));
        }
    }

    #[test]
    fn usernames_and_emails_parse_or_name_the_field(s in texty()) {
        if let Some(u) = ok_or_field(Username::parse(&s), "username") {
            prop_assert_eq!(Username::parse(u.as_str()).unwrap(), u);
        }
        if let Some(e) = ok_or_field(Email::parse(&s), "email") {
            prop_assert_eq!(Email::parse(e.as_str()).unwrap(), e);
        }
    }

    #[test]
    fn passwords_are_accepted_or_refused_with_the_field(s in texty(), user in "[a-z]{3,10}") {
        if let Some(p) = ok_or_field(Password::parse_new("password", &s, &user), "password") {
            prop_assert!((8..=128).contains(&p.expose().chars().count()));
        }
    }

    #[test]
    fn filters_and_pages_parse_or_name_a_field(
        from in proptest::option::of(texty()),
        to in proptest::option::of(texty()),
        kind in proptest::option::of(texty()),
        text in proptest::option::of(texty()),
        min in proptest::option::of(texty()),
        max in proptest::option::of(texty()),
        account in proptest::option::of(texty()),
        sort in texty(),
        limit in proptest::option::of(any::<u32>()),
        cursor in proptest::option::of(texty()),
    ) {
        let parsed = TransactionFilter::parse(
            from.as_deref(), to.as_deref(), &[], kind.as_deref(), text.as_deref(), min.as_deref(), max.as_deref(), account.as_deref(), Currency::EUR,
        );
        let fields = ["from", "to", "type", "text", "minAmount", "maxAmount", "categoryIds", "accountId"];
        let filter = match parsed {
            Ok(f) => f,
            Err(Error::Validation { field, .. }) => { prop_assert!(fields.contains(&field.as_str()), "{}", field); return Ok(()); }
            Err(e) => panic!("unexpected {e:?}"),
        };
        let sort = match TransactionSort::parse("sort", &sort) {
            Ok(s) => s,
            Err(Error::Validation { field, .. }) => { prop_assert_eq!(field, "sort"); return Ok(()); }
            Err(e) => panic!("unexpected {e:?}"),
        };
        match TransactionQuery::new(filter, sort, limit, cursor.as_deref()) {
            Ok(q) => if let Some(c) = q.after { prop_assert_eq!(Cursor::decode(&c.encode(), sort).unwrap(), c); },
            Err(Error::Validation { field, .. }) => prop_assert!(field == "limit" || field == "cursor", "{}", field),
            Err(e) => panic!("unexpected {e:?}"),
        }
    }

    #[test]
    fn idempotency_keys_parse_or_name_the_field(s in "[A-Za-z0-9_-]{10,70}|[ -~]{0,70}|\\PC{0,70}") {
        if let Some(k) = ok_or_field(IdempotencyKey::parse("idempotencyKey", &s), "idempotencyKey") {
            prop_assert!((16..=64).contains(&k.as_str().len()));
            prop_assert_eq!(IdempotencyKey::parse("idempotencyKey", k.as_str()).unwrap(), k);
        }
    }

    #[test]
    fn ids_parse_or_name_the_field(s in "[0-9a-fA-F]{24}|\\PC{0,30}") {
        if let Some(id) = ok_or_field(Id::parse("id", &s), "id") {
            prop_assert_eq!(Id::from_hex(&id.to_hex()), Some(id));
        }
    }
}

// ------------------------------------------------------------ CSV rows

mod csv_rows {
    use chrono::{TimeZone, Utc};
    use finance_core::csv_io::{
        AmountColumns, DateFormat, DecimalSeparator, ExportRow, ExportWriter, ImportPlan,
        ImportSettings, MAX_LINE_ERRORS, SAMPLE_ROWS, plan_rows,
    };
    use finance_core::domain::{Account, AccountType, Category, CategoryKind};
    use finance_core::{Error, Id};
    use proptest::prelude::*;

    use super::{cases, currencies};

    /// The user's categories the rows are resolved against.
    fn categories(user: Id) -> Vec<Category> {
        let at = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        [
            ("Groceries", CategoryKind::Expense),
            ("Rent", CategoryKind::Expense),
            ("Other", CategoryKind::Expense),
            ("Salary", CategoryKind::Income),
            ("Other income", CategoryKind::Income),
        ]
        .into_iter()
        .map(|(name, kind)| Category {
            id: Id::generate(),
            user_id: user,
            name: name.into(),
            kind,
            created_at: at,
        })
        .collect()
    }

    /// The user's accounts the rows are resolved against ("Main account" is the default).
    fn accounts(user: Id) -> Vec<Account> {
        let at = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        ["Main account", "Visa card", "=Formula account"]
            .into_iter()
            .enumerate()
            .map(|(i, name)| Account {
                id: Id::generate(),
                user_id: user,
                name: name.into(),
                kind: AccountType::Checking,
                currency: finance_core::Currency::EUR,
                opening_balance: 0,
                opening_date: at.date_naive(),
                note: None,
                archived: false,
                position: i as i32,
                last_reconciled: None,
                created_at: at,
            })
            .collect()
    }

    /// Cells people and banks write, and hostile ones: quotes, delimiters,
    /// line breaks, control characters, unicode, formula prefixes, huge fields.
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            40 => "[ -~]{0,20}",
            20 => any::<String>(),
            10 => "[\"',;\t\r\n|]{0,6}[a-z]{0,4}[\"',;\t\r\n|]{0,6}",
            10 => "[=+@-][A-Z]{1,3}[0-9]{1,3}",
            // Formula starts (OWASP's =, +, -, @, tab, CR), behind any number of apostrophes.
            10 => "'{0,3}[=+@\t\r-][ -~]{0,8}",
            3 => "'{1,3}[ -~]{0,6}",
            10 => "\\PC{0,12}",
            // Huge fields (up to 210,000 characters), rarely: they dominate the run time.
            1 => (0usize..3, "[a-zé\"]{1,3}").prop_map(|(k, s)| s.repeat([300, 5_000, 70_000][k])),
        ]
    }

    fn date_cell() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => (1900i32..2200, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            2 => (1i32..10000, 0u32..=13, 0u32..=32, 0usize..6).prop_map(|(y, m, d, f)| match f {
                0 => format!("{d:02}/{m:02}/{y:04}"),
                1 => format!("{m:02}/{d:02}/{y:04}"),
                2 => format!("{d:02}.{m:02}.{y:04}"),
                3 => format!("{d:02}-{m:02}-{y:04}"),
                4 => format!("{y:04}/{m:02}/{d:02}"),
                _ => format!(" {y}-{m}-{d} "),
            }),
            1 => cell(),
        ]
    }

    fn amount_cell() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => (any::<bool>(), 0u64..100_000_000, 0u32..100).prop_map(|(neg, u, c)| format!("{}{u}.{c:02}", if neg { "-" } else { "" })),
            2 => "[-+(]?[€$£ ]?[0-9]{1,3}([ ,.'][0-9]{3}){0,4}([.,][0-9]{0,4})?[)]?( ?[A-Z]{3})?",
            1 => "-?[0-9]{15,25}(\\.[0-9]{1,3})?",
            1 => "[0-9.,eE+-]{0,12}",
            1 => Just(String::new()),
            1 => cell(),
        ]
    }

    fn category_cell() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::sample::select(vec!["Groceries", "rent", " SALARY ", "Other", "", "Pets", "Bonus"]).prop_map(str::to_string),
            1 => cell(),
        ]
    }

    fn kind_cell() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::sample::select(vec!["income", "expense", "Credit", " DEBIT ", ""]).prop_map(str::to_string),
            1 => cell(),
        ]
    }

    fn account_cell() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::sample::select(vec!["Main account", " visa  CARD ", "=Formula account", "", "Brokerage"]).prop_map(str::to_string),
            1 => cell(),
        ]
    }

    /// One record: date, amount, debit, credit, description, category, type, note, account.
    fn record() -> impl Strategy<Value = Vec<String>> {
        (
            date_cell(),
            amount_cell(),
            prop_oneof![Just(String::new()), amount_cell()],
            prop_oneof![Just(String::new()), amount_cell()],
            cell(),
            category_cell(),
            kind_cell(),
            prop_oneof![Just(String::new()), cell()],
            account_cell(),
        )
            .prop_map(|(a, b, c, d, e, f, g, h, i)| vec![a, b, c, d, e, f, g, h, i])
    }

    fn settings() -> impl Strategy<Value = ImportSettings> {
        (
            proptest::sample::select(vec![b',', b';', b'\t', b'|']),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            proptest::sample::select(DateFormat::ALL.to_vec()),
            prop_oneof![Just(DecimalSeparator::Dot), Just(DecimalSeparator::Comma)],
            any::<bool>(),
        )
            .prop_map(
                |(
                    delimiter,
                    has_header,
                    debit_credit,
                    with_kind,
                    with_note,
                    date_format,
                    decimal,
                    with_account,
                )| {
                    ImportSettings {
                        delimiter,
                        has_header,
                        date: 0,
                        amount: if debit_credit {
                            AmountColumns::DebitCredit {
                                debit: 2,
                                credit: 3,
                            }
                        } else {
                            AmountColumns::Single(1)
                        },
                        description: 4,
                        category: Some(5),
                        kind: with_kind.then_some(6),
                        note: with_note.then_some(7),
                        date_format,
                        decimal,
                        account: with_account.then_some(8),
                        transfer: None,
                    }
                },
            )
    }

    /// The file: properly quoted records, or the cells joined raw (broken quoting, ragged rows).
    fn file(records: &[Vec<String>], s: &ImportSettings, raw: bool, header: bool) -> Vec<u8> {
        let header_row: Vec<String> = [
            "date",
            "amount",
            "debit",
            "credit",
            "description",
            "category",
            "type",
            "note",
            "account",
        ]
        .map(str::to_string)
        .to_vec();
        let all = std::iter::once(&header_row)
            .filter(|_| header)
            .chain(records);
        if raw {
            let d = char::from(s.delimiter).to_string();
            all.map(|r| r.join(&d))
                .collect::<Vec<_>>()
                .join("\n")
                .into_bytes()
        } else {
            let mut w = csv::WriterBuilder::new()
                .delimiter(s.delimiter)
                .from_writer(Vec::new());
            for r in all {
                w.write_record(r).unwrap();
            }
            w.into_inner().unwrap()
        }
    }

    const ROW_FIELDS: [&str; 9] = [
        "account",
        "date",
        "amount",
        "debit",
        "credit",
        "description",
        "note",
        "type",
        "category",
    ];

    fn check(plan: &ImportPlan) {
        assert_eq!(plan.total, plan.ready + plan.error_count);
        assert_eq!(
            plan.errors.len() as u64,
            plan.error_count.min(MAX_LINE_ERRORS as u64)
        );
        assert_eq!(plan.sample.len() as u64, plan.ready.min(SAMPLE_ROWS as u64));
        for e in &plan.errors {
            assert!(e.line >= 1);
            assert!(!e.reason.is_empty());
            match &e.field {
                Some(f) => assert!(ROW_FIELDS.contains(&f.as_str()), "unknown field {f}"),
                // Only a record with the wrong number of fields has no one field to blame.
                None => assert!(e.reason.contains("fields"), "{}", e.reason),
            }
        }
        for r in &plan.sample {
            assert_eq!(
                r.refund,
                r.amount.is_negative(),
                "exactly the refunds are negative"
            );
            assert!(
                !r.refund || r.kind == CategoryKind::Expense,
                "a refund is an expense"
            );
            assert!(!r.description.is_empty() && r.description == r.description.trim());
            assert!(!r.account.is_empty(), "every row goes to an account");
        }
    }

    proptest! {
        #![proptest_config(cases())]

        /// Any rows, any settings: a plan whose every row is checked or has a
        /// line error naming its field, or a whole-file validation error; never a
        /// panic. Every accepted row round-trips through the export format.
        #[test]
        fn csv_rows_plan_or_name_the_field_and_round_trip_through_export(
            records in proptest::collection::vec(record(), 1..6),
            s in settings(),
            raw in any::<bool>(),
            currency in currencies(),
        ) {
            let user = Id::generate();
            let cats = categories(user);
            let accounts = accounts(user);
            let bytes = file(&records, &s, raw, s.has_header);
            let plan = match plan_rows(&bytes, &s, &[], currency, cats.clone(), &accounts, None) {
                Ok(plan) => plan,
                Err(Error::Validation { field, message }) => {
                    prop_assert!(["file", "columns"].contains(&field.as_str()), "{field}: {message}");
                    prop_assert!(!message.is_empty());
                    return Ok(());
                }
                Err(other) => panic!("unexpected error {other:?}"),
            };
            check(&plan);
            if plan.sample.is_empty() {
                return Ok(());
            }
            // Export the accepted rows and import that file: the same rows come back.
            let mut out = ExportWriter::new(Vec::new()).unwrap();
            for r in &plan.sample {
                let row = ExportRow {
                    date: r.date,
                    account: &r.account,
                    description: &r.description,
                    category: &r.category,
                    kind: r.kind.into(),
                    amount: r.amount,
                    note: r.note.as_deref(),
                    transfer: None,
                };
                out.row(&row, currency).unwrap();
            }
            let exported = export_settings();
            let bytes = out.into_inner().unwrap();
            check_export_is_inert(&bytes);
            // Into the second account by default: the account column decides.
            let again = plan_rows(&bytes, &exported, &[], currency, cats, &accounts, Some(accounts[1].id))
                .expect("an export re-imports");
            prop_assert!(again.errors.is_empty(), "{:?}", again.errors);
            prop_assert_eq!(again.sample.len(), plan.sample.len());
            for (a, b) in plan.sample.iter().zip(&again.sample) {
                prop_assert_eq!((a.date, a.amount, a.kind, a.refund), (b.date, b.amount, b.kind, b.refund));
                prop_assert_eq!(&a.account, &b.account);
                prop_assert_eq!(&a.description, &b.description);
                prop_assert_eq!(&a.note, &b.note);
                prop_assert_eq!(a.category.trim().to_lowercase(), b.category.trim().to_lowercase());
            }
        }
    }

    /// No text cell of an export starts like a spreadsheet formula, and every
    /// amount is a plain number, negative only for a refund (OWASP CSV
    /// injection: a spreadsheet reads `-12.30` as the number it is).
    fn check_export_is_inert(bytes: &[u8]) {
        let mut rdr = csv::ReaderBuilder::new().from_reader(bytes);
        for record in rdr.records() {
            let record = record.expect("the export is well-formed CSV");
            for col in [1, 2, 3, 6] {
                let cell = &record[col];
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "text cell {col} would be evaluated by a spreadsheet: {cell:?}"
                );
            }
            let amount = &record[5];
            let digits = amount.strip_prefix('-').unwrap_or(amount);
            assert!(
                !digits.is_empty()
                    && digits.starts_with(|c: char| c.is_ascii_digit())
                    && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.'),
                "the amount is a plain number: {amount:?}"
            );
            assert!(
                !amount.starts_with('-') || &record[4] == "expense",
                "only a refund (an expense) is negative: {record:?}"
            );
        }
    }

    fn export_settings() -> ImportSettings {
        ImportSettings {
            delimiter: b',',
            has_header: true,
            date: 0,
            account: Some(1),
            description: 2,
            category: Some(3),
            kind: Some(4),
            amount: AmountColumns::Single(5),
            note: Some(6),
            date_format: DateFormat::Iso,
            decimal: DecimalSeparator::Dot,
            transfer: Some(7),
        }
    }
}
