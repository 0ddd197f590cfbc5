// Settings → a Finance server: how a checked server is trusted, and the light address check.
import { describe, expect, it } from "vitest";
import type { ServerCheckView } from "../ipc-types";
import { serverTrust, validateServerUrl } from "./settings-server";

const checked = (over: Partial<ServerCheckView>): ServerCheckView => ({
  url: "https://finance.example.org",
  version: "0.1.0",
  encrypted: true,
  fingerprint: "AB:CD",
  publiclyTrusted: false,
  ...over,
});

describe("a Finance server in Settings", () => {
  it("asks to confirm the fingerprint only when no authority vouches for an encrypted server", () => {
    expect(serverTrust(checked({}))).toBe("confirm-fingerprint");
    expect(serverTrust(checked({ publiclyTrusted: true }))).toBe("authority");
    expect(serverTrust(checked({ encrypted: false, fingerprint: null, url: "http://127.0.0.1:8080" }))).toBe("this-computer");
  });

  it("checks the address lightly before the Rust side decides", () => {
    expect(validateServerUrl("")).toBe("is required");
    expect(validateServerUrl("finance.example.org")).toBe("must start with https://");
    expect(validateServerUrl(" https://finance.example.org ")).toBeNull();
    expect(validateServerUrl("http://127.0.0.1:8080")).toBeNull();
  });
});
