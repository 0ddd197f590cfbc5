//! The import wizard through the real webview, and the Reports screen's totals after it.

use super::*;

/// CSV import through the real wizard, then the Reports screen's totals against the
/// fixture's hand-computed sums:
/// income 3 × 2500.00 + 120.00 = 7620.00; expense Jan 1179.05 + Feb 1102.60 + Mar 1071.30
/// = 3352.95; net 4267.05; Groceries 6 rows, 341.15; Rent 2700.00; Pets (new) 112.25.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_and_reports_on_sqlite() {
    let _one = SERIAL.lock().await;
    let shots = screenshot_dir();
    let data = tempfile::tempdir().unwrap();
    let mut env = base_env(data.path());
    env.push(("MONGODB_URI", String::new()));
    env.push(("FINANCE_E2E_IMPORT_DIR", fixture("")));
    Vault::new(APP_ID)
        .delete(vault::SESSION)
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "imogen").await;
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;

    // A file with a bad line: the line is reported, and importing means choosing to skip it.
    open_import(&ui, "import-bad.csv").await;
    assert_eq!(
        ui.js("[document.querySelector('#import-delimiter').value, document.querySelector('#import-decimal').value]").await,
        json!([";", "comma"]),
        "the guess prefills the settings"
    );
    // One of the two dates is impossible, so the format is not guessed: choose it.
    ui.select("#import-date-format", "DD.MM.YYYY").await;
    ui.click("#import-check").await;
    ui.wait_css("#import-errors li[data-line='3']").await;
    assert_eq!(
        ui.js("[document.querySelector('#import-commit').disabled, /^Import \\d+ good rows?, skip 1$/.test(document.querySelector('#import-commit').textContent), !!document.querySelector('#import-save-rejects')]")
            .await,
        json!([false, true, true]),
        "the import of the good rows says it skips the bad line, which can be saved to fix"
    );
    ui.click("#import-cancel").await;
    ui.wait_js(
        "the wizard closed",
        "!document.querySelector('#import-dialog')",
    )
    .await;

    // The good file: check, map the unknown category (create it), import.
    open_import(&ui, "import.csv").await;
    ui.wait_js(
        "the preview shows the file's rows",
        "document.querySelectorAll('#import-preview-table tbody tr').length === 10",
    )
    .await;
    assert_eq!(
        ui.js("[document.querySelector('#import-col-date').value, document.querySelector('#import-col-description').value, document.querySelector('#import-col-amount').value, document.querySelector('#import-col-category').value, document.querySelector('#import-has-header').checked]").await,
        json!(["0", "1", "2", "3", true]),
        "the guessed columns"
    );
    ui.click("#import-check").await;
    ui.wait_css("#import-counts").await;
    assert_eq!(
        ui.js("[...document.querySelectorAll('#import-counts li')].map(li => li.textContent)")
            .await,
        json!([
            "20 rows in the file",
            "20 ready to import",
            "0 look like transactions you already have",
            "0 rows with problems (not imported)"
        ])
    );
    assert_eq!(
        ui.js("[...document.querySelectorAll('[data-unknown-category]')].map(s => [s.dataset.unknownCategory, s.dataset.type, s.value])")
            .await,
        json!([["Pets", "expense", ""]]),
        "Pets is new; the default is to create it"
    );
    ui.wait_js(
        "the commit button counts the rows",
        "document.querySelector('#import-commit').textContent === 'Import 20 transactions' && !document.querySelector('#import-commit').disabled",
    )
    .await;
    ui.screenshot(shots.as_deref(), "import").await;
    assert_eq!(
        ui.rows().await,
        0,
        "nothing is saved before the confirmation"
    );
    ui.click("#import-commit").await;
    ui.wait_css("#import-summary").await;
    assert_eq!(
        ui.js("[document.querySelector('#import-summary').dataset.imported, document.querySelector('#import-summary').dataset.skipped, document.querySelector('#import-summary').dataset.created]").await,
        json!(["20", "0", "1"])
    );
    assert_eq!(
        ui.js("document.querySelector('#import-progress').getAttribute('aria-valuenow')")
            .await,
        json!("100")
    );
    ui.click("#import-done").await;
    ui.wait_js(
        "the imported rows are listed",
        "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 20",
    )
    .await;

    // Reports for January–March 2025.
    ui.click("#nav-reports").await;
    ui.wait_css("[data-screen='reports'] #report-body[aria-busy='false']")
        .await;
    ui.select("#report-period", "Custom…").await;
    ui.js("document.querySelector('#report-from').value = '2025-01-01', document.querySelector('#report-to').value = '2025-03-31'").await;
    ui.click("#report-apply").await;
    ui.wait_css("#report-body[data-loaded='2025-01-01..2025-03-31'][aria-busy='false']")
        .await;
    assert_eq!(
        ui.js("['#report-income', '#report-expense', '#report-net'].map(s => document.querySelector(s).dataset.amount)").await,
        json!(["7620.00", "3352.95", "4267.05"])
    );
    assert_eq!(digits_of(&ui, "#report-income").await, "762000");
    assert_eq!(digits_of(&ui, "#report-expense").await, "335295");
    assert_eq!(digits_of(&ui, "#report-net").await, "426705");
    let cats = ui
        .js("[...document.querySelectorAll('#report-categories tbody tr')].map(r => [r.cells[0].textContent, r.cells[1].textContent, r.cells[2].dataset.amount, r.cells[3].dataset.basisPoints])")
        .await;
    let cats = cats.as_array().expect("category rows").clone();
    assert_eq!(cats.len(), 8, "{cats:?}");
    assert_eq!(cats[0], json!(["Rent", "3", "2700.00", "8053"]));
    assert_eq!(cats[1], json!(["Groceries", "6", "341.15", "1017"]));
    assert_eq!(cats[2], json!(["Pets", "2", "112.25", "335"]));
    let share_sum: u64 = cats
        .iter()
        .map(|c| c[3].as_str().unwrap_or("0").parse::<u64>().unwrap_or(0))
        .sum();
    assert_eq!(share_sum, 10_000, "the shares add up to 100 %");
    assert_eq!(
        ui.js("[...document.querySelectorAll('#report-monthly tbody tr')].slice(-3).map(r => [r.dataset.month, ...[...r.querySelectorAll('[data-amount]')].map(c => c.dataset.amount)])").await,
        json!([
            ["2025-01", "2500.00", "1179.05", "1320.95"],
            ["2025-02", "2500.00", "1102.60", "1397.40"],
            ["2025-03", "2620.00", "1071.30", "1548.70"]
        ])
    );
    assert_eq!(
        ui.js("[...document.querySelectorAll('#report-frequent tbody tr')][0]?.textContent.startsWith('Supermarket6')").await,
        json!(true)
    );
    assert_eq!(
        ui.js("document.querySelector('#report-largest tbody tr [data-amount]')?.dataset.amount")
            .await,
        json!("900.00")
    );
    assert_eq!(
        ui.js("!!document.querySelector('#report-donut[role=img]')?.getAttribute('aria-label')?.includes('Rent')").await,
        json!(true),
        "the donut has a text summary"
    );
    ui.screenshot(shots.as_deref(), "reports").await;

    // A category row opens Transactions filtered to it and the period.
    ui.js("[...document.querySelectorAll('#report-categories tbody tr')].find(r => r.textContent.includes('Groceries')).querySelector('button').click()").await;
    ui.wait_css("[data-screen='transactions']").await;
    ui.wait_js(
        "only the six grocery rows of the period",
        "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 6 && document.querySelector('#filter-from').value === '2025-01-01' && document.querySelector('#filter-to').value === '2025-03-31'",
    )
    .await;
    assert_eq!(
        ui.js("document.querySelector('#export-csv').textContent")
            .await,
        json!("Export CSV")
    );

    // An empty period shows the empty state, not a broken chart.
    ui.click("#nav-reports").await;
    ui.select("#report-period", "Custom…").await;
    ui.js("document.querySelector('#report-from').value = '2020-01-01', document.querySelector('#report-to').value = '2020-01-31'").await;
    ui.click("#report-apply").await;
    ui.wait_css("#report-body[data-loaded='2020-01-01..2020-01-31'] #report-empty")
        .await;
    logout(&ui).await;
    ui.close().await;
}

