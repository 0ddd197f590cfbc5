//! Learned suggestions (issue 15): what the transaction form asks while a
//! description is typed — the user's most recent row of each description
//! starting with a prefix (`Finance::suggest`, through the store's
//! description index), and the form's whole suggestion (`suggest_for`: the
//! user's rules first, then the learned rows) with 20 rules that do not match.
//! Ours only: the baseline of an index seek is the index seek.
//!
//! Invariants: the prefixes are drawn from the seeded descriptions (one to
//! four letters, mixed case), the same stream at every size; every call is
//! the measured user's.

use finance_core::domain::{CategoryKind, RuleCandidate, RuleDraft};
use rand::Rng;

use crate::Res;
use crate::data::{self, Seeded, Stream, now};
use crate::stats::{Timings, timed};

/// The rows of the table, in order (keys of [`Timings`]).
pub const OPERATIONS: [&str; 2] = ["suggest: typed prefix", "form suggestion (20 rules)"];

/// Words the prefixes are cut from (the start of seeded descriptions).
const TYPED: &[&str] = &[
    "Coffee",
    "SUPERMARKET",
    "train",
    "Electricity",
    "netflix",
    "Pharmacy",
    "Dinner",
    "petrol",
    "Bookshop",
    "Gym",
    "Rent",
    "Mobile",
    "BAKERY",
    "Cinema",
    "Hardware",
    "Salary",
    "Freelance",
];

pub async fn measure_ours(s: &Seeded, iterations: usize) -> Res<Timings> {
    let (f, me) = (&s.finance, &s.me);
    for i in 0..20 {
        let draft = RuleDraft {
            enabled: true,
            description_text: Some(format!("no such payee {i}")),
            category_id: Some(s.cats[s.cats.len() - 1].id.to_hex()),
            ..RuleDraft::default()
        };
        f.add_rule(me, draft.validate(me.currency())?, now())
            .await?;
    }
    let mut rng = data::rng(Stream::Suggest);
    let prefixes: Vec<String> = (0..iterations.max(1))
        .map(|_| {
            let w = TYPED[rng.random_range(0..TYPED.len())];
            w.chars().take(rng.random_range(1..=4)).collect()
        })
        .collect();
    let mut st = Timings::new();
    for p in &prefixes {
        timed(st.entry(OPERATIONS[0]).or_default(), || async {
            Ok(f.suggest(me, p).await?)
        })
        .await?;
    }
    for p in &prefixes {
        let candidate = RuleCandidate {
            description: p,
            amount: Some(1234),
            account: Some(s.accounts[0]),
            kind: Some(CategoryKind::Expense),
        };
        timed(st.entry(OPERATIONS[1]).or_default(), || async {
            Ok(f.suggest_for(me, candidate).await?)
        })
        .await?;
    }
    eprintln!("  suggestions: done");
    Ok(st)
}
