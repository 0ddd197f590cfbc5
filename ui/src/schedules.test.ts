// @vitest-environment happy-dom
// Schedules in the whole app against the canned backend (src/dev/mock-backend.ts): due
// occurrences are posted after sign-in with a notice, the Schedules screen adds, pauses and deletes
// a schedule (the form sends the fields as typed), the Dashboard's Upcoming posts or skips a
// schedule's next occurrence, and "Repeat this…" opens the form pre-filled from a transaction.
import { afterEach, describe, expect, it, vi } from "vitest";
import { $, args, backend, boot, calls, fill, need, rowWith, setUp, signedInAt, submit, text, until } from "./dev/ui-harness";

vi.mock("@tauri-apps/api/core", async () => (await import("./dev/ui-harness")).tauriCore);
setUp(afterEach, (await import("./app")).startApp);
afterEach(() => localStorage.clear());

const toasts = (): string => Array.from(document.querySelectorAll(".toast")).map((t) => t.textContent ?? "").join(" | ");

async function addSchedule(description: string, values: Record<string, string> = {}): Promise<void> {
  (await need<HTMLButtonElement>("#new-schedule")).click();
  const form = await need<HTMLFormElement>("#schedule-form");
  fill(form, { amount: "850", description, startDate: "2025-03-31", monthDay: "31", ...values });
  submit(form);
  await until(() => rowWith(description), `the schedule ${description} is listed`);
}

describe("schedules", () => {
  it("posts what is due after sign-in and says how many", async () => {
    boot({ signedIn: true });
    backend.respondOnce("post_due_schedules", { value: { posted: [{ scheduleId: "s1", description: "Rent", posted: 3, moreDue: false }], totalPosted: 3, reminders: [] } });
    await need("#nav-dashboard");
    await until(() => toasts().includes("Posted 3 scheduled transactions"), "the notice");
    expect(calls("post_due_schedules"), "posted once at sign-in").toBe(1);
  });

  it("adds, pauses and deletes a schedule on the Schedules screen", async () => {
    await signedInAt("schedules");
    await until(() => text("#schedule-list").includes("No schedules yet"), "the empty list");
    await addSchedule("Flat rent");
    expect(args("add_schedule")?.["input"], "the fields as typed").toMatchObject({ amount: "850", description: "Flat rent", frequency: "monthly", monthDay: "31", startDate: "2025-03-31", mode: "post", toAccountId: null });
    expect(rowWith("Flat rent")?.textContent, "its rule and next date").toContain("Monthly on the 31st (or the month's last day)");
    rowWith("Flat rent")?.querySelector<HTMLButtonElement>("[data-action=pause]")?.click();
    await until(() => rowWith("Flat rent")?.textContent?.includes("Paused"), "paused");
    expect(args("set_schedule_paused")?.["input"]).toMatchObject({ paused: true });
    rowWith("Flat rent")?.querySelector<HTMLButtonElement>("[data-action=delete]")?.click();
    (await need<HTMLButtonElement>("#confirm-ok")).click();
    await until(() => !rowWith("Flat rent"), "deleted");
    expect(calls("delete_schedule")).toBe(1);
  });

  it("shows the server's field error in the form", async () => {
    await signedInAt("schedules");
    (await need<HTMLButtonElement>("#new-schedule")).click();
    const form = await need<HTMLFormElement>("#schedule-form");
    backend.respondOnce("add_schedule", { error: { code: "validation", message: "must be between 1 and 999", field: "interval", retryAfterSecs: null } });
    fill(form, { amount: "5", description: "Gym", interval: "1000" });
    submit(form);
    await until(() => form.querySelector("[data-error-for=interval]")?.textContent, "the interval's error");
  });

  it("posts or skips the next occurrence from the Dashboard", async () => {
    await signedInAt("schedules");
    await addSchedule("Water bill");
    (await need<HTMLButtonElement>("#nav-dashboard")).click();
    const post = await need<HTMLButtonElement>("#upcoming-list [data-action=post-now]");
    post.click();
    await until(() => calls("post_occurrence_now") === 1, "Post now");
    expect(args("post_occurrence_now")?.["input"]).toMatchObject({ date: "2025-03-31" });
    (await need<HTMLButtonElement>("#upcoming-list [data-action=skip]")).click();
    await until(() => calls("skip_occurrence") === 1, "Skip");
  });

  it("repeats a transaction as a schedule, pre-filled", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Big stock-up"), "rows");
    rowWith("Big stock-up")?.querySelector<HTMLButtonElement>("[data-action=edit]")?.click();
    (await need<HTMLButtonElement>("#transaction-repeat")).click();
    const form = await need<HTMLFormElement>("#schedule-form");
    expect(calls("schedule_from_transaction")).toBe(1);
    expect(form.querySelector<HTMLInputElement>("[name=description]")?.value).toBe("Big stock-up");
    expect($<HTMLSelectElement>("#schedule-form [name=frequency]")?.value).toBe("monthly");
  });

  it("shows an account's forecast from the Accounts screen, chart and table", async () => {
    await signedInAt("accounts");
    await need(".account-item");
    const main = Array.from(document.querySelectorAll<HTMLElement>(".account-item")).find((li) => li.textContent?.includes("Main account"));
    main?.querySelector<HTMLButtonElement>("[data-action=forecast]")?.click();
    await need("#forecast-table");
    expect(args("account_forecast")?.["input"]).toMatchObject({ accountId: main?.dataset["id"], days: 90 });
    expect($("#forecast-chart")?.getAttribute("role"), "the chart is an image with a summary").toBe("img");
  });
});