/// Rows in the generated file of [`import_progress_events_arrive_during_a_large_import`].
const LARGE_IMPORT_ROWS: u64 = 10_000;

/// A large import reports its progress while it runs: the wizard receives
/// `import-progress` events (which needs `plugin:event|listen` in the applied
/// capability) and moves its bar before the import completes. The page records
/// every value the bar's `aria-valuetext` takes ("D of T rows"); the wizard sets
/// it to 0 of T at the start, to each event's values, and to 1 of 1 at the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_progress_events_arrive_during_a_large_import() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let large = files.path().join("large.csv");
    let mut csv = String::from("Date,Description,Amount,Category\n");
    for i in 0..LARGE_IMPORT_ROWS {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        csv.push_str(&format!(
            "2024-{month:02}-{day:02},Item {i},-{}.{:02},Groceries\n",
            1 + i % 50,
            i % 100
        ));
    }
    std::fs::write(&large, csv).expect("write the large CSV");
    let mut env = base_env(data.path());
    env.push(("MONGODB_URI", String::new()));
    env.push(("FINANCE_E2E_IMPORT_DIR", files.path().display().to_string()));
    Vault::new(APP_ID)
        .delete(vault::SESSION)
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "percy").await;
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    open_import_path(&ui, &large.display().to_string()).await;
    ui.click("#import-check").await;
    ui.wait_css("#import-counts").await;
    ui.wait_js(
        "the commit button is enabled",
        "!document.querySelector('#import-commit').disabled",
    )
    .await;
    ui.js(
        "(window.__progressSeen = [], new MutationObserver(ms => ms.forEach(m => window.__progressSeen.push(m.oldValue)))\
         .observe(document.querySelector('#import-progress'), { attributes: true, attributeFilter: ['aria-valuetext'], attributeOldValue: true }), true)",
    )
    .await;
    ui.click("#import-commit").await;
    ui.wait_css("#import-summary").await;
    assert_eq!(
        ui.js("document.querySelector('#import-summary').dataset.imported")
            .await,
        json!(LARGE_IMPORT_ROWS.to_string())
    );
    // Every value the bar held, in order: the old value of each change, then the last one.
    let seen = ui
        .js("[...window.__progressSeen, document.querySelector('#import-progress').getAttribute('aria-valuetext')]")
        .await;
    let seen: Vec<(u64, u64)> = seen
        .as_array()
        .expect("recorded values")
        .iter()
        .filter_map(|v| {
            let text = v.as_str()?;
            let (done, rest) = text.split_once(" of ")?;
            let total = rest.strip_suffix(" rows")?;
            Some((done.parse().ok()?, total.parse().ok()?))
        })
        .collect();
    let finished = seen
        .iter()
        .position(|&p| p == (1, 1))
        .unwrap_or_else(|| panic!("the bar ends at 1 of 1: {seen:?}"));
    let during: Vec<_> = seen[..finished]
        .iter()
        .filter(|&&(done, total)| total == LARGE_IMPORT_ROWS && done > 0 && done < total)
        .collect();
    assert!(
        during.len() > 1,
        "more than one progress event with done < total arrived before the import completed: {seen:?}"
    );
    ui.click("#import-done").await;
    logout(&ui).await;
    ui.close().await;
}
