// One case in one district: the side panel the matrix, case and district pages open on a click.
import { h, add, clear, $ } from './dom.js';
import { t } from './i18n.js';
import { status, catalog } from './api.js';
import { state } from './state.js';
import * as fmt from './format.js';
import { stageBadge, healthBadge, ruleList } from './widgets.js';
import { deadlineBadge, levelBadge, claimText, stepName, channelName, whoName } from './supervision.js';

let openKey = null;

export function closeDrawer() {
  openKey = null;
  const drawer = $('#drawer');
  if (drawer) drawer.remove();
  const backdrop = $('#drawer-backdrop');
  if (backdrop) backdrop.remove();
}

/** Whether the drawer shows this cell (so a live change can refresh it). */
export function drawerShows(caseId, districtCode) {
  return openKey === `${caseId}|${districtCode}`;
}

export async function openCell(caseId, districtCode, labels = {}) {
  closeDrawer();
  openKey = `${caseId}|${districtCode}`;
  const body = h('div', { class: 'drawer-body' }, h('p', { class: 'muted' }, t('common.loading')));
  const drawer = h('aside', { class: 'drawer', id: 'drawer', role: 'dialog', 'aria-modal': 'true', dataset: { case: caseId, district: districtCode } },
    h('div', { class: 'drawer-head' },
      h('h2', null, t('cell.title', { case: labels.caseTitle || caseId, district: labels.districtName || districtCode })),
      h('button', { class: 'icon-button', id: 'drawer-close', title: t('common.close'), onclick: closeDrawer }, '×')),
    body);
  add(document.body, h('div', { class: 'drawer-backdrop', id: 'drawer-backdrop', onclick: closeDrawer }), drawer);
  document.addEventListener('keydown', escape);
  await fill(body, caseId, districtCode);
}

function escape(e) {
  if (e.key === 'Escape') {
    closeDrawer();
    document.removeEventListener('keydown', escape);
  }
}

export async function refreshDrawer() {
  if (!openKey) return;
  const [caseId, districtCode] = openKey.split('|');
  const body = $('#drawer .drawer-body');
  if (body) await fill(body, caseId, districtCode);
}

async function fill(body, caseId, districtCode) {
  let cell;
  let districts = [];
  let caseEntry = null;
  try {
    [cell, districts, caseEntry] = await Promise.all([status.cell(caseId, districtCode),
      catalog.districts().catch(() => []), catalog.caseById(caseId).catch(() => null)]);
  } catch (e) {
    add(clear(body), h('div', { class: 'error-box' }, t('common.error', { message: e.message })));
    return;
  }
  if (openKey !== `${caseId}|${districtCode}`) return;
  clear(body);
  if (cell.origin) add(body, h('p', { class: 'note' }, t('cell.origin')));
  const health = cell.health || {};
  add(body, 
    h('div', { class: 'drawer-badges' }, stageBadge(cell.stage), cell.origin ? null : healthBadge(health.colour)),
    health.reasonZh ? h('p', { class: `reason health-${health.colour}` }, t('common.reason'), '：',
      state.lang === 'en' ? (health.reasonEn || health.reasonZh) : health.reasonZh) : null,
    h('dl', { class: 'facts' },
      fact(t('cell.decision'), cell.decision ? t(`decision.${cell.decision}`) : '—'),
      fact(t('common.leadAgency'), cell.leadAgency || '—'),
      fact(t('cell.targetDate'), fmt.date(cell.targetDate)),
      fact(t('cell.progress'), cell.progress ? `${cell.progress.measuresLive} / ${cell.progress.measuresPlanned}` : '—'),
      fact(t('cell.coverage'), cell.progress && cell.progress.coverage !== null ? fmt.percent(cell.progress.coverage) : '—'),
      fact(t('common.lastReport'), fmt.dateTime(cell.lastReportAt)),
      fact(t('common.events'), String(cell.eventCount ?? 0))),
    h('div', { class: 'drawer-links' },
      h('a', { href: `#/case/${encodeURIComponent(caseId)}`, onclick: closeDrawer }, t('common.viewCase'), ' →'),
      h('a', { href: `#/district/${encodeURIComponent(districtCode)}`, onclick: closeDrawer }, t('common.viewDistrict'), ' →')));

  if (cell.measures && cell.measures.length) {
    add(body, h('h3', null, t('cell.measures')), h('table', { class: 'table compact' },
      h('thead', null, h('tr', null, h('th', null, t('case.measure')), h('th', null, t('common.stage')),
        h('th', null, t('cell.coverageCol')), h('th', null, t('cell.serviceItem')), h('th', null, t('cell.effective')))),
      h('tbody', null, cell.measures.map((m) => h('tr', null,
        h('td', null, m.nameZh || m.measureId),
        h('td', null, m.stage ? h('span', { class: `rollout rollout-${m.stage}` }, t(`rollout.${m.stage}`)) : '—'),
        h('td', null, m.total ? `${m.covered} / ${m.total} ${m.coverageUnit || ''}` : '—'),
        h('td', { class: 'mono' }, m.serviceItemCode || '—'),
        h('td', null, fmt.date(m.effectiveDate)))))));
  }
  if (cell.metrics && cell.metrics.length) {
    add(body, h('h3', null, t('cell.metrics')), h('table', { class: 'table compact' },
      h('thead', null, h('tr', null, h('th', null, t('common.metrics')), h('th', null, t('cell.period')),
        h('th', { class: 'num' }, t('cell.value')), h('th', { class: 'num' }, t('cell.reference')))),
      h('tbody', null, cell.metrics.map((m) => h('tr', null,
        h('td', null, m.nameZh || m.metricId), h('td', null, m.period),
        h('td', { class: 'num' }, `${fmt.number(m.value)} ${m.unit || ''}`),
        h('td', { class: 'num' }, m.referenceValue === null || m.referenceValue === undefined ? '—' : `${fmt.number(m.referenceValue)} ${m.unit || ''}`))))));
  }
  if (cell.flags && cell.flags.length) {
    add(body, h('h3', null, t('cell.flags')), h('ul', { class: 'flags' },
      cell.flags.map((f) => h('li', null, state.lang === 'en' ? (f.messageEn || f.messageZh) : f.messageZh))));
  }
  if (cell.supervision) add(body, supervisionBlock(cell.supervision, caseEntry, districts));
  add(body, h('h3', null, t('cell.history')));
  const history = (cell.history || []).slice().reverse();
  add(body, history.length ? h('ol', { class: 'timeline', id: 'cell-history' }, history.map((step) => h('li', {
    class: step.subject === 'supervision' ? 'sv-step' : null, dataset: { subject: step.subject, to: step.to || '' },
  },
  h('time', null, fmt.dateTime(step.at)),
  step.subject === 'supervision'
    ? [h('span', { class: 'subject' }, t('nav.duban')), h('strong', { class: 'transition' }, stepName(step.to))]
    : [h('span', { class: 'subject' }, step.subject === 'case' ? t('cell.caseWhole') : measureName(cell, step.subject)),
      h('span', { class: 'transition' },
        step.subject === 'case' ? t(`stage.${step.from}`) : (step.from ? t(`rollout.${step.from}`) : '—'),
        ' → ',
        h('strong', null, step.subject === 'case' ? t(`stage.${step.to}`) : t(`rollout.${step.to}`)))],
  step.by || step.channel ? h('span', { class: 'step-who muted small' },
    whoName(step.by, districts), step.channel ? ` · ${channelName(step.channel)}` : '') : null,
  step.detail && step.subject === 'supervision' ? h('span', { class: 'step-detail small' }, step.detail) : null)))
    : h('p', { class: 'muted' }, t('case.noTimeline')));
  if (health.rules && health.rules.length && !health.reasonZh) add(body, ruleList(health.rules));
}

