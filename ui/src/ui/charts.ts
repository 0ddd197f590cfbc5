// The Reports screen's charts, drawn as inline SVG by this module: a donut, grouped bars with a
// line, horizontal bars against a limit. No chart library: the three charts are drawn in the same
// task (and painted in the same frame) as the tables they decorate, in a few hundred elements.
// Invariants:
// - A chart is never the only way to read its data: the <svg> is role="img" with an aria-label
//   summary, and the same numbers are in a table beside it (the text alternative, and the
//   keyboard path to any drill-down a chart offers by click).
// - Colours are CSS classes (`.c0`…`.c7`, `.income`, `.expense`, …; see styles.css) over the
//   theme's custom properties, so light/dark follow the OS with no redraw and nothing sets a style.
// - Geometry only: values arrive as plain numbers for drawing; every amount shown as text (the
//   <title> tooltips included) is formatted by the caller from the exact decimal string.
import { h } from "./dom";

const NS = "http://www.w3.org/2000/svg";

/** Colour classes of the categorical palette (--chart-1 … --chart-8). */
export const PALETTE_SIZE = 8;

type SvgChild = SVGElement | string | null | undefined | false;

/** An SVG element with attributes and children (strings become text). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number | null | undefined> = {}, ...children: SvgChild[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c);
  return el;
}

/** Clickable marks: a click (and the pointer cursor, from the `clickable` class) runs `onClick`. */
function clickable<E extends SVGElement>(el: E, onClick: (() => void) | undefined): E {
  if (onClick) {
    el.classList.add("clickable");
    el.addEventListener("click", onClick);
  }
  return el;
}

function frame(id: string, label: string, className: string, width: number, height: number, ...content: SvgChild[]): HTMLElement {
  const root = svg("svg", { id, role: "img", "aria-label": label, viewBox: `0 0 ${width} ${height}`, class: "chart", preserveAspectRatio: "xMidYMid meet" }, ...content);
  return h("div", { class: `chart-box ${className}`.trim() }, root);
}

// ---------------------------------------------------------------- geometry (pure, tested)

const r2 = (n: number): number => Math.round(n * 100) / 100;

/** Point on a circle of radius r around (cx, cy), at `turn` (0 = 12 o'clock, clockwise, 1 = full turn). */
function polar(cx: number, cy: number, r: number, turn: number): [number, number] {
  const a = (turn - 0.25) * 2 * Math.PI;
  return [r2(cx + r * Math.cos(a)), r2(cy + r * Math.sin(a))];
}

/**
 * The path of a ring segment from `from` to `to` (fractions of a turn, 0 ≤ from < to ≤ 1)
 * between radii `inner` and `outer`. A whole ring is drawn as two halves (an SVG arc cannot
 * end where it starts).
 */
export function ringSegmentPath(cx: number, cy: number, inner: number, outer: number, from: number, to: number): string {
  if (to - from >= 0.9999) return `${ringSegmentPath(cx, cy, inner, outer, 0, 0.5)} ${ringSegmentPath(cx, cy, inner, outer, 0.5, 1)}`;
  const large = to - from > 0.5 ? 1 : 0;
  const [x0, y0] = polar(cx, cy, outer, from);
  const [x1, y1] = polar(cx, cy, outer, to);
  const [x2, y2] = polar(cx, cy, inner, to);
  const [x3, y3] = polar(cx, cy, inner, from);
  return `M${x0} ${y0}A${outer} ${outer} 0 ${large} 1 ${x1} ${y1}L${x2} ${y2}A${inner} ${inner} 0 ${large} 0 ${x3} ${y3}Z`;
}

