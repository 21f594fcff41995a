// The only module that knows the component library. @vscode/webview-ui-toolkit is archived
// upstream; to move to @vscode-elements/elements, change the tag names and registration here
// (vscode-button, vscode-checkbox, vscode-single-select, vscode-textfield, vscode-progress-ring)
// and nothing else: the rest of the dashboard only uses these factories and their small API.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(), vsCodeProgressRing(), vsCodeTextField());
}

type Attrs = { id?: string; title?: string; className?: string; ariaLabel?: string };

function apply(el: HTMLElement, a: Attrs): void {
  if (a.id) el.id = a.id;
  if (a.title) el.title = a.title;
  if (a.className) el.className = a.className;
  if (a.ariaLabel) el.setAttribute('aria-label', a.ariaLabel);
}

export interface ButtonEl extends HTMLElement {
  disabled: boolean;
}

export function button(text: string, onClick: () => void, a: Attrs & { secondary?: boolean; icon?: boolean } = {}): ButtonEl {
  const el = document.createElement('vscode-button') as ButtonEl;
  el.textContent = text;
  if (a.secondary) el.setAttribute('appearance', 'secondary');
  if (a.icon) el.setAttribute('appearance', 'icon');
  apply(el, a);
  el.addEventListener('click', () => {
    if (!el.disabled) onClick();
  });
  return el;
}

export interface CheckboxEl extends HTMLElement {
  checked: boolean;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void, a: Attrs = {}): CheckboxEl {
  const el = document.createElement('vscode-checkbox') as CheckboxEl;
  el.textContent = label;
  el.checked = checked;
  if (checked) el.setAttribute('checked', '');
  apply(el, a);
  el.addEventListener('change', () => onChange(el.checked));
  return el;
}

export interface DropdownEl extends HTMLElement {
  value: string;
  disabled: boolean;
}

export function dropdown(options: { value: string; label: string }[], value: string, onChange: (value: string) => void, a: Attrs = {}): DropdownEl {
  const el = document.createElement('vscode-dropdown') as DropdownEl;
  setOptions(el, options, value);
  apply(el, a);
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

/** The options each dropdown was last given: the same again, with its value unchanged, rebuilds nothing (the toolkit renders new options in a frame of their own). */
const shownOptions = new WeakMap<DropdownEl, string>();

export function setOptions(el: DropdownEl, options: { value: string; label: string }[], value: string): void {
  const key = JSON.stringify([options, value]);
  if (shownOptions.get(el) === key && el.value === value) return;
  shownOptions.set(el, key);
  el.replaceChildren(
    ...options.map((o) => {
      const opt = document.createElement('vscode-option') as HTMLElement & { value: string };
      opt.setAttribute('value', o.value);
      opt.textContent = o.label;
      if (o.value === value) opt.setAttribute('selected', '');
      return opt;
    }),
  );
  el.value = value;
}

export interface TextFieldEl extends HTMLElement {
  value: string;
}

/** A text field; `onInput` fires on every keystroke with the raw text (validation is the caller's). */
export function textField(value: string, onInput: (value: string) => void, a: Attrs & { size?: number; placeholder?: string } = {}): TextFieldEl {
  const el = document.createElement('vscode-text-field') as TextFieldEl;
  el.setAttribute('value', value);
  el.value = value;
  if (a.size) el.setAttribute('size', String(a.size));
  if (a.placeholder) el.setAttribute('placeholder', a.placeholder);
  apply(el, a);
  el.addEventListener('input', () => onInput(el.value));
  return el;
}

export function setInvalid(el: HTMLElement, message: string | null): void {
  el.classList.toggle('invalid', message !== null);
  if (message === null) el.removeAttribute('aria-invalid');
  else el.setAttribute('aria-invalid', 'true');
  el.title = message ?? '';
}

export function progressRing(a: Attrs = {}): HTMLElement {
  const el = document.createElement('vscode-progress-ring');
  apply(el, a);
  return el;
}
