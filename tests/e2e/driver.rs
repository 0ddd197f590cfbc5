//! `tauri-driver` in its own process group, and a WebDriver session on the app with
//! small waiting/typing helpers.

use super::*;

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// `tauri-driver` (and the WebKitWebDriver it spawns) in its own process group.
pub(crate) struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub(crate) fn start(env: &[(&str, String)]) -> Driver {
        use std::os::unix::process::CommandExt;
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "e2e tests need an X display (./dev test runs them under Xvfb)"
        );
        let port = free_port();
        let native = free_port();
        let mut cmd =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()));
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd
            .spawn()
            .expect("tauri-driver must be installed (./dev setup puts it in .tools/bin)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not start listening"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, port }
    }

    pub(crate) async fn launch(&self) -> Ui {
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": env!("CARGO_BIN_EXE_finance-app") }
        });
        let caps = caps.as_object().cloned().expect("object");
        // tauri-driver accepts connections before its WebKitWebDriver listens; a
        // session request that early is dropped, so retry for a little while.
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{}", self.port))
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    eprintln!("WebDriver session not ready yet ({e}); retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("WebDriver session (the app) did not start: {e}"),
            }
        };
        let ui = Ui { c: client };
        ui.wait_css("body[data-ready='true']").await;
        ui
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Kill the whole group: killing only tauri-driver would orphan WebKitWebDriver.
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
        wait_for_the_instance_to_exit();
    }
}

/// The app is single-instance (its D-Bus name `<identifier>.SingleInstance`):
/// the next test's launch would hand over to a dying app and exit, so wait
/// until the name has no owner (at most 10 s; no bus, no wait).
fn wait_for_the_instance_to_exit() {
    let name = format!("string:{APP_ID}.SingleInstance");
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let owned = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                &name,
            ])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"));
        if !owned {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A WebDriver session on the app.
pub(crate) struct Ui {
    c: Client,
}

impl Ui {
    pub(crate) async fn wait_css(&self, css: &str) -> Element {
        match self
            .c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(el) => el,
            Err(e) => {
                self.failure_screenshot().await;
                panic!("waiting for {css}: {e} (see target/screenshots/failure.png)")
            }
        }
    }

    /// A WebDriver screenshot, after tools/repaint-soon.js: without GPU compositing (the app's
    /// choice on a machine with no GPU, as under Xvfb) WebKitGTK answers a screenshot only
    /// after its next paint, which never comes on a page at rest.
    pub(crate) async fn take_screenshot(&self) -> Result<Vec<u8>, fantoccini::error::CmdError> {
        let _ = self
            .c
            .execute(&format!("return ({REPAINT_SOON});"), vec![])
            .await;
        self.c.screenshot().await
    }

    /// Keep what the window showed when a step failed.
    pub(crate) async fn failure_screenshot(&self) {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots"));
        if let Ok(png) = self.take_screenshot().await {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join("failure.png"), png);
        }
    }

    /// Poll a JavaScript expression until it returns `true`.
    pub(crate) async fn wait_js(&self, what: &str, expr: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let v = self
                .c
                .execute(&format!("return !!({expr});"), vec![])
                .await
                .expect("script runs");
            if v == json!(true) {
                return;
            }
            if Instant::now() >= deadline {
                self.failure_screenshot().await;
                panic!(
                    "timed out waiting until {what} ({expr}); see target/screenshots/failure.png"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) async fn js(&self, expr: &str) -> serde_json::Value {
        self.c
            .execute(&format!("return ({expr});"), vec![])
            .await
            .expect("script runs")
    }

    /// Click `css` (waiting for it first). While something lies over it (a
    /// toast fading out, seen on MongoDB where answers come later),
    /// WebKitWebDriver refuses the click as intercepted — nothing was clicked —
    /// so it is tried again until [`WAIT`]; any other error fails the test.
    pub(crate) async fn click(&self, css: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            match self.wait_css(css).await.click().await {
                Ok(_) => return,
                Err(fantoccini::error::CmdError::Standard(w))
                    if w.error == fantoccini::error::ErrorStatus::ElementClickIntercepted
                        && Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("click {css}: {e}"),
            }
        }
    }

    pub(crate) async fn fill(&self, css: &str, text: &str) {
        let el = self.wait_css(css).await;
        el.clear()
            .await
            .unwrap_or_else(|e| panic!("clear {css}: {e}"));
        if !text.is_empty() {
            el.send_keys(text)
                .await
                .unwrap_or_else(|e| panic!("type into {css}: {e}"));
        }
    }

    /// Type `keys` (text and `fantoccini::key::Key`s, a modifier held to the
    /// end) into whatever has the focus, as a person at the keyboard would.
    pub(crate) async fn keys(&self, keys: &str) {
        self.c
            .active_element()
            .await
            .expect("an element has the focus")
            .send_keys(keys)
            .await
            .unwrap_or_else(|e| panic!("type {keys:?}: {e}"));
    }

    pub(crate) async fn select(&self, css: &str, label: &str) {
        self.wait_css(css)
            .await
            .select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("select {label} in {css}: {e}"));
    }

    pub(crate) async fn rows(&self) -> usize {
        self.js("document.querySelectorAll('#transactions-table tbody tr[data-id]').length")
            .await
            .as_u64()
            .unwrap_or(0) as usize
    }

    pub(crate) async fn screenshot(&self, dir: Option<&Path>, name: &str) {
        if let Some(dir) = dir {
            // Notices are transient: keep them out of the documentation shots.
            self.js("document.querySelectorAll('.toast').forEach(t => t.remove())")
                .await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let png = self.take_screenshot().await.expect("screenshot");
            std::fs::create_dir_all(dir).expect("screenshot dir");
            std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
        }
    }

    pub(crate) async fn close(self) {
        self.c
            .close()
            .await
            .expect("close the session (quits the app)");
    }
}
