// How the 督办 state reads on every page: deadline badges, escalation levels, claims in words, sessions.
import { h } from './dom.js';
import { t, pick } from './i18n.js';
import * as fmt from './format.js';

export const LEVELS = ['DISTRICT_CLERK', 'DISTRICT_LEADERSHIP', 'CITY_BULLETIN'];

export function deadlineBadge(deadline, daysToDue) {
  const key = deadline || 'NONE';
  return h('span', { class: `badge deadline deadline-${key}`, dataset: { deadline: key } },
    t(`deadline.${key}`), daysText(key, daysToDue) ? ` · ${daysText(key, daysToDue)}` : '');
}

/** "逾期 3 天" / "还剩 2 天" / "今天到期". */
export function daysText(deadline, days) {
  if (days === null || days === undefined || deadline === 'DONE' || deadline === 'NONE') return '';
  if (days < 0) return t('sv.daysOverdue', { n: -days });
  if (days === 0) return t('sv.dueToday');
  return t('sv.daysLeft', { n: days });
}

export function levelBadge(urge) {
  const escalated = urge.initialLevel && urge.level && urge.initialLevel !== urge.level;
  return h('span', { class: `badge level level-${urge.level}${escalated ? ' escalated' : ''}`, dataset: { level: urge.level } },
    escalated ? '↑ ' : '', t(`level.${urge.level || 'DISTRICT_CLERK'}`));
}

/** The next escalation level above an urge's (the last one stays). */
export function nextLevel(level) {
  const i = LEVELS.indexOf(level);
  return LEVELS[Math.min(LEVELS.length - 1, Math.max(0, i + 1))];
}

/** A claim in words: "举措 一窗通办 报已上线", "案例整体 报已采纳", "指标 办理时长 2026-10 报 3.5". */
export function claimText(claim, caseEntry) {
  const subject = subjectText(claim.kind, claim.subject, caseEntry);
  return t('claim.says', { kind: t(`claimKind.${claim.kind}`), subject, claim: claimValue(claim.kind, claim.claim) });
}

function subjectText(kind, subject, caseEntry) {
  if (!subject || subject === 'case') return t('cell.caseWhole');
  if (kind === 'OUTCOME') {
    const [metricId, period] = subject.split('|');
    const metric = caseEntry && (caseEntry.metrics || []).find((m) => m.metricId === metricId);
    return `${metric ? pick(metric, 'name') : metricId}${period ? ` ${period}` : ''}`;
  }
  const measure = caseEntry && (caseEntry.measures || []).find((m) => m.measureId === subject);
  return measure ? pick(measure, 'name') : subject;
}

function claimValue(kind, claim) {
  if (kind === 'MEASURE_STAGE') return t(`rollout.${claim}`) === `rollout.${claim}` ? claim : t(`rollout.${claim}`);
  if (kind === 'ADOPTION') return t(`decision.${claim}`) === `decision.${claim}` ? claim : t(`decision.${claim}`);
  return claim;
}

/** A history step's words: supervision steps by name, the rest as stage transitions. */
export function stepName(step) {
  return t(`step.${step}`) === `step.${step}` ? step : t(`step.${step}`);
}

export function channelName(channel) {
  if (!channel) return '';
  return t(`channel.${channel}`) === `channel.${channel}` ? channel : t(`channel.${channel}`);
}

/** Who acted, as people read it: the city office, a district, or the principal as it is. */
export function whoName(by, districts) {
  if (!by) return '—';
  if (by.startsWith('city-office')) return t('sv.cityOffice');
  const m = /^district-(\d{6})$/.exec(by);
  if (m) {
    const d = (districts || []).find((x) => x.code === m[1]);
    return d ? pick(d, 'name') : m[1];
  }
  return by;
}

export function when(iso) {
  return fmt.dateTime(iso);
}

const CITY_KEY = 'reform.cityOffice';

/** The city office's local session (the 督办 page), apart from the district clerk's. */
export function citySession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(CITY_KEY));
    return s && s.token && new Date(s.expiresAt) > new Date() ? s : null;
  } catch {
    return null;
  }
}

export function saveCitySession(s) {
  if (s) sessionStorage.setItem(CITY_KEY, JSON.stringify(s));
  else sessionStorage.removeItem(CITY_KEY);
}

/** Today + n days in Shanghai, as a date input value. */
export function shanghaiDatePlus(days) {
  const [y, m, d] = fmt.shanghaiToday().split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}
