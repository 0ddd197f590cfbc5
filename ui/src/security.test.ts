// @vitest-environment happy-dom
// What the UI shows for the security checks the Rust side makes (against the canned backend,
// which enforces nothing: refusals are queued): a refused configuration, a shared MongoDB
// database, a sign-out the server has not confirmed, and changing the MongoDB URI.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MockOptions } from "./dev/mock-backend";
import { validateMongoUri } from "./screens/settings";
import { $, args, backend, boot, fill, need, refuse, setUp, submit, text, until } from "./dev/ui-harness";

vi.mock("@tauri-apps/api/core", async () => (await import("./dev/ui-harness")).tauriCore);
setUp(afterEach, (await import("./app")).startApp);

async function settings(opts: MockOptions = {}): Promise<HTMLFormElement> {
  boot({ signedIn: true, ...opts });
  (await need<HTMLButtonElement>("#nav-settings")).click();
  return need<HTMLFormElement>("#mongo-form");
}

describe("a refused configuration", () => {
  it("is shown instead of a blank window or a sign-in form", async () => {
    boot({ configError: "FINANCE_JWT_SECRET is 14 bytes long; it must be at least 32 bytes (256 bits)." });
    await need("#config-error");
    expect(text("#config-error-detail"), "the message names the variable").toContain("FINANCE_JWT_SECRET");
    expect($("#login-form"), "nothing to sign in to").toBeNull();
    expect(document.body.dataset["ready"], "a first screen like any other").toBe("true");
  });
});

describe("a shared MongoDB database", () => {
  it("is a notice on the sign-in screen and in Settings, not an error", async () => {
    boot({ sharedDatabase: true });
    await need("#login-form");
    expect(text("#shared-database"), "the sign-in screen warns").toMatch(/other people's accounts/);
    stop?.();
    await settings({ sharedDatabase: true });
    expect(text("#shared-database"), "Settings warns too").toMatch(/the database does not/);
  });

  it("is not mentioned otherwise", async () => {
    await settings();
    expect($("#shared-database")).toBeNull();
  });
});

describe("sign-out", () => {
  it("says when the server has not ended the session yet", async () => {
    boot({ signedIn: true });
    (await need<HTMLButtonElement>("#nav-settings")).click();
    backend.respondOnce("logout", { value: { sessionEnded: false } });
    (await need<HTMLButtonElement>("#logout")).click();
    await need("#login-form");
    expect(text("#auth-notice")).toBe("Signed out on this computer; the session will be ended on the server when it is reachable.");
  });
});

describe("changing the MongoDB URI", () => {
  it("checks what it can before asking the server", () => {
    expect(validateMongoUri("mongodb+srv://u:p@c.example.net/?tlsInsecure=true")).toMatch(/certificate checks off \(tlsInsecure=true\)/);
    expect(validateMongoUri("mongodb://h/?tls=true&TLSALLOWINVALIDCERTIFICATES=true")).toMatch(/certificate checks off/);
    expect(validateMongoUri("mongodb://h/?tlsInsecure=false")).toBeNull();
    expect(validateMongoUri("http://h")).toMatch(/must start/);
  });

  it("needs the password, sends the own-network choice, then signs out", async () => {
    const form = await settings();
    fill(form, { uri: "mongodb://192.168.1.20:27017" });
    submit(form);
    await until(() => text('[data-error-for="password"]'), "password problem");
    expect(text('[data-error-for="password"]'), "the password is asked for").toMatch(/required/);
    expect(args("set_mongodb_uri"), "nothing sent without it").toBeUndefined();

    refuse("set_mongodb_uri", "validation", "connects without TLS to a server on another computer", "uri");
    fill(form, { password: "tulip-river-93" });
    submit(form);
    await until(() => text('[data-error-for="uri"]'), "uri problem");
    expect(text('[data-error-for="uri"]'), "the server's refusal is under the URI").toMatch(/without TLS/);
    expect(form.querySelector<HTMLInputElement>("[name=password]")?.value, "the password is cleared after a refusal").toBe("");

    form.querySelector<HTMLInputElement>("#mongo-own-network")?.click();
    fill(form, { password: "tulip-river-93" });
    submit(form);
    await need("#login-form");
    expect(args("set_mongodb_uri"), "the confirmation and the password are sent").toEqual({
      input: { uri: "mongodb://192.168.1.20:27017", ownNetwork: true, password: "tulip-river-93" },
    });
    expect(text("#auth-notice")).toMatch(/URI is saved\. Restart the app to use it\. You have been signed out\./);
  });

  it("going back to the local store needs the password too", async () => {
    const form = await settings();
    (await need<HTMLButtonElement>("#clear-mongo-uri")).click();
    await until(() => text('[data-error-for="password"]'), "password problem");
    expect(args("clear_mongodb_uri")).toBeUndefined();
    fill(form, { password: "tulip-river-93" });
    backend.respondOnce("clear_mongodb_uri", { value: { sessionEnded: false } });
    (await need<HTMLButtonElement>("#clear-mongo-uri")).click();
    await need("#login-form");
    expect(args("clear_mongodb_uri")).toEqual({ input: { password: "tulip-river-93" } });
    expect(text("#auth-notice")).toMatch(/local store will be used\. .*will be ended on the server when it is reachable/);
  });
});