/**
 * Axis ticks: "nice" steps (1, 2, 2.5 or 5 × 10^n) covering [min, max] and always 0, about
 * `count` of them. Returns the ticks, lowest first (the first and last are the axis ends).
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  let lo = Math.min(0, min);
  let hi = Math.max(0, max);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi - lo === 0) hi = lo + 1;
  const rough = (hi - lo) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= rough) ?? 10) * mag;
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.abs(v) < step / 1e6 ? 0 : Number(v.toPrecision(12)));
  return ticks;
}

const axisFormats = new Map<string, Intl.NumberFormat>();

/** An axis number: whole units, compact (12K, 1.5M) from 10,000 up. */
export function axisNumber(n: number, locale?: string): string {
  const compact = Math.abs(n) >= 10000;
  const key = `${locale ?? ""}|${compact}`;
  let nf = axisFormats.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(locale, compact ? { notation: "compact", maximumFractionDigits: 1 } : { maximumFractionDigits: 0 });
    axisFormats.set(key, nf);
  }
  return nf.format(n);
}

// ---------------------------------------------------------------- charts

export interface DonutPart {
  value: number;
  /** The tooltip (formatted by the caller). */
  title: string;
  /** Palette index (0 … PALETTE_SIZE - 1). */
  colour: number;
  onClick?: (() => void) | undefined;
}

/** A donut of positive parts, clockwise from 12 o'clock in the given order. */
export function donutChart(opts: { id: string; label: string; className?: string; parts: readonly DonutPart[] }): HTMLElement {
  const size = 200;
  const c = size / 2;
  const parts = opts.parts.filter((p) => Number.isFinite(p.value) && p.value > 0);
  const total = parts.reduce((s, p) => s + p.value, 0);
  let at = 0;
  const paths = parts.map((p) => {
    const from = at;
    at += p.value / total;
    const path = svg("path", { d: ringSegmentPath(c, c, 56, 96, from, Math.min(1, at)), class: `slice c${p.colour % PALETTE_SIZE}` }, svg("title", {}, p.title));
    return clickable(path, p.onClick);
  });
  return frame(opts.id, opts.label, opts.className ?? "", size, size, svg("g", {}, ...paths));
}

export interface BarGroup {
  /** Axis label, and an optional second line (e.g. the year under January). */
  label: string;
  sublabel?: string | undefined;
  title: string;
  onClick?: (() => void) | undefined;
}

export interface Series {
  name: string;
  /** Colour class (e.g. "income"). */
  className: string;
  values: readonly number[];
}

/** Vertical bars, side by side per group, with an optional line over them; a legend on top. */
export function barLineChart(opts: { id: string; label: string; className?: string; groups: readonly BarGroup[]; bars: readonly Series[]; line?: Series; locale?: string | undefined }): HTMLElement {
  const W = 720;
  const H = 280;
  const left = 52;
  const right = 8;
  const top = 26;
  const bottom = 36;
  const all = [...opts.bars.flatMap((s) => s.values), ...(opts.line?.values ?? [])].filter(Number.isFinite);
  const ticks = niceTicks(Math.min(0, ...all), Math.max(0, ...all));
  const lo = ticks[0] ?? 0;
  const hi = ticks[ticks.length - 1] ?? 1;
  const y = (v: number): number => r2(top + ((hi - v) / (hi - lo)) * (H - top - bottom));
  const n = Math.max(1, opts.groups.length);
  const slot = (W - left - right) / n;
  const barW = (slot * 0.7) / Math.max(1, opts.bars.length);
  const out: SvgChild[] = [];
  for (const t of ticks) {
    out.push(svg("line", { x1: left, x2: W - right, y1: y(t), y2: y(t), class: t === 0 ? "axis" : "grid" }));
    out.push(svg("text", { x: left - 6, y: y(t) + 4, class: "tick", "text-anchor": "end" }, axisNumber(t, opts.locale)));
  }
  opts.groups.forEach((g, i) => {
    const x0 = left + i * slot;
    const cx = r2(x0 + slot / 2);
    opts.bars.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      if (!Number.isFinite(v) || v === 0) return;
      const top_ = Math.min(y(v), y(0));
      out.push(svg("rect", { x: r2(x0 + slot * 0.15 + j * barW), y: top_, width: r2(barW * 0.9), height: r2(Math.abs(y(v) - y(0))), class: `bar ${s.className}` }));
    });
    out.push(svg("text", { x: cx, y: H - bottom + 15, class: "tick", "text-anchor": "middle" }, g.label));
    if (g.sublabel) out.push(svg("text", { x: cx, y: H - bottom + 29, class: "tick", "text-anchor": "middle" }, g.sublabel));
    // The hit area of the whole month, on top of its bars, with the month's tooltip.
    out.push(clickable(svg("rect", { x: r2(x0), y: top, width: r2(slot), height: H - top - bottom, class: "hit" }, svg("title", {}, g.title)), g.onClick));
  });
  if (opts.line) {
    const pts = opts.line.values.map((v, i) => `${r2(left + i * slot + slot / 2)},${y(Number.isFinite(v) ? v : 0)}`);
    out.push(svg("polyline", { points: pts.join(" "), class: `line ${opts.line.className}` }));
    for (const p of pts) {
      const [px, py] = p.split(",");
      out.push(svg("circle", { cx: px, cy: py, r: 3, class: `dot ${opts.line.className}` }));
    }
  }
  // Legend, top right.
  const legend = [...opts.bars, ...(opts.line ? [opts.line] : [])];
  let lx = W - right;
  for (const s of [...legend].reverse()) {
    lx -= s.name.length * 6.5 + 8;
    out.push(svg("text", { x: lx, y: 12, class: "legend" }, s.name));
    lx -= 16;
    out.push(svg("rect", { x: lx, y: 3, width: 11, height: 11, rx: 2, class: `key ${s.className}` }));
    lx -= 10;
  }
  return frame(opts.id, opts.label, opts.className ?? "", W, H, ...out);
}

