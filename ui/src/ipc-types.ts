// Generated from src-tauri/src/contract.rs by `./dev bindings`. Do not edit.
// A test (`bindings_are_fresh`) fails when this file is stale.

export type AccountInput = { name: string, type: AccountType, 
/**
 * Signed decimal in the user's currency (`"-250.00"`); blank is zero.
 */
openingBalance: string, openingDate: string, note: string | null, };

export type AccountRegisterInput = { accountId: string, from?: string, to?: string, 
/**
 * Newest first by default.
 */
sort?: RegisterSort, limit?: number, 
/**
 * `nextCursor` of the previous page.
 */
cursor?: string, };

export type AccountRegisterPage = { items: Array<RegisterRow>, nextCursor: string | null, };

export type AccountTransfersView = { accountId: string, transfers: number, };

export type AccountType = "checking" | "savings" | "cash" | "credit_card" | "loan" | "asset" | "liability";

export type AccountUsageView = { transactions: number, 
/**
 * Per other account, the transfers between the two: a delete that
 * moves the transactions there removes them (both legs).
 */
transfers: Array<AccountTransfersView>, };

export type AccountView = { id: string, name: string, type: AccountType, 
/**
 * Whether the type is a liability (credit card, loan, other liability).
 */
liability: boolean, 
/**
 * Signed, e.g. `"-250.00"`.
 */
openingBalance: string, openingDate: string, note: string | null, 
/**
 * Hidden from pickers; still counted in the totals.
 */
archived: boolean, 
/**
 * Opening balance plus the signed sum of its transactions.
 */
balance: string, 
/**
 * Opening balance plus its cleared and reconciled transactions (what
 * the bank has seen).
 */
clearedBalance: string, 
/**
 * How many transactions it holds.
 */
transactions: number, 
/**
 * The last statement it was reconciled to, if any.
 */
lastReconciled: ReconciledView | null, };

export type AccountsView = { accounts: Array<AccountView>, 
/**
 * The sum of the asset accounts' balances.
 */
assets: string, 
/**
 * The sum of the liability accounts' balances (normally negative).
 */
liabilities: string, 
/**
 * `assets + liabilities`.
 */
netWorth: string, };

export type AmountColumns = { "kind": "single", column: number, } | { "kind": "debit_credit", debit: number, credit: number, };

export type ApiError = { code: ErrorCode, message: string, field: string | null, retryAfterSecs: number | null, };

export type ApplyRulesInput = { 
/**
 * Required (an empty object is every row): a body of another shape,
 * such as `[]`, is refused rather than read as "every row".
 */
filter: TransactionListInput, };

export type ArchiveAccountInput = { id: string, archived: boolean, };

export type AutoBackupKeepInput = { 
/**
 * 1–365.
 */
keep: number, };

export type AutoBackupView = { name: string, 
/**
 * `YYYY-MM-DD`, the day it was written.
 */
date: string, sizeKib: number, };

export type AutoBackupsView = { 
/**
 * False on MongoDB (the server keeps its own backups).
 */
available: boolean, 
/**
 * How many are kept (oldest removed first).
 */
keep: number, 
/**
 * Newest first.
 */
backups: Array<AutoBackupView>, };

export type BackupNowInput = { passphrase: string | null, };

export type BackupResult = { 
/**
 * Where the file was written; null when the person cancelled the save dialog.
 */
path: string | null, transactions: number, };

export type BankFileView = { format: BankFormatView, 
/**
 * The account as the bank names it (IBAN, number), when the file says.
 */
accountHint: string | null, 
/**
 * Entries in the file; null when the file could not be read yet (a QIF
 * file whose dates need the order of day and month).
 */
entries: number | null, };

export type BankFormatView = "ofx" | "qif" | "camt053";

export type BudgetActualView = { budgetId: string, categoryId: string, categoryName: string, period: Period, limit: string, spent: string, state: BudgetState, };

