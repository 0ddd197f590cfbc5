// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { barWidth, budgetBar } from "./budget-bar";
import { h } from "./dom";
import { FormController, inputField } from "./form";
import { isTypingTarget, shortcutFor } from "./keyboard";
import { moneyFormatter } from "../lib/money";

describe("h()", () => {
  it("puts user data in as text, never as markup", () => {
    const el = h("p", { title: '"><img src=x onerror=alert(1)>' }, "<img src=x onerror=alert(1)>");
    expect(el.querySelector("img")).toBeNull();
    expect(el.textContent).toBe("<img src=x onerror=alert(1)>");
    expect(el.getAttribute("title")).toBe('"><img src=x onerror=alert(1)>');
  });
  it("drops false/null attributes and wires listeners", () => {
    let clicked = 0;
    const b = h("button", { disabled: false, hidden: null, "aria-pressed": "true", onclick: () => (clicked += 1) }, "x");
    expect(b.hasAttribute("disabled")).toBe(false);
    expect(b.getAttribute("aria-pressed")).toBe("true");
    b.click();
    expect(clicked).toBe(1);
  });
});

describe("shortcuts", () => {
  it("ignore keys typed into text controls, not buttons or checkboxes", () => {
    expect(isTypingTarget(h("input", { type: "text" }))).toBe(true);
    expect(isTypingTarget(h("input", { type: "search" }))).toBe(true);
    expect(isTypingTarget(h("textarea"))).toBe(true);
    expect(isTypingTarget(h("select"))).toBe(true);
    expect(isTypingTarget(h("input", { type: "checkbox" }))).toBe(false);
    expect(isTypingTarget(h("button"))).toBe(false);
  });
  it("map n, N and / only without modifiers", () => {
    const base = { ctrlKey: false, metaKey: false, altKey: false, defaultPrevented: false, isComposing: false, target: document.body };
    expect(shortcutFor({ ...base, key: "n" })).toBe("new-transaction");
    expect(shortcutFor({ ...base, key: "N" })).toBe("new-transaction");
    expect(shortcutFor({ ...base, key: "/" })).toBe("search");
    expect(shortcutFor({ ...base, key: "n", ctrlKey: true })).toBeNull();
    expect(shortcutFor({ ...base, key: "x" })).toBeNull();
    expect(shortcutFor({ ...base, key: "n", target: h("input") })).toBeNull();
  });
});

describe("budget bar", () => {
  it("caps the fill at 100% and exposes the real percent", () => {
    expect(barWidth(250)).toBe(100);
    expect(barWidth(-3)).toBe(0);
    expect(barWidth(Number.NaN)).toBe(0);
    const el = budgetBar(
      { id: "b1", categoryId: "c", categoryName: "Food", limit: "100.00", period: "weekly", periodStart: "2025-03-10", periodEnd: "2025-03-16", spent: "250.00", remaining: "-150.00", percent: 250, state: "over" },
      moneyFormatter("EUR", 2, "en-US"),
      "en-US",
    );
    const bar = el.querySelector<HTMLElement>("[role=progressbar]");
    expect(el.dataset["budgetState"]).toBe("over");
    expect(bar?.getAttribute("aria-valuenow")).toBe("250");
    expect(bar?.classList.contains("over")).toBe(true);
    expect(bar?.querySelector<HTMLElement>(".progress-fill")?.style.width).toBe("100%");
    expect(el.textContent).toContain("€150.00 over");
  });
});

describe("FormController", () => {
  it("puts field errors under the input and others in the form alert", () => {
    const amount = inputField({ name: "amount", label: "Amount" });
    const form = h("form", null, amount.wrapper, h("button", { type: "submit" }, "Save"));
    document.body.appendChild(form);
    const fc = new FormController(form);
    fc.showError({ code: "validation", message: "must be greater than zero", field: "amount", retryAfterSecs: null });
    expect(form.querySelector('[data-error-for="amount"]')?.textContent).toBe("Amount must be greater than zero.");
    expect(amount.control.getAttribute("aria-invalid")).toBe("true");
    expect(amount.control.getAttribute("aria-describedby")).toContain(amount.error.id);
    expect(document.activeElement).toBe(amount.control);
    fc.clear();
    fc.showError({ code: "validation", message: "is not valid", field: "cursor", retryAfterSecs: null });
    expect(fc.alert.textContent).toBe("Cursor is not valid.");
    expect(fc.alert.getAttribute("role")).toBe("alert");
    form.remove();
  });
});

describe("toasts", () => {
  it("keep at most MAX_VISIBLE notices, dropping the oldest plain one before an Undo", async () => {
    const { toast, MAX_VISIBLE } = await import("./toast");
    const undo = toast("Transaction deleted", { action: { id: "undo-test", label: "Undo", onClick: () => undefined } });
    const plain = [1, 2, 3, 4].map((i) => toast(`Saved ${i}`));
    const region = undo.el.parentElement;
    expect(region?.children.length).toBe(MAX_VISIBLE);
    expect(region?.contains(undo.el)).toBe(true);
    expect(region?.contains(plain[0]!.el)).toBe(false);
    expect(region?.contains(plain[3]!.el)).toBe(true);
  });
});
