//! How the webview draws: with or without WebKit's GPU (OpenGL) compositing.
//!
//! WebKitGTK composites every page with OpenGL by default. On a machine without a GPU
//! render node (a virtual machine, a remote desktop, Xvfb) Mesa answers with software GL
//! (llvmpipe), and there compositing costs far more than it saves: measured with
//! `tools/latency.py` under Xvfb (BENCHMARKS.md, In-app latency), a screen change spent
//! ~35-50 ms painting its frame composited against ~10 ms without, and the app with its
//! WebKit processes used ~80 MiB more PSS after a tour of the screens.
//!
//! Invariants: without a render node (`/dev/dri/renderD*`) the webview's hardware
//! acceleration policy is `Never` (WebKit paints on the CPU, uncomposited); with one,
//! WebKit's default is left alone. `FINANCE_WEBVIEW_GPU=on|off` overrides the choice
//! (to measure both ways on one machine); any other value is ignored. Nothing else about
//! the webview changes.

use std::path::Path;

/// What to do with WebKit's hardware acceleration policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceleration {
    /// Leave WebKit's default (GPU compositing).
    Default,
    /// Turn it off: software painting without compositing.
    Off,
}

/// The rule: `FINANCE_WEBVIEW_GPU` (`on`/`off`) wins; otherwise off exactly when there
/// is no GPU render node.
pub fn choose(setting: Option<&str>, has_render_node: bool) -> Acceleration {
    match setting.map(str::trim) {
        Some("on") => Acceleration::Default,
        Some("off") => Acceleration::Off,
        _ if has_render_node => Acceleration::Default,
        _ => Acceleration::Off,
    }
}

/// Whether `dir` (normally `/dev/dri`) holds a DRM render node (`renderD128`, …).
pub fn has_render_node(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

/// Apply the choice to `window`'s webview (Linux: WebKitGTK; elsewhere nothing to do).
pub fn configure<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    let setting = std::env::var("FINANCE_WEBVIEW_GPU").ok();
    let choice = choose(setting.as_deref(), has_render_node(Path::new("/dev/dri")));
    tracing::info!(?choice, "webview hardware acceleration");
    if choice == Acceleration::Off {
        turn_off(window);
    }
}

#[cfg(target_os = "linux")]
fn turn_off<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    let result = window.with_webview(|webview| {
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    if let Err(e) = result {
        tracing::warn!(error = %e, "could not set the webview's hardware acceleration policy");
    }
}

#[cfg(not(target_os = "linux"))]
fn turn_off<R: tauri::Runtime>(_window: &tauri::WebviewWindow<R>) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_without_a_render_node_unless_asked_for() {
        assert_eq!(
            choose(None, false),
            Acceleration::Off,
            "no GPU: software GL composites slower than none"
        );
        assert_eq!(
            choose(None, true),
            Acceleration::Default,
            "a GPU: WebKit's default stays"
        );
        assert_eq!(
            choose(Some("on"), false),
            Acceleration::Default,
            "the override turns compositing back on"
        );
        assert_eq!(
            choose(Some("off"), true),
            Acceleration::Off,
            "the override turns it off on a GPU too"
        );
        assert_eq!(
            choose(Some("maybe"), true),
            Acceleration::Default,
            "an unknown value is ignored"
        );
        assert_eq!(
            choose(Some(" off "), true),
            Acceleration::Off,
            "surrounding blanks are ignored"
        );
    }

    #[test]
    fn a_render_node_is_a_renderd_entry() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(
            !has_render_node(dir.path()),
            "an empty directory has no render node"
        );
        assert!(
            !has_render_node(&dir.path().join("missing")),
            "a missing directory has none"
        );
        std::fs::write(dir.path().join("card0"), b"").expect("card0");
        assert!(
            !has_render_node(dir.path()),
            "a card node alone is not a render node"
        );
        std::fs::write(dir.path().join("renderD128"), b"").expect("renderD128");
        assert!(has_render_node(dir.path()), "renderD128 is a render node");
    }
}
