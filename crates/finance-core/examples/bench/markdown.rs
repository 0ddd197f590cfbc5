//! The markdown the benchmark prints and writes into BENCHMARKS.md: provenance and run
//! line, one table per backend and size (ours beside raw, with the ratio), the scaling
//! table, the targets (`targets.rs`) and the log-in paragraph; and the writer that
//! replaces the part of a file between the `<!-- bench:begin -->` and
//! `<!-- bench:end -->` markers.
//!
//! Invariants: rows appear in [`OPERATIONS`] order whatever order they were measured
//! in; an operation without a raw baseline shows "–", never a made-up ratio; the
//! bulk-write row is compared with the raw import (both are one bulk insert); the
//! writer keeps everything outside the markers (and appends them when missing).

use std::fmt::Write as _;

use chrono::Utc;

use crate::Res;
use crate::login::LoginResult;
use crate::options::{Opts, import_iterations};
use crate::stats::{Stat, Timings, ms, ratio};

/// Backend labels, as the tables and targets print them.
pub const SQLITE: &str = "SQLite";
pub const MONGO: &str = "MongoDB (SecantusDB test server)";

/// Every operation, in table order (the keys of [`Timings`]).
const OPERATIONS: [&str; 26] = [
    "add",
    "edit",
    "delete",
    "list: first page",
    "list: deep page",
    "text search (first page)",
    "month summary",
    "budget statuses",
    "12-month report",
    "report: totals",
    "report: by category",
    "report: by month",
    "report: budgets",
    "report: largest 10",
    "report: frequent 10",
    "bulk write",
    "import CSV",
    "accounts with balances",
    "register: first page",
    "register: deep page",
    "balance on a date",
    "net worth: 60 months",
    "12-month report, one account",
    "suggest: typed prefix",
    "form suggestion (20 rules)",
    "re-categorise 10,000 rows",
];

/// The operations whose growth with size the scaling table and the targets follow.
pub const SCALING_OPS: [&str; 4] = [
    "list: first page",
    "list: deep page",
    "month summary",
    "12-month report",
];

/// One table row: ours and the raw baseline.
pub struct Row {
    pub key: &'static str,
    op: String,
    pub ours: Stat,
    pub raw: Option<Stat>,
}

/// One backend at one size.
pub struct RunResult {
    pub backend: &'static str,
    pub size: usize,
    seed_secs: f64,
    rows: Vec<Row>,
}

impl RunResult {
    /// The row of an operation key.
    pub fn row(&self, key: &str) -> Option<&Row> {
        self.rows.iter().find(|x| x.key == key)
    }
}

/// Ours and raw timings into one result, rows in [`OPERATIONS`] order.
pub fn assemble(
    backend: &'static str,
    size: usize,
    seed_secs: f64,
    mut ours: Timings,
    mut raw: Timings,
    import_rows: usize,
    deep_page: usize,
) -> RunResult {
    let mut rows = Vec::new();
    for op in OPERATIONS {
        let label = match op {
            "import CSV" => format!("import {import_rows} CSV rows (`import_commit`)"),
            "bulk write" => format!("bulk write {import_rows} rows (`Store::insert_transactions`)"),
            "list: deep page" => format!("list: page {deep_page} (cursor)"),
            "register: first page" => "register: first page, running balances".to_string(),
            "register: deep page" => {
                format!("register: page {deep_page} (cursor), running balances")
            }
            op if op.starts_with("report: ") => format!("↳ {op} (one store call)"),
            _ => op.to_string(),
        };
        rows.push(Row {
            key: op,
            op: label,
            ours: ours.remove(op).unwrap_or_default(),
            raw: if op == "bulk write" {
                raw.get("import CSV").cloned()
            } else {
                raw.remove(op)
            },
        });
    }
    RunResult {
        backend,
        size,
        seed_secs,
        rows,
    }
}

/// The table of one backend and size.
pub fn table(r: &RunResult) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\n#### {} — {} transactions (seeded in {:.1} s)\n",
        r.backend, r.size, r.seed_secs
    );
    s.push_str("| operation | ours median ms | ours p95 ms | raw median ms | raw p95 ms | ours ÷ raw (median) |\n");
    s.push_str("|---|---:|---:|---:|---:|---:|\n");
    for row in &r.rows {
        let (rm, rp, vs) = match &row.raw {
            Some(raw) => (
                ms(raw.median()),
                ms(raw.p95()),
                format!("{:.2}×", ratio(&row.ours, Some(raw))),
            ),
            None => ("–".into(), "–".into(), "–".into()),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            row.op,
            ms(row.ours.median()),
            ms(row.ours.p95()),
            rm,
            rp,
            vs
        );
    }
    s
}

