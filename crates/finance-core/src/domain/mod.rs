//! Domain types: validated once at the edge, trusted everywhere inside.
//!
//! Each newtype's constructor is its only way in, so a value of the type is
//! proof that the rule holds. None of these types knows about BSON, SQL or IPC.

pub mod account;
pub mod balance;
pub mod budget;
pub mod bulk;
pub mod category;
pub mod date;
pub mod idempotency;
pub mod membership;
pub mod recurrence;
pub mod report;
pub mod rule;
pub mod schedule;
pub mod text;
pub mod transaction;
pub mod transfer;
pub mod user;

pub use account::{
    Account, AccountBalance, AccountDraft, AccountName, AccountType, AccountUsage,
    MAIN_ACCOUNT_NAME, NewAccount, Reconciliation,
};
pub use balance::{MAX_SERIES_MONTHS, MonthSpan, NetWorth, NetWorthMonth, RegisterPage};
pub use budget::{Budget, BudgetDraft, BudgetState, BudgetStatus, NewBudget, Period};
pub use bulk::{
    BulkChange, FilterTotals, MAX_BULK_ROWS, MAX_SELECTED_IDS, Selection, SelectionCensus,
};
pub use category::{Category, CategoryKind, CategoryName, CategoryUsage, default_categories};
pub use date::DateRange;
pub use idempotency::{IDEMPOTENCY_FIELD, IdempotencyKey};
pub use membership::{LedgerAccess, MemberView, Membership, MembershipStatus, Permission, Role};
pub use recurrence::{Frequency, MonthDay, Recurrence, ScheduleEnd};
pub use report::{BudgetActual, CategorySpending, DescriptionFrequency, MonthTotals, Report};
pub use rule::{
    DescriptionCondition, MAX_RULES_PER_USER, NewRule, Rule, RuleActions, RuleCandidate,
    RuleChange, RuleConditions, RuleDraft, RuleSkip, TextMatch, first_match,
};
pub use schedule::{
    ForecastDay, NewSchedule, Occurrence, PostDueSummary, PostedSchedule, Schedule, ScheduleAction,
    ScheduleDraft, ScheduleMode,
};
pub use text::{Description, Note};
pub use transaction::{
    BankId, Cursor, EntryKind, NamedPage, NewTransaction, Page, Summary, Transaction,
    TransactionDraft, TransactionFilter, TransactionQuery, TransactionSort, TxStatus,
};
pub use transfer::{NewTransfer, Transfer, TransferDraft};
pub use user::{
    CurrencyUsage, Email, Password, PersonName, Registration, RegistrationDraft, User, Username,
};
