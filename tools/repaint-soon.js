// Keeps a paint coming for ~2 s before a WebDriver screenshot (tools/webdriver.py, tests/e2e/).
// Without GPU compositing (the app's choice on a machine with no GPU, as under Xvfb:
// src-tauri/src/webview.rs) WebKitGTK answers a screenshot only after its next paint, which
// never comes on a page at rest. A 1 px, 1 % opaque mark in the bottom-right corner changes
// every 50 ms, then removes itself. CSSOM only (the app's CSP). An expression.
(() => {
  const m = document.createElement("div");
  Object.assign(m.style, { position: "fixed", right: "0", bottom: "0", width: "1px", height: "1px", pointerEvents: "none", zIndex: "2147483647", background: "rgba(0,0,0,0.01)" });
  document.body.append(m);
  let n = 0;
  const tick = () => {
    m.style.opacity = n % 2 ? "1" : "0.99";
    n += 1;
    if (n < 40) setTimeout(tick, 50);
    else m.remove();
  };
  tick();
  return true;
})()
