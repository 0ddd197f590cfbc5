// A local password-strength hint. The server's rules (8–128 characters, not the username,
// not a common password) are authoritative; this only guides while typing.

export type StrengthLabel = "Not allowed" | "Too short" | "Weak" | "Fair" | "Good" | "Strong";

export interface PasswordStrength {
  /** 0 (too short / unusable) … 4 (strong). */
  score: 0 | 1 | 2 | 3 | 4;
  label: StrengthLabel;
  /** Suggestions, most useful first. */
  hints: string[];
  /** Meets the server's length rule (8–128 characters). */
  longEnough: boolean;
}

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

const LABELS: readonly StrengthLabel[] = ["Too short", "Weak", "Fair", "Good", "Strong"];

// A few of the most common passwords; the server checks a much longer list.
const COMMON = new Set([
  "password", "password1", "password123", "12345678", "123456789", "1234567890", "qwerty123",
  "qwertyuiop", "iloveyou", "11111111", "00000000", "abc12345", "letmein1", "welcome1",
  "sunshine", "football", "baseball", "princess", "trustno1", "passw0rd", "azerty123",
]);

/** Characters as the user sees them (code points), like the server's chars().count(). */
function charLength(s: string): number {
  return [...s].length;
}

function characterClasses(pw: string): { lower: boolean; upper: boolean; digit: boolean; symbol: boolean } {
  return {
    lower: /\p{Ll}/u.test(pw),
    upper: /\p{Lu}/u.test(pw),
    digit: /\p{Nd}/u.test(pw),
    symbol: /[^\p{L}\p{Nd}]/u.test(pw),
  };
}

/** True for runs like "aaaaaaaa", "12345678" or "abcdefgh". */
function isTrivialPattern(pw: string): boolean {
  const cps = [...pw].map((c) => c.codePointAt(0) ?? 0);
  if (cps.length < 2) return true;
  const same = cps.every((c) => c === cps[0]);
  const step = (cps[1] ?? 0) - (cps[0] ?? 0);
  const sequential = Math.abs(step) === 1 && cps.every((c, i) => i === 0 || c - (cps[i - 1] ?? 0) === step);
  return same || sequential;
}

export function passwordStrength(password: string, username = ""): PasswordStrength {
  const len = charLength(password);
  const hints: string[] = [];
  const longEnough = len >= MIN_PASSWORD_LENGTH && len <= MAX_PASSWORD_LENGTH;
  if (len === 0) {
    return { score: 0, label: "Too short", hints: [`Use at least ${MIN_PASSWORD_LENGTH} characters`], longEnough };
  }
  if (len > MAX_PASSWORD_LENGTH) {
    return { score: 0, label: "Not allowed", hints: [`Use at most ${MAX_PASSWORD_LENGTH} characters`], longEnough };
  }
  if (len < MIN_PASSWORD_LENGTH) {
    const missing = MIN_PASSWORD_LENGTH - len;
    hints.push(`Add ${missing} more character${missing === 1 ? "" : "s"} (at least ${MIN_PASSWORD_LENGTH})`);
    return { score: 0, label: "Too short", hints, longEnough };
  }
  const lower = password.toLowerCase();
  if (username.trim() !== "" && lower === username.trim().toLowerCase()) {
    return { score: 0, label: "Not allowed", hints: ["Don't use your username as the password"], longEnough };
  }
  if (COMMON.has(lower)) {
    return { score: 0, label: "Not allowed", hints: ["This is one of the most common passwords; choose another"], longEnough };
  }

  const classes = characterClasses(password);
  const classCount = Object.values(classes).filter(Boolean).length;
  let score = 1; // 8+ characters
  if (len >= 12) score += 1;
  if (len >= 16) score += 1;
  if (classCount >= 3) score += 1;
  if (classCount === 4) score += 1;
  if (classCount === 1 && len < 16) score = Math.min(score, 1);
  if (isTrivialPattern(password)) score = 1;
  if (username.trim().length >= 3 && lower.includes(username.trim().toLowerCase())) score = Math.min(score, 2);
  const clamped = Math.max(1, Math.min(4, score)) as 1 | 2 | 3 | 4;

  if (clamped < 4) {
    if (len < 12) hints.push("Use 12 or more characters");
    else if (len < 16 && classCount < 3) hints.push("A longer passphrase makes it stronger");
    if (!classes.upper || !classes.lower) hints.push("Mix upper- and lower-case letters");
    if (!classes.digit) hints.push("Add digits");
    if (!classes.symbol) hints.push("Add a symbol or space");
    if (isTrivialPattern(password)) hints.unshift("Avoid repeated or sequential characters");
  }
  return { score: clamped, label: LABELS[clamped] ?? "Weak", hints, longEnough };
}

/** The server's rules for a new password, as a message fragment; null when acceptable. */
export function validateNewPassword(password: string, username = ""): string | null {
  const len = charLength(password);
  if (len === 0) return "is required";
  if (len < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (len > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (username.trim() !== "" && password.toLowerCase() === username.trim().toLowerCase()) return "must not be the same as the username";
  if (COMMON.has(password.toLowerCase())) return "is one of the most common passwords; choose another";
  return null;
}