export type BudgetInput = { categoryId: string, limit: string, period: Period, };

export type BudgetListInput = { date?: string, };

export type BudgetState = "ok" | "warning" | "over";

export type BudgetView = { id: string, categoryId: string, categoryName: string, limit: string, period: Period, periodStart: string, periodEnd: string, spent: string, remaining: string, percent: number, state: BudgetState, };

export type BulkAccountInput = { selection: BulkSelection, accountId: string, 
/**
 * As for [`BulkCategoryInput::confirm_reconciled`].
 */
confirmReconciled?: boolean, };

export type BulkCategoryInput = { selection: BulkSelection, categoryId: string, 
/**
 * The user confirmed changing reconciled rows (else `conflict` on `status`).
 */
confirmReconciled?: boolean, };

export type BulkDeleteInput = { selection: BulkSelection, 
/**
 * As for [`BulkCategoryInput::confirm_reconciled`].
 */
confirmReconciled?: boolean, };

export type BulkDeleted = { 
/**
 * Rows deleted (with both legs of each transfer).
 */
deleted: number, 
/**
 * Hand back to `undoBulkDelete`; null when nothing was deleted.
 */
undoToken: string | null, };

export type BulkOutcome = { changed: number, };

export type BulkSelection = { ids?: Array<string>, filter?: TransactionListInput, };

export type BulkSelectionInput = { selection: BulkSelection, };

export type CategoryInput = { name: string, type: CategoryKind, };

export type CategoryKind = "income" | "expense";

export type CategoryMapping = { 
/**
 * The category name as written in the file.
 */
csvName: string, type: CategoryKind, target: MappingTarget, };

export type CategorySpendingView = { categoryId: string, name: string, amount: string, count: number, 
/**
 * Share of the period's total expense in basis points (1/100 of a percent);
 * the shares of one report add up to exactly 10000 (largest remainder).
 */
basisPoints: number, };

export type CategoryUsageView = { transactions: number, budgets: number, };

export type CategoryView = { id: string, name: string, type: CategoryKind, };

export type ChangePasswordInput = { currentPassword: string, newPassword: string, };

export type ClearMongoUriInput = { password: string | null, };

export type ConvertToTransferInput = { 
/**
 * The income or expense row.
 */
id: string, otherAccountId: string, confirmReconciled: boolean, };

export type CurrencyInput = { currency: string, };

export type CurrencyUsageView = { transactions: number, budgets: number, 
/**
 * Accounts with an opening balance or a reconciled statement.
 */
balances: number, schedules: number, 
/**
 * Rules with an amount condition.
 */
rules: number, canChange: boolean, };

export type Dashboard = { month: SummaryView, 
/**
 * Net worth and each account's balance.
 */
accounts: AccountsView, budgets: Array<BudgetView>, latest: Array<TransactionView>, };

export type DashboardInput = { date?: string, };

export type DateFormat = "YYYY-MM-DD" | "YYYY/MM/DD" | "DD/MM/YYYY" | "MM/DD/YYYY" | "DD.MM.YYYY" | "DD-MM-YYYY";

export type DayMonthOrderView = "month_first" | "day_first";

export type DecimalSeparator = "dot" | "comma";

export type DeleteAccountInput = { password: string, };

export type DeleteCategoryInput = { id: string, moveTo: string | null, };

export type DeleteTransactionInput = { id: string, 
/**
 * As for [`UpdateTransactionInput::confirm_reconciled`]. Deleting a
 * transfer's leg deletes the transfer.
 */
confirmReconciled?: boolean, };

export type DeleteTransferInput = { id: string, confirmReconciled: boolean, };

export type DescriptionFrequencyView = { description: string, count: number, total: string, };

export type EntryKind = "income" | "expense" | "transfer_out" | "transfer_in";

export type ErrorCode = "validation" | "not_found" | "conflict" | "unauthorized" | "forbidden" | "rate_limited" | "unavailable" | "internal" | "keyring_unavailable";

