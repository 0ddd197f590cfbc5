// Common ISO 4217 codes offered at registration (the server accepts every active code).
export const COMMON_CURRENCIES: readonly string[] = [
  "EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON",
  "BGN", "ISK", "TRY", "CNY", "HKD", "SGD", "TWD", "KRW", "INR", "IDR", "THB", "MYR", "PHP", "ILS", "AED",
  "SAR", "QAR", "KWD", "BHD", "OMR", "JOD", "EGP", "MAD", "ZAR", "NGN", "KES", "BRL", "MXN", "ARS", "CLP",
  "COP", "PEN", "UAH",
];

export const DEFAULT_CURRENCY = "EUR";

/** "EUR — Euro" where the engine knows the name. */
export function currencyLabel(code: string, locale?: string): string {
  try {
    const names = new Intl.DisplayNames(locale, { type: "currency" });
    const name = names.of(code);
    return name && name !== code ? `${code} — ${name}` : code;
  } catch {
    return code;
  }
}
