//! The core's one integration-test binary: the store contract and the
//! security suite, both over the shared kit (`finance-testkit`).
//!
//! * [`contract`] — the store contract: every scenario runs on both stores, as
//!   `contract::sqlite::<scenario>` and `contract::mongo::<scenario>`.
//! * [`security`] — token attacks, generated isolation checks, property-based
//!   input checks, secrets in logs, faults and concurrency (store-dependent
//!   tests named `security::sqlite::…` / `security::mongo::…` likewise).
//! * [`migration`] — data made by the previous release (committed fixtures in
//!   `tests/fixtures/`) opened by this one: nothing lost, idempotent, resumable.
//!
//! Invariants: one binary, so the kit and the core are compiled and linked
//! once for all of it; every test makes its own store (see
//! `finance_testkit::Harness`), so tests run in parallel; filter by store with
//! `cargo test -p finance-core --test it sqlite::` (or `mongo::`). The mongo
//! tests need `FINANCE_TEST_MONGODB_URI` and fail loudly without it.

mod contract;
mod migration;
mod security;
