// Labelled form controls with an error slot each ([data-error-for=name]), a form-level alert,
// and a controller that shows client-side and server errors in the right place.
import type { ApiError } from "../ipc-types";
import { fieldMessage, placeError, toApiError } from "../lib/errors";
import { withBusy } from "./busy";
import { h, setChildren, uid, type Child } from "./dom";

export interface FieldOptions {
  name: string;
  label: string;
  id?: string;
  value?: string;
  required?: boolean;
  hint?: Child;
  autocomplete?: string;
  placeholder?: string;
  /** Extra attributes for the control (type, inputmode, maxlength, min, …). */
  attrs?: Record<string, string | number | boolean>;
  /** Text shown after the label, e.g. "(optional)". */
  suffix?: string;
}

export interface Field<E extends HTMLElement> {
  wrapper: HTMLDivElement;
  control: E;
  error: HTMLParagraphElement;
  hint: HTMLElement | null;
}

function scaffold<E extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(opts: FieldOptions, control: E): Field<E> {
  const id = opts.id ?? uid(`f-${opts.name}`);
  control.id = id;
  control.name = opts.name;
  control.dataset["label"] = opts.label;
  if (opts.required) control.setAttribute("aria-required", "true");
  if (opts.autocomplete) control.setAttribute("autocomplete", opts.autocomplete);
  for (const [k, v] of Object.entries(opts.attrs ?? {})) {
    if (v === false) continue;
    control.setAttribute(k, v === true ? "" : String(v));
  }
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hint = opts.hint !== undefined && opts.hint !== null && opts.hint !== false ? h("div", { class: "field-hint", id: hintId }, opts.hint) : null;
  const error = h("p", { class: "field-error", id: errorId, "data-error-for": opts.name });
  control.setAttribute("aria-describedby", hint ? `${hintId} ${errorId}` : errorId);
  const label = h(
    "label",
    { for: id },
    opts.label,
    opts.suffix ? h("span", { class: "label-suffix" }, ` ${opts.suffix}`) : null,
  );
  const wrapper = h("div", { class: "field", "data-field": opts.name }, label, control, hint, error);
  return { wrapper, control, error, hint };
}

export function inputField(opts: FieldOptions & { type?: string }): Field<HTMLInputElement> {
  const input = h("input", { type: opts.type ?? "text" });
  if (opts.placeholder) input.placeholder = opts.placeholder;
  if (opts.value !== undefined) input.value = opts.value;
  return scaffold(opts, input);
}

export function textareaField(opts: FieldOptions & { rows?: number }): Field<HTMLTextAreaElement> {
  const ta = h("textarea", { rows: opts.rows ?? 3 });
  if (opts.placeholder) ta.placeholder = opts.placeholder;
  if (opts.value !== undefined) ta.value = opts.value;
  return scaffold(opts, ta);
}

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}
export interface SelectGroup {
  group: string;
  options: SelectOption[];
}
export type SelectItem = SelectOption | SelectGroup;

export function buildOptions(select: HTMLSelectElement, items: readonly SelectItem[], selected?: string): void {
  select.replaceChildren();
  const option = (o: SelectOption): HTMLOptionElement => {
    const el = h("option", { value: o.value, disabled: o.disabled ?? false }, o.label);
    if (selected !== undefined && o.value === selected) el.selected = true;
    return el;
  };
  for (const item of items) {
    if ("group" in item) {
      if (item.options.length === 0) continue;
      select.appendChild(h("optgroup", { label: item.group }, item.options.map(option)));
    } else {
      select.appendChild(option(item));
    }
  }
  if (selected !== undefined) select.value = selected;
}

