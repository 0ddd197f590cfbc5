//! The app is single-instance: a second launch hands over to the first (over
//! the D-Bus session bus on Linux) and exits with success, and the first
//! stays and is told to come to the front.
//!
//! Process-level: the test builds an app (mock runtime) with the app's own
//! `finance_app::single_instance` plugin under a unique instance name, then
//! runs this test binary again as a second instance with the same name. Needs
//! a D-Bus session bus (`./dev test` runs the tests inside one); without a bus
//! the plugin lets every launch start, and this test fails.

use std::process::Command;
use std::time::{Duration, Instant};

use tauri::test::{mock_builder, mock_context, noop_assets};

const CHILD: &str = "FINANCE_TEST_SECOND_INSTANCE";
const STILL_RUNNING: &str = "second instance kept running";

fn launch(id: &str) -> tauri::App<tauri::test::MockRuntime> {
    let app = mock_builder()
        .plugin(finance_app::single_instance(Some(id.to_string())))
        .build(mock_context(noop_assets()))
        .expect("mock app builds");
    tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock window");
    app
}

#[test]
fn a_second_launch_exits_and_the_first_stays() {
    if let Ok(id) = std::env::var(CHILD) {
        // The second instance: the plugin's set-up hands over and exits(0).
        let _app = launch(&id);
        println!("{STILL_RUNNING}");
        std::process::exit(3);
    }
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "needs a D-Bus session bus (./dev test provides one)"
    );
    let id = format!(
        "app.financemanager.test.si{}x{}",
        std::process::id(),
        finance_core::Id::generate()
    );
    let _first = launch(&id);
    assert_eq!(finance_app::second_launches(), 0);

    let second = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "a_second_launch_exits_and_the_first_stays",
            "--nocapture",
        ])
        .env(CHILD, &id)
        .output()
        .expect("second instance runs");
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        !stdout.contains(STILL_RUNNING),
        "the second instance must not start: {stdout}"
    );
    assert!(
        second.status.success(),
        "the second instance hands over and exits with success: {:?}\n{}",
        second.status,
        String::from_utf8_lossy(&second.stderr)
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while finance_app::second_launches() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        finance_app::second_launches(),
        1,
        "the first instance was told about the second launch (and shows its window)"
    );
}
