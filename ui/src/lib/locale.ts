// The UI's locale: the webview's language when it is a valid BCP 47 tag, else the
// engine's default. POSIX locales such as "C" or "C.UTF-8" (common on Linux desktops
// started from a minimal environment) are not language tags and make Intl throw.

/** A locale `Intl` accepts, or `undefined` for the runtime default. */
export function safeLocale(candidates: readonly (string | null | undefined)[]): string | undefined {
  for (const raw of candidates) {
    if (!raw) continue;
    // "de_DE.UTF-8@euro" → "de-DE"
    const tag = raw.split(/[.@]/)[0]?.replace(/_/g, "-") ?? "";
    if (tag === "" || tag === "C" || tag === "POSIX") continue;
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical) return canonical;
    } catch {
      // not a language tag; try the next candidate
    }
  }
  return undefined;
}
