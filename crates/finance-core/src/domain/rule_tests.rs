use chrono::DateTime;
use proptest::prelude::*;

use super::*;

fn rule(position: i32, enabled: bool, conditions: RuleConditions) -> Rule {
    Rule {
        id: Id::generate(),
        user_id: Id::from_bytes([1; 12]),
        name: format!("rule {position}"),
        position,
        enabled,
        conditions,
        actions: RuleActions {
            category: Some(Id::generate()),
            ..RuleActions::default()
        },
        created_at: DateTime::<Utc>::UNIX_EPOCH,
    }
}

fn text(how: TextMatch, t: &str) -> RuleConditions {
    RuleConditions {
        description: Some(DescriptionCondition::new(how, t)),
        ..RuleConditions::default()
    }
}

fn candidate(description: &str, amount: i64) -> RuleCandidate<'_> {
    RuleCandidate {
        description,
        amount: Some(amount),
        account: None,
        kind: Some(CategoryKind::Expense),
    }
}

#[test]
fn text_conditions_ignore_case_unicode_aware() {
    let c = text(TextMatch::Contains, "ÉPICERIE");
    assert!(
        c.matches(&candidate("Carte 12 épicerie du coin", 1)),
        "É lower-cases to é"
    );
    let s = text(TextMatch::StartsWith, "straße");
    assert!(
        !s.matches(&candidate("Strasse 5", 1)),
        "no folding beyond lower-casing"
    );
    assert!(s.matches(&candidate("STRAẞE 5", 1)), "ẞ lower-cases to ß");
    let e = text(TextMatch::Equals, " Tesco ");
    assert!(e.matches(&candidate("TESCO", 1)));
    assert!(!e.matches(&candidate("TESCO STORES", 1)), "equals is whole");
    assert!(
        text(TextMatch::Contains, "a.*b").matches(&candidate("x a.*b y", 1)),
        "plain text, never a pattern"
    );
    assert!(!text(TextMatch::Contains, "a.*b").matches(&candidate("a then b", 1)));
}

#[test]
fn amount_account_and_kind_conditions() {
    let range = RuleConditions {
        amount_min: Some(1000),
        amount_max: Some(2000),
        ..RuleConditions::default()
    };
    assert!(range.matches(&candidate("x", 1000)) && range.matches(&candidate("x", 2000)));
    assert!(!range.matches(&candidate("x", 999)) && !range.matches(&candidate("x", 2001)));
    let unknown = RuleCandidate {
        amount: None,
        ..candidate("x", 0)
    };
    assert!(!range.matches(&unknown), "an unknown amount is no match");
    let account = Id::generate();
    let on = RuleConditions {
        account: Some(account),
        kind: Some(CategoryKind::Expense),
        ..RuleConditions::default()
    };
    let mut c = candidate("x", 1);
    assert!(!on.matches(&c));
    c.account = Some(account);
    assert!(on.matches(&c));
    c.kind = Some(CategoryKind::Income);
    assert!(!on.matches(&c));
}

#[test]
fn first_enabled_match_in_order_wins() {
    let late = rule(2, true, text(TextMatch::Contains, "coffee"));
    let early = rule(1, true, text(TextMatch::Contains, "cof"));
    let off = rule(0, false, text(TextMatch::Contains, "coffee"));
    let rules = vec![late.clone(), off, early.clone()];
    assert_eq!(
        first_match(&rules, &candidate("Coffee bar", 1)).map(|r| r.id),
        Some(early.id),
        "position decides, not list order; the disabled one is skipped"
    );
    assert!(first_match(&rules, &candidate("Tea", 1)).is_none());
}

#[test]
fn drafts_name_the_failing_field() {
    let ok = RuleDraft {
        description_text: Some("tesco".into()),
        category_id: Some(Id::generate().to_hex()),
        enabled: true,
        ..RuleDraft::default()
    };
    let r = ok.validate(Currency::EUR).unwrap();
    assert_eq!(r.name, "Description contains \u{201c}tesco\u{201d}");
    let field = |d: RuleDraft| {
        d.validate(Currency::EUR)
            .unwrap_err()
            .field()
            .map(String::from)
    };
    assert_eq!(
        field(RuleDraft {
            description_text: None,
            ..ok.clone()
        }),
        Some("descriptionText".into())
    );
    assert_eq!(
        field(RuleDraft {
            category_id: None,
            ..ok.clone()
        }),
        Some("categoryId".into())
    );
    assert_eq!(
        field(RuleDraft {
            description_match: Some("regex".into()),
            ..ok.clone()
        }),
        Some("descriptionMatch".into())
    );
    assert_eq!(
        field(RuleDraft {
            amount_min: Some("5".into()),
            amount_max: Some("4.99".into()),
            ..ok.clone()
        }),
        Some("amountMax".into())
    );
    assert_eq!(
        field(RuleDraft {
            amount_min: Some("1.234".into()),
            ..ok.clone()
        }),
        Some("amountMin".into())
    );
    assert_eq!(
        field(RuleDraft {
            kind: Some("transfer".into()),
            ..ok.clone()
        }),
        Some("kind".into())
    );
    let exact = RuleDraft {
        amount_min: Some("12.30".into()),
        amount_max: Some("12.30".into()),
        ..ok
    }
    .validate(Currency::EUR)
    .unwrap();
    assert_eq!(
        (exact.conditions.amount_min, exact.conditions.amount_max),
        (Some(1230), Some(1230)),
        "exact minor units"
    );
}

proptest! {
    /// The matcher agrees with a plain reference: the lowest position
    /// (then id) among enabled rules whose lower-cased text is in the
    /// lower-cased description.
    #[test]
    fn first_match_is_the_first_enabled_holding_rule(
        specs in proptest::collection::vec((0i32..5, any::<bool>(), "[a-cA-CéÉ]{1,2}"), 0..12),
        description in "[a-cA-CéÉ ]{0,12}",
    ) {
        let rules: Vec<Rule> = specs
            .iter()
            .map(|(p, on, t)| rule(*p, *on, text(TextMatch::Contains, t)))
            .collect();
        let got = first_match(&rules, &candidate(&description, 1)).map(|r| r.id);
        let lower = description.to_lowercase();
        let want = rules
            .iter()
            .filter(|r| r.enabled)
            .filter(|r| lower.contains(&r.conditions.description.as_ref().unwrap().text.to_lowercase()))
            .min_by_key(|r| (r.position, r.id))
            .map(|r| r.id);
        prop_assert_eq!(got, want);
        // Case never matters.
        let upper = description.to_uppercase();
        prop_assert_eq!(first_match(&rules, &candidate(&upper, 1)).map(|r| r.id), want);
    }
}