export type ExportCsvInput = { 
/**
 * The Transactions screen's filter (sort, limit and cursor are ignored); null = everything.
 */
filter: TransactionListInput | null, };

export type ExportCsvResult = { 
/**
 * Where the file was written; null when the person cancelled the save dialog.
 */
path: string | null, rows: number, };

export type FileIdInput = { fileId: string, };

export type ForecastDayView = { date: string, balance: string, };

export type ForecastInput = { accountId: string, 
/**
 * How many days ahead (90 when null; 1–366).
 */
days: number | null, };

export type FormSuggestionView = { source: SuggestionSource, ruleId: string | null, ruleName: string | null, categoryId: string | null, categoryName: string | null, description: string, note: string | null, 
/**
 * The learned row's amount (a rule suggests none).
 */
amount: string | null, type: CategoryKind | null, };

export type HouseholdView = { active: LedgerView, ledgers: Array<LedgerView>, members: Array<MemberRowView>, invitations: Array<InvitationView>, };

export type IdInput = { id: string, };

export type ImportCommitInput = { fileId: string, 
/**
 * The account the file belongs to; null = the default account.
 */
accountId: string | null, settings: ImportSettings, mappings: Array<CategoryMapping>, skipDuplicates: boolean, 
/**
 * Import the good rows and leave out the rows with errors (else a file
 * with an error is refused whole).
 */
skipErrors: boolean, 
/**
 * Made once per import commit (a UUID) and sent again on a retry: the
 * import then happens at most once.
 */
idempotencyKey: string | null, 
/**
 * As in the preview.
 */
qifDates: DayMonthOrderView | null, };

export type ImportFileView = { fileId: string, fileName: string, sizeBytes: number, encoding: TextEncoding, delimiter: string, header: Array<string> | null, 
/**
 * The first rows after the header, as read with the guessed delimiter
 * (long cells cut, ending in `…`).
 */
preview: Array<Array<string>>, guess: ImportSettings, 
/**
 * Set for a bank statement file: no columns to map (`encoding`,
 * `delimiter`, `header`, `preview` and `guess` are placeholders to send
 * back as they are).
 */
bank: BankFileView | null, };

export type ImportOpenPathInput = { path: string, };

export type ImportPreviewInput = { fileId: string, 
/**
 * The account the file belongs to; null = the default account.
 */
accountId: string | null, settings: ImportSettings, mappings: Array<CategoryMapping>, 
/**
 * A QIF file's order of day and month, once asked (a preview failed
 * with the field `date_order`).
 */
qifDates: DayMonthOrderView | null, };

export type ImportPreviewView = { 
/**
 * Data rows in the file (header excluded).
 */
total: number, 
/**
 * Rows that would be imported (duplicates included).
 */
ready: number, 
/**
 * Of `ready`, rows that look like transactions already stored.
 */
duplicates: number, 
/**
 * Rows with a problem (all of them; `errors` lists the first 200).
 */
errorCount: number, 
/**
 * The first 200 errors.
 */
errors: Array<LineErrorView>, 
/**
 * The first 200 category names that match none of the user's categories.
 */
unknownCategories: Array<UnknownCategoryView>, 
/**
 * All such names (`unknownCategories` lists the first 200).
 */
unknownCategoryCount: number, 
/**
 * The first 20 rows that would be imported, as they will be saved.
 */
sample: Array<PlannedRowView>, 
/**
 * A bank statement's ending balance beside the account after the import.
 */
statement: StatementCheckView | null, };

export type ImportProgress = { done: number, total: number, };

