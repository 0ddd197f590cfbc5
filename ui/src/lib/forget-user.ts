// What this computer keeps about one user outside the store: the webview's localStorage entries
// named `finance.<what>.<userId>` (the last account used, the number and date formats). When the
// user deletes their account, these go too, so nothing of theirs is left behind on the computer.

/** The part of `Storage` that clearing needs (localStorage in the app). */
export type ForgettableStore = Pick<Storage, "length" | "key" | "removeItem">;

/** Remove every per-user entry of `userId`; answers how many went. Other users' entries and
 *  per-computer ones (`finance.transactions.filtersCollapsed`) stay. Never throws. */
export function forgetUserOnThisComputer(store: ForgettableStore | null, userId: string): number {
  if (!store || userId === "") return 0;
  try {
    const suffix = `.${userId}`;
    const mine: string[] = [];
    for (let i = 0; i < store.length; i++) {
      const k = store.key(i);
      if (k !== null && k.startsWith("finance.") && k.endsWith(suffix)) mine.push(k);
    }
    for (const k of mine) store.removeItem(k);
    return mine.length;
  } catch {
    return 0; // storage disabled: nothing was kept either
  }
}
