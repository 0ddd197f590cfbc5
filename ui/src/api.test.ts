import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

const { api, COMMANDS, onUnauthorized } = await import("./api");
const { MockBackend } = await import("./dev/mock-backend");

beforeEach(() => {
  invoke.mockReset();
  onUnauthorized(null);
});

describe("api", () => {
  it("passes the single argument as `input` and nothing for no-argument commands", async () => {
    invoke.mockResolvedValue({ items: [], nextCursor: null });
    const input = { from: null, to: null, categoryIds: [], type: null, text: "rent", minAmount: null, maxAmount: null, sort: null, limit: 50, cursor: null };
    await api.listTransactions(input);
    expect(invoke).toHaveBeenLastCalledWith("list_transactions", { input });
    invoke.mockResolvedValue(null);
    await api.logout();
    expect(invoke).toHaveBeenLastCalledWith("logout");
    await api.deleteCategory({ id: "c1", moveTo: "c2" });
    expect(invoke).toHaveBeenLastCalledWith("delete_category", { input: { id: "c1", moveTo: "c2" } });
  });

  it("uses the snake_case command names of the contract", async () => {
    invoke.mockResolvedValue(null);
    await api.retryMongo();
    await api.useLocalStore();
    await api.setMongodbUri({ uri: "mongodb://x", ownNetwork: false, password: "p" });
    await api.clearMongodbUri({ password: "p" });
    await api.openConfigDir();
    await api.changePassword({ currentPassword: "a", newPassword: "b" });
    await api.categoryUsage({ id: "c" });
    expect(invoke.mock.calls.map((c) => c[0])).toEqual([
      "retry_mongo", "use_local_store", "set_mongodb_uri", "clear_mongodb_uri", "open_config_dir", "change_password", "category_usage",
    ]);
  });

  it("rejects with an ApiError, normalising anything else to internal", async () => {
    invoke.mockRejectedValueOnce({ code: "validation", message: "is required", field: "amount", retryAfterSecs: null });
    await expect(api.addTransaction({ accountId: null, categoryId: "c", amount: "", date: "2025-01-01", description: "x", note: null, idempotencyKey: null })).rejects.toEqual({
      code: "validation", message: "is required", field: "amount", retryAfterSecs: null,
    });
    invoke.mockRejectedValueOnce("Command add_budget not found");
    await expect(api.addBudget({ categoryId: "c", limit: "1", period: "monthly" })).rejects.toMatchObject({ code: "internal", message: "Command add_budget not found" });
  });

  it("reports an ended session, but not refused credentials at sign-in", async () => {
    const handler = vi.fn();
    onUnauthorized(handler);
    const unauthorized = { code: "unauthorized", message: "please sign in", field: null, retryAfterSecs: null };
    invoke.mockRejectedValueOnce(unauthorized);
    await expect(api.login({ username: "a", password: "b" })).rejects.toMatchObject({ code: "unauthorized" });
    expect(handler).not.toHaveBeenCalled();
    invoke.mockRejectedValueOnce(unauthorized);
    await expect(api.listBudgets({})).rejects.toMatchObject({ code: "unauthorized" });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0]?.[1]).toBe("list_budgets");
  });

  it("has one wrapper per command of the Rust list, named in camelCase", () => {
    const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const wrappers = Object.keys(api).filter((k) => !k.startsWith("on"));
    expect(wrappers.sort()).toEqual(COMMANDS.map(camel).sort());
  });
});

describe("the dev mock backend", () => {
  // Commands the mock does not answer yet (it says "unknown command"): listed so a new
  // command cannot be forgotten there silently. Remove a name once the mock handles it.
  const NOT_MOCKED: readonly string[] = [
    "import_open_path", "import_preview", "import_save_rejects", "import_commit",
    // The mock opens no backup file and has no other store to copy to.
    "restore_backup", "copy_to_mongodb", "copy_to_this_computer",
  ];

  it("knows every command of the contract", () => {
    const unknown = COMMANDS.filter((cmd) => {
      try {
        new MockBackend().handle(cmd, { input: {} });
        return false;
      } catch (e) {
        return (e as { message?: unknown }).message === `unknown command ${cmd}`;
      }
    });
    expect(unknown).toEqual(NOT_MOCKED);
  });
});