export type ImportSettings = { 
/**
 * One character: `,`, `;`, a tab, `|`.
 */
delimiter: string, hasHeader: boolean, date: number, amount: AmountColumns, description: number, category: number | null, note: number | null, 
/**
 * A type column (`income`/`expense`, `credit`/`debit`), as in this app's
 * export; with a single amount column it gives each row's kind.
 */
type: number | null, dateFormat: DateFormat, decimal: DecimalSeparator, 
/**
 * An account column: each row's cell names one of the user's accounts
 * (blank: the account chosen for the file). Guessed only for this app's export.
 */
account: number | null, 
/**
 * This app's export's transfer column (a transfer's reference on both legs).
 */
transfer: number | null, };

export type ImportSummaryView = { imported: number, skippedDuplicates: number, createdCategories: number, 
/**
 * Rows with errors left out (when the commit chose to skip them).
 */
skippedErrors: number, };

export type InvitationView = { ledgerId: string, ownerUsername: string, ownerName: string, role: RoleView, 
/**
 * RFC 3339.
 */
invitedAt: string, };

export type InviteMemberInput = { username: string, 
/**
 * `editor` or `viewer`.
 */
role: RoleView, };

export type LearnedSuggestionView = { description: string, categoryId: string, categoryName: string, type: CategoryKind, amount: string, date: string, };

export type LedgerIdInput = { ledgerId: string | null, };

export type LedgerView = { 
/**
 * The ledger's id (its owner's user id).
 */
id: string, ownerName: string, ownerUsername: string, 
/**
 * My role on it (`owner` for my own).
 */
role: RoleView, 
/**
 * Its amounts' currency (the owner's).
 */
currency: string, 
/**
 * True for my own ledger.
 */
own: boolean, };

export type LineErrorView = { 
/**
 * 1-based line in the file.
 */
line: number, field: string | null, reason: string, };

export type LoginInput = { username: string, password: string, };

export type MappingTarget = { "kind": "existing", id: string, } | { "kind": "create", name: string, };

export type MemberIdInput = { memberId: string, };

export type MemberRowView = { memberId: string, username: string, displayName: string, role: RoleView, 
/**
 * False while the invitation waits for an answer.
 */
active: boolean, 
/**
 * RFC 3339.
 */
invitedAt: string, };

export type MongoUriInput = { uri: string, 
/**
 * The user confirmed that a server reached without TLS is on their own network.
 */
ownNetwork: boolean, password: string | null, };

export type MonthTotalsView = { 
/**
 * `YYYY-MM`.
 */
month: string, income: string, expense: string, net: string, };

export type NetWorthMonthView = { 
/**
 * `YYYY-MM`.
 */
month: string, 
/**
 * Σ balances of asset accounts.
 */
assets: string, 
/**
 * Σ balances of liability accounts (normally negative: what is owed).
 */
liabilities: string, 
/**
 * `assets + liabilities`.
 */
net: string, };

export type NetWorthSeriesInput = { from: string, to: string, };

export type OccurrenceInput = { scheduleId: string, date: string, };

export type OccurrenceView = { schedule: ScheduleView, date: string, 
/**
 * Whether it is the schedule's next one (only that one can be posted or skipped).
 */
next: boolean, };

export type PauseScheduleInput = { id: string, paused: boolean, };

export type Period = "weekly" | "monthly" | "yearly";

export type PlannedRowView = { line: number, date: string, description: string, note: string | null, category: string, type: CategoryKind, 
/**
 * Signed: negative for a refund.
 */
amount: string, 
/**
 * Money that came back, saved as a refund in the expense category.
 */
refund: boolean, 
/**
 * The name of the account the row goes to.
 */
account: string, duplicate: boolean, 
/**
 * The rule that gave the row its category or description (a row the file gives no category).
 */
ruleId: string | null, ruleName: string | null, 
/**
 * The category was learned from the user's most recent row of this description.
 */
learned: boolean, };

export type PostDueView = { posted: Array<PostedScheduleView>, 
/**
 * Occurrences posted in all.
 */
totalPosted: number, 
/**
 * Due occurrences of remind-mode schedules (not posted).
 */
reminders: Array<OccurrenceView>, };

