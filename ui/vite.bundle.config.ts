// The UI as one classic script (IIFE, no chunks) for `tools/latency.py --ui`: a
// diagnosis that runs a rebuilt UI inside the already-built release app, to measure a UI change
// without the app's fat-LTO rebuild. Not what ships (that is vite.config.ts → ui/dist).
//   npm --prefix ui exec -- vite build --config vite.bundle.config.ts   # → target/ui-bundle/app.js
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("../target/ui-bundle", import.meta.url)),
    emptyOutDir: true,
    target: ["es2022", "safari15"],
    minify: true,
    copyPublicDir: false,
    rollupOptions: {
      input: fileURLToPath(new URL("src/main.ts", import.meta.url)),
      output: { format: "iife", entryFileNames: "app.js" },
    },
  },
});
