// The reconcile dialog's ticks. A row the server already has as cleared is checked from the start
// (its tick is kept: unticking it sends `set_cleared(false)` at once); an uncleared row ticked in the
// dialog is only local until the dialog finishes or saves ("ticked" in `reconciliation_preview` /
// `finish_reconciliation`). When the statement date changes the rows are fetched again and ticks
// of rows no longer listed are dropped, so the dialog never sends a row dated after the statement.
import type { TransactionView } from "../ipc-types";

type Row = Pick<TransactionView, "id" | "status">;

/** What a click on a row's box does. */
export type TickChange = "tick" | "untick" | "unclear";

export class Ticks {
  private readonly local = new Set<string>();

  /** Whether the row's box is checked. */
  checked(row: Row): boolean {
    return row.status === "cleared" || this.local.has(row.id);
  }

  /** Flip the row's box: local for an uncleared row; "unclear" means ask the server. */
  toggle(row: Row): TickChange {
    if (row.status === "cleared") return "unclear";
    if (this.local.delete(row.id)) return "untick";
    this.local.add(row.id);
    return "tick";
  }

  /** Tick every uncleared row listed. */
  tickAll(rows: readonly Row[]): void {
    for (const r of rows) if (r.status === "uncleared") this.local.add(r.id);
  }

  /** Keep only the ticks of rows still listed (after the rows were fetched again). */
  keepListed(rows: readonly Row[]): void {
    const listed = new Set(rows.filter((r) => r.status === "uncleared").map((r) => r.id));
    for (const id of [...this.local]) if (!listed.has(id)) this.local.delete(id);
  }

  /** The locally ticked ids, in the order the rows are listed (what the server is sent). */
  ids(rows: readonly Row[]): string[] {
    return rows.filter((r) => this.local.has(r.id)).map((r) => r.id);
  }

  get size(): number {
    return this.local.size;
  }
}