export type PostedScheduleView = { scheduleId: string, description: string, posted: number, 
/**
 * More were due than one call posts (1,000): call again.
 */
moreDue: boolean, };

export type Profile = { id: string, username: string, firstName: string, lastName: string, email: string, 
/**
 * The currency of the ledger in hand (amounts are shown in it).
 */
currency: string, currencyDigits: number, 
/**
 * The household ledger the person works in (their own after sign-in).
 */
ledger: LedgerView, };

export type ReconcileInput = { accountId: string, statementDate: string, 
/**
 * The statement's ending balance (signed decimal).
 */
statementBalance: string, ticked: Array<string>, };

export type ReconciledView = { accountId: string, statementDate: string, statementBalance: string, };

export type ReconciliationPreviewView = { 
/**
 * Cleared balance through the statement date, before the ticked rows.
 */
clearedBalance: string, 
/**
 * What the ticked rows add.
 */
ticked: string, 
/**
 * Cleared balance with the ticked rows: what it will be after finishing.
 */
clearedWithTicked: string, 
/**
 * Statement balance − (cleared + ticked); `"0.00"` means it can be finished.
 */
difference: string, balanced: boolean, };

export type ReconciliationRowsInput = { accountId: string, 
/**
 * The statement date (`YYYY-MM-DD`).
 */
through: string, };

export type ReconciliationRowsView = { rows: Array<TransactionView>, 
/**
 * More rows than one dialog lists: reconcile an earlier statement first.
 */
more: boolean, };

export type RegisterInput = { username: string, password: string, firstName: string, lastName: string, email: string, currency: string, };

export type RegisterRow = { 
/**
 * The account's balance just after this row (signed decimal).
 */
balance: string, id: string, accountId: string, 
/**
 * Empty for a transfer's leg.
 */
categoryId: string, categoryName: string, type: EntryKind, 
/**
 * Negative for a refund (an expense that came back).
 */
amount: string, date: string, description: string, note: string | null, status: TxStatus, 
/**
 * The transfer a leg belongs to (`getTransfer`).
 */
transferId: string | null, 
/**
 * For a transfer's leg: the other leg's account ("Transfer to/from …").
 * Filled by the list, register and get commands; null otherwise.
 */
transferAccountId: string | null, createdAt: string, updatedAt: string, };

export type RegisterSort = "date_desc" | "date_asc";

export type RemoveAccountInput = { id: string, 
/**
 * Another account to move the transactions to; blank or null: none.
 */
moveTo: string | null, 
/**
 * Delete the transactions with the account (and both legs of its
 * transfers) instead of moving them; not with `moveTo`.
 */
deleteTransactions?: boolean, };

export type RenameCategoryInput = { id: string, name: string, };

export type ReorderRulesInput = { ids: Array<string>, };

export type ReportInput = { from: string, to: string, 
/**
 * Only this account's rows, in every part of the report (absent, null or
 * blank: every account). Another user's account is `not_found`.
 */
accountId?: string, };

export type ReportView = { from: string, to: string, totalIncome: string, totalExpense: string, byCategory: Array<CategorySpendingView>, 
/**
 * The 12 months ending with `to`'s month, oldest first.
 */
monthly: Array<MonthTotalsView>, budgets: Array<BudgetActualView>, largest: Array<TransactionView>, frequent: Array<DescriptionFrequencyView>, };

export type RestoreFileView = { fileId: string, 
/**
 * The file's name, for display.
 */
name: string, 
/**
 * Encrypted: the restore needs the passphrase.
 */
encrypted: boolean, };

export type RestoreInput = { fileId: string, passphrase: string | null, };

export type RestoreResult = { 
/**
 * Every record written (accounts, categories, …, transactions).
 */
records: number, transactions: number, };

export type RoleView = "owner" | "editor" | "viewer";

