//! Property-based input checks: for every input type, any string either parses
//! (and round-trips) or is a `Validation` error naming the field; nothing panics.
//! 100,000 generated cases per type (override with PROPTEST_CASES).

use finance_core::domain::date::parse_date;
use finance_core::domain::user::{Email, Password, PersonName, Username};
use finance_core::domain::{
    CategoryName, Cursor, Description, Note, TransactionFilter, TransactionQuery, TransactionSort,
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
        sort in texty(),
        limit in proptest::option::of(any::<u32>()),
        cursor in proptest::option::of(texty()),
    ) {
        let parsed = TransactionFilter::parse(
            from.as_deref(), to.as_deref(), &[], kind.as_deref(), text.as_deref(), min.as_deref(), max.as_deref(), Currency::EUR,
        );
        let fields = ["from", "to", "type", "text", "minAmount", "maxAmount", "categoryIds"];
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
    fn ids_parse_or_name_the_field(s in "[0-9a-fA-F]{24}|\\PC{0,30}") {
        if let Some(id) = ok_or_field(Id::parse("id", &s), "id") {
            prop_assert_eq!(Id::from_hex(&id.to_hex()), Some(id));
        }
    }
}