/** The cell's 督办 state: due date and deadline, acknowledgement, urges and their answers, claims and reviews. */
function supervisionBlock(sv, caseEntry, districts) {
  return h('div', { class: 'sv-block', id: 'cell-supervision' },
    h('h3', null, t('cell.supervision'), ' ', sv.verifiedLive ? h('span', { class: 'badge verified-badge' }, '✓ ', t('matrix.legend.verified')) : null),
    h('dl', { class: 'facts' },
      fact(t('cell.sv.assigned'), sv.assigned ? `${fmt.dateTime(sv.assignedAt)} · ${whoName(sv.assignedBy, districts)}` : '—'),
      fact(t('duban.col.due'), sv.assigned ? [fmt.date(sv.dueDate), ' ', deadlineBadge(sv.deadline, sv.daysToDue)] : '—'),
      fact(t('duban.col.acknowledged'), sv.acknowledged ? `${sv.leadAgency || ''} · ${sv.contactName || ''}` : t('duban.notAcknowledged')),
      fact(t('cell.sv.claims'), t('cell.sv.claimCounts', { pending: sv.claimsPending, verified: sv.claimsVerified, returned: sv.claimsReturned }))),
    (sv.urges || []).length ? h('ul', { class: 'plain-list sv-urges' }, sv.urges.map((u) => h('li', { dataset: { urge: u.urgeEventId, answered: String(u.answered) } },
      h('div', null, levelBadge(u), ' ', u.message,
        h('div', { class: 'muted small' }, fmt.dateTime(u.urgedAt), ' · ', t('duban.col.replyBy'), ' ', fmt.date(u.replyBy))),
      h('div', { class: 'small' }, u.answered ? `${t('inbox.field.done')}：${u.done || '—'}` : t('cell.sv.unanswered'))))) : null,
    (sv.claims || []).length ? h('ul', { class: 'plain-list sv-claims' }, sv.claims.map((c) => h('li', { dataset: { claim: c.claimEventId, review: c.review } },
      h('div', null, claimText(c, caseEntry), h('div', { class: 'muted small' }, fmt.dateTime(c.claimedAt))),
      h('div', { class: `small review review-${c.review}` }, t(`review.${c.review}`), c.reason ? `：${c.reason}` : '')))) : null);
}

function fact(label, value) {
  return [h('dt', null, label), h('dd', null, value)];
}

function measureName(cell, id) {
  const m = (cell.measures || []).find((x) => x.measureId === id);
  return m && m.nameZh ? m.nameZh : id;
}