export function selectField(opts: FieldOptions & { options: readonly SelectItem[] }): Field<HTMLSelectElement> {
  const select = h("select");
  buildOptions(select, opts.options, opts.value);
  return scaffold(opts, select);
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** Shows errors for one form: under inputs by name, or in the form alert. */
export class FormController {
  readonly form: HTMLFormElement;
  readonly alert: HTMLDivElement;

  constructor(form: HTMLFormElement) {
    this.form = form;
    form.noValidate = true; // our messages, not the engine's bubbles
    const existing = form.querySelector<HTMLDivElement>("[data-form-error]");
    this.alert = existing ?? h("div", { class: "form-alert", role: "alert", "data-form-error": "" });
    if (!existing) form.prepend(this.alert);
  }

  control(name: string): Control | null {
    const el = this.form.elements.namedItem(name);
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) return el;
    return null;
  }

  value(name: string): string {
    return this.control(name)?.value ?? "";
  }

  /** Visible labels by input name (for placing server errors). */
  labels(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const el of Array.from(this.form.querySelectorAll<HTMLElement>("[data-label]"))) {
      const name = el.getAttribute("name");
      const label = el.dataset["label"];
      if (name && label) out[name] = label;
    }
    return out;
  }

  get submitButton(): HTMLButtonElement | null {
    return this.form.querySelector<HTMLButtonElement>("button[type=submit]");
  }

  clear(): void {
    this.alert.replaceChildren();
    this.alert.classList.remove("visible");
    for (const el of Array.from(this.form.querySelectorAll<HTMLElement>("[data-error-for]"))) el.replaceChildren();
    for (const el of Array.from(this.form.querySelectorAll<HTMLElement>("[aria-invalid]"))) el.removeAttribute("aria-invalid");
  }

  clearField(name: string): void {
    const slot = this.errorSlot(name);
    if (slot) slot.replaceChildren();
    this.control(name)?.removeAttribute("aria-invalid");
  }

  private errorSlot(name: string): HTMLElement | null {
    return this.form.querySelector<HTMLElement>(`[data-error-for="${name.replace(/["\\]/g, "")}"]`);
  }

  /** A full sentence under the input; falls back to the alert when the form has no such input. */
  setFieldError(name: string, message: string): void {
    const slot = this.errorSlot(name);
    if (!slot) {
      this.setFormError(message);
      return;
    }
    slot.textContent = message;
    this.control(name)?.setAttribute("aria-invalid", "true");
  }

  /** A server-style fragment ("is required") shown after the field's label. */
  setFieldProblem(name: string, fragment: string): void {
    const label = this.labels()[name] ?? name;
    this.setFieldError(name, fieldMessage(label, fragment, name));
  }

  setFormError(message: string, extra?: Child): void {
    setChildren(this.alert, h("p", null, message), extra);
    this.alert.classList.add("visible");
  }

  showError(raw: unknown): ApiError {
    const err = toApiError(raw);
    const placed = placeError(err, this.labels());
    if (placed.field) this.setFieldError(placed.field, placed.message);
    else this.setFormError(placed.message);
    this.focusFirstError();
    return err;
  }

  hasErrors(): boolean {
    return this.form.querySelector("[aria-invalid=true]") !== null || this.alert.classList.contains("visible");
  }

  focusFirstError(): void {
    const invalid = this.form.querySelector<HTMLElement>("[aria-invalid=true]");
    if (invalid) invalid.focus();
  }
}

export interface SubmitOptions {
  /** Client-side checks; record problems on `fc` and return false to stop. */
  validate?: (fc: FormController) => boolean;
  /** Called with the error after it has been shown (e.g. to react to not_found). */
  onError?: (err: ApiError) => void;
}

/**
 * Native submit (Enter works) → validate → run with the submit button busy → show errors.
 * A second submit while one runs is ignored. The UI never blocks: everything is async.
 */
export function onSubmit(fc: FormController, run: (fc: FormController) => Promise<void>, opts: SubmitOptions = {}): void {
  let running = false;
  fc.form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (running) return;
    fc.clear();
    if (opts.validate && !opts.validate(fc)) {
      fc.focusFirstError();
      return;
    }
    running = true;
    void withBusy(fc.submitButton, async () => {
      try {
        await run(fc);
      } catch (raw) {
        const err = fc.showError(raw);
        opts.onError?.(err);
      }
    }).finally(() => {
      running = false;
    });
  });
}

export function submitButton(label: string, attrs: Record<string, string> = {}): HTMLButtonElement {
  return h("button", { type: "submit", class: "primary", ...attrs }, label);
}
