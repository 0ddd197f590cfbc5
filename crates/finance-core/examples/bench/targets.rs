//! The targets, judged on this run's figures (PASS or **MISS**):
//!
//! - at the largest size of each backend: bulk write, CSV import, month summary, budget
//!   statuses and the 12-month report each within 1.5× the raw baseline (medians);
//! - at the largest SQLite size: list pages and the month summary at p95 ≤ 10 ms, the
//!   12-month report at p95 ≤ 200 ms; (accounts, issue 14) the account list with
//!   balances ≤ 5 ms, a register's first and deep page with running balances and a
//!   balance on a date ≤ 10 ms, a 60-month net-worth series ≤ 50 ms; (issue 15) a
//!   learned suggestion for a typed prefix and the form's suggestion ≤ 10 ms;
//! - from the smallest to the largest SQLite size: the p95 of the scaling operations
//!   grows less than 10×;
//! - log-in at bcrypt cost 12 reported on its own, and list pages at p95 ≤ 10 ms while
//!   log-ins run.
//!
//! Invariants: each target is stated once here, with its limit; a target whose figure
//! is missing (no row, or no raw baseline for a ratio) is left out, never guessed.

use std::fmt::Write as _;

use crate::login::LoginResult;
use crate::markdown::{RunResult, SCALING_OPS, SQLITE};
use crate::stats::{ms, ratio};

/// Ours ÷ raw (median) at most this.
const RATIO_LIMIT: f64 = 1.5;

/// The operations held to [`RATIO_LIMIT`], with the name the target gives them.
const RATIO_TARGETS: [(&str, &str); 6] = [
    ("bulk write", "bulk write"),
    ("import CSV", "CSV import"),
    ("month summary", "month summary"),
    ("budget statuses", "budget statuses"),
    ("12-month report", "12-month report"),
    (
        "re-categorise 10,000 rows",
        "bulk re-categorise of 10,000 rows",
    ),
];

/// The SQLite operations held to a p95 limit in milliseconds.
const P95_TARGETS_MS: [(&str, f64); 11] = [
    ("list: first page", 10.0),
    ("list: deep page", 10.0),
    ("month summary", 10.0),
    ("12-month report", 200.0),
    ("accounts with balances", 5.0),
    ("register: first page", 10.0),
    ("register: deep page", 10.0),
    ("balance on a date", 10.0),
    ("net worth: 60 months", 50.0),
    ("suggest: typed prefix", 10.0),
    ("form suggestion (20 rules)", 10.0),
];

/// "Flat-ish": p95 at the largest SQLite size under this multiple of the smallest.
const GROWTH_LIMIT: f64 = 10.0;

/// List pages while log-ins run: p95 at most this, in milliseconds.
const PAGE_DURING_LOGIN_MS: f64 = 10.0;

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "**MISS**" }
}

/// The targets table.
pub fn table(results: &[RunResult], login: &LoginResult) -> String {
    let mut s = String::from(
        "\n#### Targets\n\n| backend, size | target | measured (ours) | ours ÷ raw (median) | result |\n|---|---|---|---:|---|\n",
    );
    for r in results {
        let largest = results
            .iter()
            .filter(|x| x.backend == r.backend)
            .map(|x| x.size)
            .max()
            .unwrap_or(0);
        if r.size != largest {
            continue;
        }
        let at = format!("{} {}", r.backend, r.size);
        for (key, what) in RATIO_TARGETS {
            if let Some(row) = r.row(key).filter(|row| !row.ours.0.is_empty())
                && let Some(raw) = &row.raw
            {
                let q = ratio(&row.ours, Some(raw));
                let _ = writeln!(
                    s,
                    "| {at} | {what} ≤ {RATIO_LIMIT}× raw | median {} ms | {q:.2}× | {} |",
                    ms(row.ours.median()),
                    pass(q <= RATIO_LIMIT)
                );
            }
        }
        if r.backend == SQLITE {
            for (key, limit) in P95_TARGETS_MS {
                // Not measured in this run (`--balances-only`): left out.
                if let Some(row) = r.row(key).filter(|row| !row.ours.0.is_empty()) {
                    let q = ratio(&row.ours, row.raw.as_ref());
                    let _ = writeln!(
                        s,
                        "| {at} | {key} p95 ≤ {limit} ms | p95 {} ms (median {}) | {} | {} |",
                        ms(row.ours.p95()),
                        ms(row.ours.median()),
                        if q.is_nan() {
                            "–".to_string()
                        } else {
                            format!("{q:.2}×")
                        },
                        pass(row.ours.p95() <= limit)
                    );
                }
            }
        }
    }
    // The curve: p95 at the largest SQLite size over p95 at the smallest.
    let sqlite: Vec<&RunResult> = results.iter().filter(|r| r.backend == SQLITE).collect();
    if let (Some(lo), Some(hi)) = (
        sqlite.iter().min_by_key(|r| r.size),
        sqlite.iter().max_by_key(|r| r.size),
    ) && hi.size > lo.size
    {
        for key in SCALING_OPS {
            if let (Some(a), Some(b)) = (lo.row(key), hi.row(key)) {
                let (a, b) = (a.ours.p95(), b.ours.p95());
                let growth = b / a;
                let _ = writeln!(
                    s,
                    "| {SQLITE} {}→{} | {key}: flat-ish (p95 grows < {GROWTH_LIMIT}× for {}× the rows) | p95 {} → {} ms | – | {} ({growth:.1}×) |",
                    lo.size,
                    hi.size,
                    hi.size / lo.size.max(1),
                    ms(a),
                    ms(b),
                    pass(growth < GROWTH_LIMIT)
                );
            }
        }
    }
    if login.login.0.is_empty() {
        return s;
    }
    let _ = writeln!(
        s,
        "| {SQLITE} | log-in at bcrypt cost 12 ≈ 250 ms, reported on its own | median {} ms, p95 {} ms | – | reported |",
        ms(login.login.median()),
        ms(login.login.p95())
    );
    let _ = writeln!(
        s,
        "| {SQLITE} | log-ins do not slow other work: list page p95 ≤ {PAGE_DURING_LOGIN_MS} ms while log-ins run | p95 {} ms during, {} ms without | – | {} |",
        ms(login.page_during.p95()),
        ms(login.page_idle.p95()),
        pass(login.page_during.p95() <= PAGE_DURING_LOGIN_MS)
    );
    s
}