export type RuleChangeView = { transactionId: string, date: string, amount: string, ruleName: string, description: string, newDescription: string, categoryName: string, newCategoryName: string, note: string | null, newNote: string | null, };

export type RuleInput = { 
/**
 * Blank: named after its description condition.
 */
name: string, enabled: boolean, descriptionMatch: TextMatch | null, descriptionText: string | null, 
/**
 * Decimal strings, inclusive; both the same for "equals".
 */
amountMin: string | null, amountMax: string | null, accountId: string | null, type: CategoryKind | null, categoryId: string | null, 
/**
 * The clean payee name the description becomes.
 */
rename: string | null, note: string | null, };

export type RuleView = { id: string, position: number, 
/**
 * The name of the category it sets ("" when it sets none).
 */
categoryName: string, 
/**
 * Blank: named after its description condition.
 */
name: string, enabled: boolean, descriptionMatch: TextMatch | null, descriptionText: string | null, 
/**
 * Decimal strings, inclusive; both the same for "equals".
 */
amountMin: string | null, amountMax: string | null, accountId: string | null, type: CategoryKind | null, categoryId: string | null, 
/**
 * The clean payee name the description becomes.
 */
rename: string | null, note: string | null, };

export type RulesApplicationView = { 
/**
 * Rows that change (at most 10,000 per apply).
 */
count: number, 
/**
 * The first 100 of them.
 */
rows: Array<RuleChangeView>, 
/**
 * Matching rows left as they are: transfer legs, reconciled rows, and
 * rows whose kind differs from the rule's category's.
 */
skippedTransfer: number, skippedReconciled: number, skippedKind: number, 
/**
 * More rows would change: apply again for the rest.
 */
more: boolean, 
/**
 * Rows written (0 for a preview).
 */
applied: number, };

export type ScheduleFields = { accountId: string, 
/**
 * Income or expense: the category. Null for a transfer.
 */
categoryId: string | null, 
/**
 * A transfer: the account the money goes to. Null otherwise.
 */
toAccountId: string | null, amount: string, description: string, note: string | null, 
/**
 * `daily`, `weekly`, `monthly` or `yearly`.
 */
frequency: string, 
/**
 * Every N days/weeks/months/years (1 when null).
 */
interval: number | null, 
/**
 * Weekly: `mon` … `sun` (null: the start date's weekday).
 */
weekday: string | null, 
/**
 * Monthly: `1` … `31` or `last` (null: the start date's day).
 */
monthDay: string | null, startDate: string, endDate: string | null, 
/**
 * How many times in all (not with `endDate`).
 */
count: number | null, 
/**
 * `post` (automatically when due) or `remind`.
 */
mode: string, };

export type ScheduleView = { id: string, paused: boolean, 
/**
 * The next occurrence not yet posted or skipped; null when it has ended.
 */
nextDate: string | null, 
/**
 * The last occurrence posted or skipped.
 */
handledThrough: string | null, accountId: string, 
/**
 * Income or expense: the category. Null for a transfer.
 */
categoryId: string | null, 
/**
 * A transfer: the account the money goes to. Null otherwise.
 */
toAccountId: string | null, amount: string, description: string, note: string | null, 
/**
 * `daily`, `weekly`, `monthly` or `yearly`.
 */
frequency: string, 
/**
 * Every N days/weeks/months/years (1 when null).
 */
interval: number | null, 
/**
 * Weekly: `mon` … `sun` (null: the start date's weekday).
 */
weekday: string | null, 
/**
 * Monthly: `1` … `31` or `last` (null: the start date's day).
 */
monthDay: string | null, startDate: string, endDate: string | null, 
/**
 * How many times in all (not with `endDate`).
 */
count: number | null, 
/**
 * `post` (automatically when due) or `remind`.
 */
mode: string, };