export interface LimitBar {
  label: string;
  value: number;
  limit: number;
  /** Colour class of the value's bar (e.g. "ok", "warning", "over"). */
  className: string;
  title: string;
}

/** Horizontal bars, one per row, each with its limit drawn as an outline around the same slot. */
export function limitBarChart(opts: { id: string; label: string; className?: string; rows: readonly LimitBar[]; locale?: string | undefined }): HTMLElement {
  const W = 720;
  const row = 44;
  const left = 150;
  const right = 12;
  const top = 8;
  const bottom = 24;
  const H = top + bottom + row * Math.max(1, opts.rows.length);
  const ticks = niceTicks(0, Math.max(0, ...opts.rows.flatMap((r) => [r.value, r.limit]).filter(Number.isFinite)));
  const hi = ticks[ticks.length - 1] ?? 1;
  const x = (v: number): number => r2(left + (Math.max(0, v) / hi) * (W - left - right));
  const out: SvgChild[] = [];
  for (const t of ticks) {
    out.push(svg("line", { x1: x(t), x2: x(t), y1: top, y2: H - bottom, class: t === 0 ? "axis" : "grid" }));
    out.push(svg("text", { x: x(t), y: H - bottom + 16, class: "tick", "text-anchor": "middle" }, axisNumber(t, opts.locale)));
  }
  opts.rows.forEach((r, i) => {
    const y0 = top + i * row;
    const name = r.label.length > 22 ? `${r.label.slice(0, 21)}…` : r.label;
    out.push(svg("text", { x: left - 8, y: y0 + row / 2 + 4, class: "label", "text-anchor": "end" }, name));
    if (Number.isFinite(r.value) && r.value > 0) out.push(svg("rect", { x: left, y: y0 + row * 0.25, width: r2(x(r.value) - left), height: r2(row * 0.5), rx: 3, class: `bar ${r.className}` }));
    if (Number.isFinite(r.limit) && r.limit > 0) out.push(svg("rect", { x: left, y: y0 + row * 0.15, width: r2(x(r.limit) - left), height: r2(row * 0.7), class: "limit" }));
    out.push(svg("rect", { x: 0, y: y0, width: W, height: row, class: "hit" }, svg("title", {}, r.title)));
  });
  return frame(opts.id, opts.label, opts.className ?? "", W, H, ...out);
}
