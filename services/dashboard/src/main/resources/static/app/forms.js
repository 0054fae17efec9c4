// Small forms for the 督办 steps (the 督办 page and the district inbox): a labelled field with its error
// slot, and a service's 400 placed beside the fields it names, in the page's language.
import { h, add, clear, $all } from './dom.js';
import { t } from './i18n.js';
import { state } from './state.js';
import { ApiError } from './api.js';

let counter = 0;

/** A field: label, control, optional hint, and the slot the service's message for `name` goes into. */
export function field(name, label, control, opts = {}) {
  if (!control.id) control.id = `sv-${name.replace(/\W/g, '-')}-${++counter}`;
  if (!control.name && ['INPUT', 'SELECT', 'TEXTAREA'].includes(control.tagName)) control.name = name;
  return h('div', { class: `field ${opts.class || ''}`, dataset: { field: name } },
    h('label', { for: control.id }, label, opts.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    control,
    opts.hint ? h('div', { class: 'field-hint' }, opts.hint) : null,
    h('div', { class: 'field-error', role: 'alert', dataset: { errorFor: name } }));
}

export function value(form, name) {
  const el = form.elements.namedItem(name);
  if (!el) return undefined;
  const v = (el.value ?? '').trim();
  return v === '' ? undefined : v;
}

/** The body without its empty entries. */
export function compact(body) {
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return body;
}

export function clearErrors(form) {
  for (const slot of $all('.field-error', form)) slot.textContent = '';
  for (const el of $all('[aria-invalid]', form)) el.removeAttribute('aria-invalid');
  for (const el of $all('.has-error', form)) el.classList.remove('has-error');
}

/** The error slot for a field path: exact, then without a trailing index, then the path's head. */
function slotFor(form, path) {
  const candidates = [path, path.replace(/\[\d+\]$/, ''), path.split('.')[0]];
  const m = /^(cells\[\d+\])\./.exec(path);
  if (m) candidates.push(m[1]);
  for (const name of candidates) {
    if (!name) continue;
    const slot = form.querySelector(`.field-error[data-error-for="${CSS.escape(name)}"]`);
    if (slot) return slot;
  }
  return null;
}

/**
 * Shows a failed call: each field error beside its field (Chinese or English as the page is), the rest and
 * the summary in `result`. 401 and 403 get the page's own words. Returns the first control in error.
 */
export function showProblem(form, result, err, texts = {}) {
  result.className = 'form-result error';
  clear(result);
  if (!(err instanceof ApiError)) {
    result.textContent = err.message;
    return null;
  }
  if (err.status === 0) {
    result.textContent = t('sv.unreachable', { detail: err.problem.detail || '' });
    return null;
  }
  if (err.status === 401) {
    result.textContent = texts.expired || t('ws.expired');
    return null;
  }
  const unplaced = [];
  let first = null;
  for (const e of err.problem.errors || []) {
    const message = state.lang === 'en' ? (e.messageEn || e.message) : (e.messageZh || e.message);
    const slot = e.field ? slotFor(form, e.field) : null;
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent}；${message}` : message;
      const wrapper = slot.closest('.field, .cell-override') || slot.parentElement;
      wrapper.classList.add('has-error');
      const control = wrapper.querySelector('input, select, textarea');
      if (control) control.setAttribute('aria-invalid', 'true');
      first = first || control;
    } else {
      unplaced.push(`${e.field ? `${e.field}：` : ''}${message}`);
    }
  }
  const detail = err.status === 403 ? (texts.forbidden || t('sv.forbidden')) : (err.problem.title || err.problem.detail || `HTTP ${err.status}`);
  add(result, h('div', null, t('ws.rejected', { detail })));
  if (err.status === 403 && err.problem.detail) add(result, h('div', { class: 'muted' }, err.problem.detail));
  if (unplaced.length) add(result, h('ul', null, unplaced.map((u) => h('li', null, u))));
  if (first) first.focus();
  return first;
}

export function showDone(result, text) {
  result.className = 'form-result ok';
  result.dataset.acceptedAt = String(Date.now());
  result.textContent = text;
}