export type ServerCheckView = { 
/**
 * The address as it will be kept.
 */
url: string, 
/**
 * The server's version.
 */
version: string, 
/**
 * Calls are encrypted (https); plain http reaches only this computer.
 */
encrypted: boolean, 
/**
 * The SHA-256 fingerprint of its certificate (`AB:CD:…`; none over http).
 */
fingerprint: string | null, 
/**
 * A public authority vouches for the certificate for this address: no
 * fingerprint needs confirming.
 */
publiclyTrusted: boolean, };

export type ServerChoiceInput = { url: string, fingerprint: string | null, password: string | null, };

export type ServerUrlInput = { url: string, };

export type SetClearedInput = { accountId: string, ids: Array<string>, cleared: boolean, };

export type SetMemberRoleInput = { memberId: string, role: RoleView, };

export type SetRuleEnabledInput = { id: string, enabled: boolean, };

export type SignOutOutcome = { 
/**
 * The store confirmed the session ended. `false`: signed out on this
 * computer; the session will be ended on the server when it is reachable.
 */
sessionEnded: boolean, };

export type StartupState = { version: string, store: StoreInfo | null, user: Profile | null, mongoError: string | null, keyringError: string | null, 
/**
 * The configuration (`.env` or the environment) was refused: why, naming
 * the variable. Nothing else is set up; the app needs a restart once fixed.
 */
configError: string | null, 
/**
 * The MongoDB database in use holds more than one account: whoever has its
 * URI can read and write all of them (a notice, not an error).
 */
sharedDatabase: boolean, };

export type StatementCheckView = { date: string, 
/**
 * What the statement says.
 */
statementBalance: string, 
/**
 * What the account will show.
 */
afterImport: string, 
/**
 * `statementBalance − afterImport`; "0.00" when they agree.
 */
difference: string, 
/**
 * The two agree.
 */
agrees: boolean, };

export type StoreInfo = { kind: "sqlite" | "mongodb" | "server", location: string, 
/**
 * True when MongoDB is configured but the local store was chosen for now.
 */
fallback: boolean, 
/**
 * Where the installed app reads its `.env`.
 */
configDir: string, };

export type SuggestForInput = { description: string, 
/**
 * Blank or absent: not typed yet (an amount condition then does not hold).
 */
amount?: string, accountId?: string, type?: CategoryKind, };

export type SuggestInput = { prefix: string, };

export type SuggestionSource = "rule" | "learned";

export type SummaryInput = { from: string, to: string, };

export type SummaryView = { from: string, to: string, income: string, expense: string, net: string, count: number, };

export type TextEncoding = "UTF-8" | "Windows-1252";

export type TextMatch = "contains" | "startsWith" | "equals";

export type TransactionInput = { 
/**
 * Made once per form submission (a UUID) and sent again on a retry: the
 * add then happens at most once. 16–64 of `A–Z a–z 0–9 - _`.
 */
idempotencyKey: string | null, 
/**
 * Null or blank: the default account on an add, the transaction's own on an edit.
 */
accountId: string | null, categoryId: string, amount: string, date: string, description: string, note: string | null, };

export type TransactionListInput = { from: string | null, to: string | null, categoryIds: Array<string>, type: CategoryKind | null, text: string | null, minAmount: string | null, maxAmount: string | null, sort: TransactionSort | null, limit: number | null, cursor: string | null, 
/**
 * One account's rows only (absent or blank: every account).
 */
accountId?: string, };

export type TransactionPage = { items: Array<TransactionView>, nextCursor: string | null, };

export type TransactionSort = "date_desc" | "date_asc" | "amount_desc" | "amount_asc";

export type TransactionTotalsView = { income: string, expense: string, net: string, count: number, };