fn scaling(results: &[RunResult]) -> String {
    let mut s = String::from("\n#### Scaling (p95 ms, ours)\n\n| backend | size |");
    for op in SCALING_OPS {
        let _ = write!(s, " {op} |");
    }
    s.push_str("\n|---|---:|");
    for _ in SCALING_OPS {
        s.push_str("---:|");
    }
    s.push('\n');
    for r in results {
        let _ = write!(s, "| {} | {} |", r.backend, r.size);
        for op in SCALING_OPS {
            let v = r.row(op).map_or(f64::NAN, |x| x.ours.p95());
            let _ = write!(s, " {} |", ms(v));
        }
        s.push('\n');
    }
    s
}

/// Where the figures come from: date, command, build profile, machine.
fn provenance() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let exe = std::env::current_exe().ok();
    // target/<profile>/examples/bench
    let profile = exe
        .as_ref()
        .and_then(|p| p.parent()?.parent()?.file_name())
        .map_or("?".into(), |n| n.to_string_lossy().into_owned());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map_or("?", |l| l.trim_start_matches([' ', '\t', ':']));
    let threads = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0 / 1024.0);
    format!(
        "_Run {} UTC: `bench {}` (build profile `{}`{}); {} hardware threads ({}), {:.0} GiB RAM._\n",
        Utc::now().format("%Y-%m-%d %H:%M"),
        args.join(" "),
        profile,
        if cfg!(debug_assertions) {
            ", debug assertions on: not timed"
        } else {
            ""
        },
        threads,
        cpu,
        mem_gib
    )
}

/// The log-in paragraph.
fn login_section(login: &LoginResult) -> String {
    format!(
        "\n#### Log-in (bcrypt cost 12, SQLite)\n\n\
         `Finance::login` (throttle check, bcrypt verify on the blocking pool, session write): \
         median {} ms, p95 {} ms over {} log-ins.\n\n\
         Not blocking other work: the first list page ({} transactions) timed {} times while \
         log-ins ran back to back in another task: median {} ms, p95 {} ms; without log-ins \
         ({} pages): median {} ms, p95 {} ms.\n",
        ms(login.login.median()),
        ms(login.login.p95()),
        login.login.0.len(),
        login.rows,
        login.page_during.0.len(),
        ms(login.page_during.median()),
        ms(login.page_during.p95()),
        login.page_idle.0.len(),
        ms(login.page_idle.median()),
        ms(login.page_idle.p95()),
    )
}

/// The whole output: provenance, run line, retry notes, the tables, scaling,
/// targets and log-in.
pub fn document(
    o: &Opts,
    retried: &[String],
    results: &[RunResult],
    login: &LoginResult,
) -> String {
    let mut out = provenance();
    let _ = writeln!(
        out,
        "_Run: SQLite {} iteration(s) per operation (import: {}), {} CSV rows per import; \
         MongoDB iterations per size {:?} (import: up to 3), {} CSV rows per import, deep page {}._",
        o.iterations,
        import_iterations(o.iterations),
        o.import_rows,
        (0..o.mongo_sizes.len())
            .map(|i| o.mongo_iterations_at(i))
            .collect::<Vec<_>>(),
        o.mongo_import_rows,
        o.mongo_deep_page(),
    );
    for note in retried {
        let _ = writeln!(out, "\n_{note}_");
    }
    for r in results {
        out.push_str(&table(r));
    }
    out.push_str(&scaling(results));
    out.push_str(&crate::targets::table(results, login));
    out.push_str(&login_section(login));
    out
}

/// Replace the part of `path` between the bench markers with `body`.
pub fn write_section(path: &str, body: &str) -> Res<()> {
    const BEGIN: &str = "<!-- bench:begin -->";
    const END: &str = "<!-- bench:end -->";
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(b), Some(e)) if e > b => format!(
            "{}{BEGIN}\n{body}\n{END}{}",
            &old[..b],
            &old[e + END.len()..]
        ),
        _ => format!("{old}\n{BEGIN}\n{body}\n{END}\n"),
    };
    std::fs::write(path, new)?;
    Ok(())
}
