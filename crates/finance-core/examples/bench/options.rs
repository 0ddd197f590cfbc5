//! Command-line flags of the benchmark, and the per-run plan each backend size uses.
//!
//! Flags: `--sizes a,b,c` (SQLite), `--mongo-sizes a,b` (MongoDB at
//! `FINANCE_TEST_MONGODB_URI`, skipped when unset), `--iterations N`, `--import-rows N`
//! (SQLite), `--mongo-iterations a,b` (per MongoDB size, the last repeats; default
//! `--iterations`), `--mongo-import-rows N` (default 2000), `--deep-page N` (default 200;
//! 20 at most on MongoDB), `--smoke`, `--write FILE`, `--durability` (only the
//! `synchronous` NORMAL-vs-FULL comparison: `--iterations` adds, `--import-rows` rows).
//!
//! Invariants: an unknown flag or a flag without its value is an error, never a
//! default; `iterations` is at least 1; the MongoDB iteration count of a size is looked
//! up in one place ([`Opts::mongo_iterations_at`]) for the run and for the output line.

use crate::Res;

/// The parsed command line.
pub struct Opts {
    pub sizes: Vec<usize>,
    pub mongo_sizes: Vec<usize>,
    pub iterations: usize,
    pub import_rows: usize,
    /// Iterations per MongoDB size (the last repeats); default `iterations`.
    pub mongo_iterations: Vec<usize>,
    pub mongo_import_rows: usize,
    pub deep_page: usize,
    pub write: Option<String>,
    /// `--durability`: only the NORMAL-vs-FULL comparison (`durability`), with
    /// `iterations` adds and `import_rows` rows per import.
    pub durability: bool,
    /// Only the balances rows (`balances`): no other operation, baseline or log-in.
    pub balances_only: bool,
}

/// What one backend size runs: iterations per operation, CSV import size and
/// repetitions, and the page the deep-page timing fetches.
#[derive(Clone, Copy)]
pub struct Plan {
    pub iterations: usize,
    pub import_rows: usize,
    pub import_iterations: usize,
    pub deep_page: usize,
    /// Only the balances rows (`--balances-only`).
    pub balances_only: bool,
}

/// The deepest page timed on MongoDB (the test server is a Python process).
const MONGO_DEEP_PAGE_MAX: usize = 20;

/// Imports are slow: at most three per size, at least one.
pub fn import_iterations(iterations: usize) -> usize {
    iterations.clamp(1, 3)
}

impl Opts {
    /// The SQLite plan: the flags as given.
    pub fn sqlite_plan(&self) -> Plan {
        Plan {
            iterations: self.iterations,
            import_rows: self.import_rows,
            import_iterations: import_iterations(self.iterations),
            deep_page: self.deep_page,
            balances_only: self.balances_only,
        }
    }

    /// Iterations for the `i`-th MongoDB size as asked for: `--mongo-iterations` by
    /// position (the last repeats), else `--iterations`.
    pub fn mongo_iterations_at(&self, i: usize) -> usize {
        self.mongo_iterations
            .get(i)
            .or(self.mongo_iterations.last())
            .copied()
            .unwrap_or(self.iterations)
    }

    /// The MongoDB plan of the `i`-th size: its own iteration count and import size,
    /// and a shallower deep page.
    pub fn mongo_plan(&self, i: usize) -> Plan {
        let iterations = self.mongo_iterations_at(i).max(1);
        Plan {
            iterations,
            import_rows: self.mongo_import_rows.max(1),
            import_iterations: import_iterations(iterations),
            deep_page: self.mongo_deep_page(),
            balances_only: self.balances_only,
        }
    }

    /// The deep page on MongoDB.
    pub fn mongo_deep_page(&self) -> usize {
        self.deep_page.min(MONGO_DEEP_PAGE_MAX)
    }
}

pub fn parse_opts() -> Res<Opts> {
    let mut o = Opts {
        sizes: vec![10_000, 100_000, 1_000_000],
        mongo_sizes: vec![10_000],
        iterations: 20,
        import_rows: 100_000,
        mongo_iterations: vec![],
        mongo_import_rows: 2_000,
        deep_page: 200,
        write: None,
        durability: false,
        balances_only: false,
    };
    let list = |s: String| -> Res<Vec<usize>> {
        s.split(',')
            .filter(|p| !p.is_empty())
            .map(|p| p.trim().parse::<usize>().map_err(Into::into))
            .collect()
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--sizes" => o.sizes = list(val()?)?,
            "--mongo-sizes" => o.mongo_sizes = list(val()?)?,
            "--iterations" => o.iterations = val()?.parse()?,
            "--import-rows" => o.import_rows = val()?.parse()?,
            "--mongo-iterations" => o.mongo_iterations = list(val()?)?,
            "--mongo-import-rows" => o.mongo_import_rows = val()?.parse()?,
            "--write" => o.write = Some(val()?),
            "--deep-page" => o.deep_page = val()?.parse()?,
            "--durability" => o.durability = true,
            "--balances-only" => o.balances_only = true,
            "--smoke" => {
                o.sizes = vec![10_000];
                o.mongo_sizes = vec![1_000];
                o.deep_page = 3;
                o.iterations = 1;
                o.import_rows = 1_000;
                o.mongo_iterations = vec![1];
                o.mongo_import_rows = 1_000;
            }
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    o.iterations = o.iterations.max(1);
    Ok(o)
}
