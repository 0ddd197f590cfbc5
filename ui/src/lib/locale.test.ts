import { describe, expect, it } from "vitest";
import { safeLocale } from "./locale";

describe("safeLocale", () => {
  it("keeps valid language tags", () => {
    expect(safeLocale(["de-DE"])).toBe("de-DE");
    expect(safeLocale(["en-us"])).toBe("en-US");
  });

  it("turns POSIX locale names into tags", () => {
    expect(safeLocale(["fr_FR.UTF-8"])).toBe("fr-FR");
    expect(safeLocale(["de_DE.UTF-8@euro"])).toBe("de-DE");
  });

  it("skips names Intl rejects and falls back to the runtime default", () => {
    expect(safeLocale(["C"])).toBeUndefined();
    expect(safeLocale(["C.UTF-8", "POSIX", ""])).toBeUndefined();
    expect(safeLocale(["C", "nl-BE"])).toBe("nl-BE");
    expect(safeLocale(["not a tag!"])).toBeUndefined();
    expect(() => new Intl.NumberFormat(safeLocale(["C"]), { style: "currency", currency: "EUR" })).not.toThrow();
  });
});