export type TransactionView = { id: string, accountId: string, 
/**
 * Empty for a transfer's leg.
 */
categoryId: string, categoryName: string, type: EntryKind, 
/**
 * Negative for a refund (an expense that came back).
 */
amount: string, date: string, description: string, note: string | null, status: TxStatus, 
/**
 * The transfer a leg belongs to (`getTransfer`).
 */
transferId: string | null, 
/**
 * For a transfer's leg: the other leg's account ("Transfer to/from …").
 * Filled by the list, register and get commands; null otherwise.
 */
transferAccountId: string | null, createdAt: string, updatedAt: string, };

export type TransferInput = { 
/**
 * As for transactions: one per form submission, sent again on a retry.
 */
idempotencyKey: string | null, fromAccountId: string, toAccountId: string, amount: string, date: string, description: string, note: string | null, };

export type TransferView = { id: string, fromAccountId: string, toAccountId: string, 
/**
 * The legs' own ids (rows of the registers).
 */
fromLegId: string, toLegId: string, amount: string, date: string, description: string, note: string | null, fromStatus: TxStatus, toStatus: TxStatus, };

export type TxStatus = "uncleared" | "cleared" | "reconciled";

export type UndoBulkDeleteInput = { undoToken: string, 
/**
 * One UUID per undo, sent again only on a retry: the rows come back at most once.
 */
idempotencyKey: string, };

export type UnknownCategoryView = { name: string, type: CategoryKind, };

export type UpcomingInput = { 
/**
 * How many days ahead (30 when null; 1–366).
 */
days: number | null, };

export type UpdateAccountInput = { id: string, name: string, type: AccountType, 
/**
 * Signed decimal in the user's currency (`"-250.00"`); blank is zero.
 */
openingBalance: string, openingDate: string, note: string | null, };

export type UpdateBudgetInput = { id: string, categoryId: string, limit: string, period: Period, };

export type UpdateRuleInput = { id: string, 
/**
 * Blank: named after its description condition.
 */
name: string, enabled: boolean, descriptionMatch: TextMatch | null, descriptionText: string | null, 
/**
 * Decimal strings, inclusive; both the same for "equals".
 */
amountMin: string | null, amountMax: string | null, accountId: string | null, type: CategoryKind | null, categoryId: string | null, 
/**
 * The clean payee name the description becomes.
 */
rename: string | null, note: string | null, };

export type UpdateScheduleInput = { id: string, accountId: string, 
/**
 * Income or expense: the category. Null for a transfer.
 */
categoryId: string | null, 
/**
 * A transfer: the account the money goes to. Null otherwise.
 */
toAccountId: string | null, amount: string, description: string, note: string | null, 
/**
 * `daily`, `weekly`, `monthly` or `yearly`.
 */
frequency: string, 
/**
 * Every N days/weeks/months/years (1 when null).
 */
interval: number | null, 
/**
 * Weekly: `mon` … `sun` (null: the start date's weekday).
 */
weekday: string | null, 
/**
 * Monthly: `1` … `31` or `last` (null: the start date's day).
 */
monthDay: string | null, startDate: string, endDate: string | null, 
/**
 * How many times in all (not with `endDate`).
 */
count: number | null, 
/**
 * `post` (automatically when due) or `remind`.
 */
mode: string, };

export type UpdateTransactionInput = { id: string, 
/**
 * The user confirmed changing a reconciled row (else such an edit is a
 * `conflict` on `status`, which the UI turns into the question).
 */
confirmReconciled?: boolean, 
/**
 * Null or blank: the default account on an add, the transaction's own on an edit.
 */
accountId: string | null, categoryId: string, amount: string, date: string, description: string, note: string | null, };

export type UpdateTransferInput = { 
/**
 * The transfer's id (`transferId` of its legs).
 */
id: string, confirmReconciled: boolean, fromAccountId: string, toAccountId: string, amount: string, date: string, description: string, note: string | null, };

/** Every ErrorCode, in the order of the Rust enum. */
export const ERROR_CODES: readonly ErrorCode[] = ["validation", "not_found", "conflict", "unauthorized", "forbidden", "rate_limited", "unavailable", "internal", "keyring_unavailable"];
