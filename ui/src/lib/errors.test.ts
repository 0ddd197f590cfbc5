import { describe, expect, it } from "vitest";
import { describeError, fieldMessage, humanDuration, isApiError, normaliseFieldName, placeError, toApiError } from "./errors";
import type { ApiError } from "../ipc-types";

const err = (over: Partial<ApiError>): ApiError => ({ code: "validation", message: "is required", field: null, retryAfterSecs: null, ...over });

describe("toApiError", () => {
  it("keeps a well-formed ApiError and fills absent optional members", () => {
    expect(toApiError(err({ field: "amount" }))).toEqual(err({ field: "amount" }));
    expect(toApiError({ code: "not_found", message: "transaction not found" })).toEqual({
      code: "not_found", message: "transaction not found", field: null, retryAfterSecs: null,
    });
  });
  it("turns strings, Errors and odd shapes into internal errors", () => {
    expect(toApiError("command foo not found")).toMatchObject({ code: "internal", message: "command foo not found" });
    expect(toApiError(new TypeError("window.__TAURI_INTERNALS__ is undefined"))).toMatchObject({ code: "internal" });
    expect(toApiError({ code: "teapot", message: "short and stout" })).toMatchObject({ code: "internal", message: "short and stout" });
    expect(toApiError(undefined)).toMatchObject({ code: "internal", message: "Something went wrong." });
    expect(toApiError({ code: "validation", message: 5 })).toMatchObject({ code: "internal" });
  });
  it("parses an ApiError sent as a JSON string", () => {
    const json = JSON.stringify(err({ code: "conflict", field: "username", message: "that username is taken" }));
    expect(toApiError(json)).toMatchObject({ code: "conflict", field: "username" });
  });
  it("recognises the shape strictly", () => {
    expect(isApiError({ code: "validation", message: "x", field: 3, retryAfterSecs: null })).toBe(false);
    expect(isApiError(null)).toBe(false);
  });
});

describe("field mapping", () => {
  it("normalises server field spellings to input names", () => {
    expect(normaliseFieldName("category_id")).toBe("categoryId");
    expect(normaliseFieldName("input.moveTo")).toBe("moveTo");
    expect(normaliseFieldName("MinAmount")).toBe("minAmount");
    expect(normaliseFieldName("current_password")).toBe("currentPassword");
  });
  it("places an error under the input the form has, with its label", () => {
    const labels = { amount: "Amount", categoryId: "Category", description: "Description" };
    expect(placeError(err({ field: "amount", message: "must be greater than zero" }), labels)).toEqual({
      field: "amount", message: "Amount must be greater than zero.",
    });
    expect(placeError(err({ field: "category_id", message: "is required" }), labels)).toEqual({
      field: "categoryId", message: "Category is required.",
    });
  });
  it("falls back to the form alert when the form lacks the field or there is none", () => {
    const labels = { username: "Username", password: "Password" };
    expect(placeError(err({ field: "cursor", message: "is not valid" }), labels)).toEqual({ field: null, message: "Cursor is not valid." });
    expect(placeError(err({ code: "unauthorized", message: "wrong username or password" }), labels)).toEqual({
      field: null, message: "Wrong username or password.",
    });
  });
});

describe("messages", () => {
  it("does not repeat the field name or prefix messages that stand alone", () => {
    expect(fieldMessage("Amount", "amount is required", "amount")).toBe("Amount is required.");
    expect(fieldMessage("Amount", "EUR allows at most 2 decimal places", "amount")).toBe("EUR allows at most 2 decimal places.");
    expect(fieldMessage("Email", "", "email")).toBe("Email is invalid.");
  });
  it("shows the rate-limit message, or builds one from retryAfterSecs", () => {
    expect(describeError(err({ code: "rate_limited", message: "too many failed attempts; try again in 5 minutes", retryAfterSecs: 300 }))).toBe(
      "Too many failed attempts; try again in 5 minutes.",
    );
    expect(describeError(err({ code: "rate_limited", message: "", retryAfterSecs: 61 }))).toBe("Too many attempts; try again in 2 minutes.");
    expect(humanDuration(1)).toBe("1 second");
    expect(humanDuration(7200)).toBe("2 hours");
  });
});
