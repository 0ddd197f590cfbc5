/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

// Tauri v2 expects a fixed dev port (devUrl http://localhost:1420) and `ui/dist` as frontendDist.
export default defineConfig({
  root,
  clearScreen: false,
  envPrefix: ["VITE_", "TAURI_"],
  server: {
    port: 1420,
    strictPort: true,
    host: process.env["TAURI_DEV_HOST"] || false,
    watch: { ignored: ["**/src-tauri/**", "**/target/**"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: ["es2022", "safari15"],
    sourcemap: false,
    minify: true,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
    restoreMocks: true,
  },
});
