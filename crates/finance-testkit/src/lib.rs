//! The test kit of `finance-core`: what its integration tests share.
//!
//! * [`harness`] — [`Harness`]: one fresh store per test (a new SQLite file in
//!   a temp dir, or a uniquely named MongoDB database), the [`Finance`]
//!   service over it, and the sign-in and data builders that go through it;
//!   [`Harness::finish`] drops the MongoDB database.
//! * [`fixtures`] — the fixed inputs: [`now`], [`d`], [`PASSWORD`], the test
//!   [`auth_settings`], registrations, transactions, [`import_settings`].
//! * [`assertions`] — assertions on errors that say what was expected.
//! * [`logs`] — [`captured_logs`]: what the test process logs, for the
//!   secrets-in-logs tests of the core and the server.
//! * [`both_stores!`] — one test per scenario and store, named
//!   `sqlite::<scenario>` and `mongo::<scenario>`.
//!
//! Invariants: every test gets a store no other test sees; nothing here
//! reaches into the stores' private shapes except [`Harness::raw_mongo`],
//! which is for tests that must write what a store never would; every
//! fixture exists once, here.
//!
//! The MongoDB half needs a real MongoDB-wire server at
//! `FINANCE_TEST_MONGODB_URI` (`./dev test` starts one); without it the
//! `mongo::` tests fail loudly rather than skip.
//!
//! [`Finance`]: finance_core::Finance

pub mod assertions;
pub mod fixtures;
pub mod harness;
pub mod logs;

pub use assertions::{assert_err, assert_not_found};
pub use fixtures::{
    EXPENSE, INCOME, PASSWORD, all_time, auth_settings, d, import_settings, new_transfer, new_tx,
    new_tx_in, no_progress, now, registration,
};
pub use harness::{Harness, category_named, login, register, sign_in};
pub use logs::captured_logs;

/// One test per scenario and store.
///
/// Each `module::name` is an `async fn(&Harness)` in `module`, a child of the
/// module that invokes the macro. It becomes two tests, `sqlite::name` and
/// `mongo::name` (under the invoking module's path, e.g.
/// `contract::sqlite::add_list_and_rename`), each on a fresh [`Harness`] that
/// is [finished](Harness::finish) afterwards. The caller needs `tokio` (with
/// the multi-threaded runtime) as a dependency.
#[macro_export]
macro_rules! both_stores {
    ($($module:ident :: $name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let h = $crate::Harness::sqlite().await;
                    super::$module::$name(&h).await;
                    h.finish().await;
                }
            )*
        }
        mod mongo {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let h = $crate::Harness::mongo(stringify!($name)).await;
                    super::$module::$name(&h).await;
                    h.finish().await;
                }
            )*
        }
    };
}
