import { startApp } from "./app";
import { safeLocale } from "./lib/locale";

async function main(): Promise<void> {
  // Development only (`npm run dev:mock`): an in-memory backend so the UI runs in a plain browser.
  // The condition is a build-time constant, so production bundles contain none of it.
  if (import.meta.env.MODE === "mock") {
    const { installMockBackend } = await import("./dev/mock-backend");
    await installMockBackend();
  }
  const root = document.getElementById("app");
  if (!root) throw new Error("#app is missing from index.html");
  startApp({ root, locale: safeLocale([navigator.language, ...(navigator.languages ?? [])]) });
}

void main();
