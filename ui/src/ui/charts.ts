// Charts with Chart.js 4 (canvas, MIT), registering only what the Reports screen draws.
// CSP-safe: Chart.js uses no eval and injects no <style>; it sets element.style properties only.
// Colours come from the theme's CSS custom properties and follow light/dark changes.
// Every chart is a decoration over its table: the canvas is role="img" with an aria-label summary,
// and the same numbers are in a table next to it (the text alternative).
import type { Chart, ChartConfiguration, ChartType } from "chart.js";
import { h } from "./dom";
/** Chart.js is loaded when the first chart is drawn, keeping it off the start-up path. */
let chartJs: Promise<typeof Chart> | null = null;
function loadChartJs(): Promise<typeof Chart> {
  chartJs ??= import("chart.js").then((m) => {
    m.Chart.register(
      m.ArcElement, m.BarController, m.BarElement, m.CategoryScale, m.DoughnutController, m.Legend,
      m.LinearScale, m.LineController, m.LineElement, m.PointElement, m.Tooltip,
    );
    return m.Chart;
  });
  return chartJs;
}

/** Slice colours, read from --chart-1 … --chart-8 (see styles.css). */
export const PALETTE_SIZE = 8;

export interface ThemeColors {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  income: string;
  expense: string;
  net: string;
  warning: string;
  over: string;
  palette: string[];
}

export function themeColors(el: Element = document.documentElement): ThemeColors {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  const palette: string[] = [];
  for (let i = 1; i <= PALETTE_SIZE; i++) palette.push(v(`--chart-${i}`, "#888888"));
  return {
    text: v("--text", "#1b1f24"),
    muted: v("--muted", "#5f6873"),
    grid: v("--border", "#dde1e6"),
    surface: v("--surface", "#ffffff"),
    income: v("--income", "#12805c"),
    expense: v("--expense", "#c4321f"),
    net: v("--accent", "#2f6fed"),
    warning: v("--warning", "#b26a00"),
    over: v("--danger", "#c4321f"),
    palette,
  };
}

export interface ChartHandle {
  /** The figure: a sized box holding the canvas. */
  el: HTMLElement;
  destroy: () => void;
}

const darkQuery = (): MediaQueryList | null => (typeof window.matchMedia === "function" ? window.matchMedia("(prefers-color-scheme: dark)") : null);

/**
 * A chart in a figure. `build` makes the configuration from the current theme colours; it is
 * called again when the colour scheme changes. `label` is the chart's text summary.
 */
export function chartFigure<T extends ChartType>(opts: {
  id: string;
  label: string;
  className?: string;
  build: (c: ThemeColors) => ChartConfiguration<T>;
}): ChartHandle {
  const canvas = h("canvas", { id: opts.id, role: "img", "aria-label": opts.label });
  canvas.textContent = opts.label; // fallback content for engines without canvas
  const el = h("div", { class: `chart-box ${opts.className ?? ""}`.trim() }, canvas);
  let chart: Chart<T> | null = null;
  let destroyed = false;
  let drawSeq = 0;
  const draw = async (): Promise<void> => {
    const mine = ++drawSeq;
    chart?.destroy();
    chart = null;
    if (!canvas.getContext) return;
    try {
      if (!canvas.getContext("2d")) return; // no canvas support (tests): the table stands alone
      const ChartJs = await loadChartJs();
      // A later draw (theme change) or destroy() supersedes this one.
      if (destroyed || mine !== drawSeq) return;
      chart = new ChartJs(canvas, opts.build(themeColors(el.isConnected ? el : document.documentElement)));
    } catch {
      chart = null;
    }
  };
  // Draw once the canvas is in the document (so it has a size and the theme's colours).
  let raf = requestAnimationFrame(() => void draw());
  const mq = darkQuery();
  const onScheme = (): void => void draw();
  mq?.addEventListener("change", onScheme);
  return {
    el,
    destroy: () => {
      destroyed = true;
      cancelAnimationFrame(raf);
      raf = 0;
      mq?.removeEventListener("change", onScheme);
      chart?.destroy();
      chart = null;
    },
  };
}

/** Common options: our font colour, no animation when the person prefers reduced motion. */
export function baseOptions(c: ThemeColors): { color: string; animation: false | { duration: number }; maintainAspectRatio: false; responsive: true } {
  const reduce = typeof window.matchMedia === "function" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  return { color: c.text, animation: reduce ? false : { duration: 250 }, maintainAspectRatio: false, responsive: true };
}
