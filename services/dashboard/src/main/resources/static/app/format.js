// Dates as the city office reads them: Asia/Shanghai, whatever the browser's own time zone.
import { state } from './state.js';

const ZONE = 'Asia/Shanghai';
const cache = new Map();

function formatter(kind) {
  const key = `${state.lang}:${kind}`;
  if (!cache.has(key)) {
    const locale = state.lang === 'en' ? 'en-GB' : 'zh-CN';
    const options = {
      datetime: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false },
      time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
      date: { year: 'numeric', month: '2-digit', day: '2-digit' },
    }[kind];
    cache.set(key, new Intl.DateTimeFormat(locale, { timeZone: ZONE, ...options }));
  }
  return cache.get(key);
}

export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : formatter('datetime').format(d);
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : formatter('time').format(d);
}

/** A LocalDate (2027-06-30) stays as it is: it has no time zone. */
export function date(value) {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : formatter('date').format(d);
}

export function percent(ratio, digits = 1) {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits)}%`;
}

export function number(value) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(state.lang === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: 2 }).format(value);
}

/** Now in Shanghai as a datetime-local value: 2026-11-20T10:00. */
export function shanghaiNowLocal() {
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(new Date());
  return parts.replace(' ', 'T');
}

/** Today in Shanghai: 2026-11-20. */
export function shanghaiToday() {
  return shanghaiNowLocal().slice(0, 10);
}

/** A datetime-local value read as Shanghai time, as an ISO time with offset. */
export function shanghaiIso(local) {
  if (!local) return null;
  const withSeconds = local.length === 16 ? `${local}:00` : local;
  return `${withSeconds}+08:00`;
}
