//! Schedules on each store: a monthly schedule added through the Schedules
//! screen with a start date months in the past posts its due occurrences
//! once when the app starts (after sign-in, with a notice), and a second
//! start posts nothing more. The Dashboard lists what comes next.

use chrono::{Datelike, Local, Months, NaiveDate};

use super::*;

/// The 1st of the month three months before today, and how many 1sts are
/// due through today (that one, the two after it and this month's).
fn start_and_due() -> (NaiveDate, usize) {
    let today = Local::now().date_naive();
    let first = today.with_day(1).expect("a 1st");
    (first - Months::new(3), 4)
}

async fn schedules_journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "sam").await;

    // A monthly expense on the 1st, from three months ago.
    ui.click("#nav-schedules").await;
    ui.click("#new-schedule").await;
    ui.wait_css("#schedule-form").await;
    let (start, due) = start_and_due();
    ui.select("#schedule-form [name=categoryId]", "Rent").await;
    ui.fill("#schedule-form [name=amount]", "700").await;
    ui.fill("#schedule-form [name=description]", "Flat rent")
        .await;
    ui.select("#schedule-form [name=monthDay]", "1").await;
    ui.js(&format!(
        "(() => {{ const i = document.querySelector('#schedule-form [name=startDate]'); i.value = '{start}'; i.dispatchEvent(new Event('change')); return true; }})()"
    ))
    .await;
    ui.click("#schedule-submit").await;
    ui.wait_js(
        "the schedule is listed with its first date next",
        &format!("document.querySelector('#schedule-table tbody tr [data-next]')?.dataset.next === '{start}'"),
    )
    .await;

    // Nothing is posted until the app posts what is due at its start.
    ui.close().await;
    let ui = driver.launch().await;
    ui.wait_css("#nav-dashboard").await;
    ui.wait_js(
        "the start-up notice says what was posted",
        &format!("[...document.querySelectorAll('.toast')].some(t => t.textContent.includes('Posted {due} scheduled transactions'))"),
    )
    .await;
    ui.click("#nav-transactions").await;
    ui.wait_js(
        "the posted rows are listed",
        &format!(
            "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === {due}"
        ),
    )
    .await;
    ui.click("#nav-dashboard").await;
    ui.wait_js(
        "Upcoming lists next month's rent with Post now / Skip",
        "document.querySelector('#upcoming-list [data-action=post-now]') !== null",
    )
    .await;
    ui.click("#nav-schedules").await;
    ui.wait_css("#schedule-table").await;
    ui.screenshot(shots.as_deref(), "schedules").await;

    // A second start posts nothing more.
    ui.close().await;
    let ui = driver.launch().await;
    ui.wait_css("#nav-dashboard").await;
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    ui.wait_js(
        "still the same rows",
        &format!(
            "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === {due}"
        ),
    )
    .await;
    assert_eq!(
        ui.js(
            "[...document.querySelectorAll('.toast')].some(t => t.textContent.includes('Posted'))"
        )
        .await,
        json!(false),
        "no notice: nothing was posted again"
    );
    logout(&ui).await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedules_post_once_across_starts_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    schedules_journey(sqlite_env(data.path()), screenshot_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedules_post_once_across_starts_on_mongodb() {
    let _one = SERIAL.lock().await;
    let db = format!("e2e_schedules_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let (uri, env) = mongo_env(data.path(), &db);
    schedules_journey(env, None).await;
    drop_e2e_database(&uri, &db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedules_post_once_across_starts_on_a_server() {
    let _one = SERIAL.lock().await;
    on_a_server(|env| schedules_journey(env, None)).await;
}
