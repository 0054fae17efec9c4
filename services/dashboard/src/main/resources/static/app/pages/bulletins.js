// 通报: pick a batch and a period, preview the bulletin (computed from the status as of the period's end), issue it
// (city office only: the button needs the city office's local session), and read every issued version with both
// files. A district clerk reads and downloads like anyone; issuing is refused by the status service for anyone but
// the city office, and the page does not offer it.
import { h, add, clear } from '../dom.js';
import { t, pick } from '../i18n.js';
import { state } from '../state.js';
import { bulletins, catalog, ApiError } from '../api.js';
import * as fmt from '../format.js';
import { section, loading, kpi } from '../widgets.js';
import { citySession } from '../supervision.js';
import { field, showProblem, showDone, clearErrors } from '../forms.js';

/** Last month in Shanghai, e.g. 2026-11. */
export function lastMonth() {
  const [y, m] = fmt.shanghaiToday().split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 2, 1));
  return d.toISOString().slice(0, 7);
}

export async function mount(root) {
  add(root, loading());
  const batches = await catalog.batches().catch(() => []);
  clear(root);
  add(root, h('div', { class: 'page-head' }, h('h1', null, t('bl.title')), h('p', { class: 'subtitle' }, t('bl.subtitle'))));
  const city = citySession();
  const batchSelect = h('select', { id: 'bl-batch', name: 'batch' },
    (batches.length ? batches.filter((b) => b.casesListed !== false) : [{ batchId: state.batch }]).map((b) => {
      const id = b.batchId || b.id;
      return h('option', { value: id, selected: id === state.batch }, id);
    }));
  const kindSelect = h('select', { id: 'bl-kind' },
    ['month', 'quarter', 'custom'].map((k) => h('option', { value: k }, t(`bl.kind.${k}`))));
  const periodInput = h('input', { id: 'bl-period', name: 'period', value: lastMonth(), size: 24 });
  kindSelect.addEventListener('change', () => {
    const m = lastMonth();
    const [y, mm] = m.split('-').map(Number);
    periodInput.value = kindSelect.value === 'month' ? m
      : kindSelect.value === 'quarter' ? `${y}-Q${Math.floor((mm - 1) / 3) + 1}` : `${m}-01_${m}-15`;
  });
  const previewBox = h('div', { id: 'bl-preview' }, h('p', { class: 'muted' }, t('bl.previewHint')));
  const issueResult = h('div', { class: 'form-result', id: 'bl-issue-result', role: 'status', 'aria-live': 'polite' });
  const reason = h('input', { id: 'bl-reason', name: 'reason', size: 40, placeholder: t('bl.reasonPlaceholder') });
  const issueButton = h('button', { class: 'button', id: 'bl-issue', type: 'button' }, t('bl.issue'));
  const listBox = h('div', { id: 'bl-list' }, loading());
  const form = h('div', { class: 'form', id: 'bl-form' },
    h('div', { class: 'form-row' },
      field('batch', t('bl.batch'), batchSelect),
      field('kind', t('bl.kind'), kindSelect),
      field('period', t('bl.period'), periodInput, { hint: t('bl.periodHint') })),
    h('div', { class: 'form-actions' },
      h('button', { class: 'button secondary', id: 'bl-preview-button', type: 'button', onclick: preview }, t('bl.preview')),
      h('a', { class: 'button secondary', id: 'bl-preview-pdf', href: '#', onclick: (e) => { e.currentTarget.href = bulletins.previewFileUrl(batchSelect.value, periodInput.value.trim(), 'pdf'); } }, '⬇ PDF'),
      h('a', { class: 'button secondary', id: 'bl-preview-xlsx', href: '#', onclick: (e) => { e.currentTarget.href = bulletins.previewFileUrl(batchSelect.value, periodInput.value.trim(), 'xlsx'); } }, '⬇ .xlsx')));
  const issueCard = city
    ? h('div', { class: 'form', id: 'bl-issue-form' },
      field('reason', t('bl.reason'), reason, { hint: t('bl.reasonHint') }),
      h('div', { class: 'form-actions' }, issueButton), issueResult)
    : h('p', { class: 'note', id: 'bl-issue-note' }, t('bl.cityOnly'));
  add(root,
    section(t('bl.pick'), form, { id: 'card-bl-pick' }),
    section(t('bl.issueTitle'), issueCard, { id: 'card-bl-issue' }),
    section(t('bl.previewTitle'), previewBox, { id: 'card-bl-preview' }),
    section(t('bl.issued'), listBox, { id: 'card-bl-list', hint: t('bl.issuedHint') }));

  async function preview() {
    clearErrors(form);
    add(clear(previewBox), loading());
    try {
      const b = await bulletins.preview(batchSelect.value, periodInput.value.trim());
      add(clear(previewBox), render(b));
    } catch (e) {
      clear(previewBox);
      showProblem(form, previewBox, e, {});
    }
  }

  issueButton.addEventListener('click', async () => {
    clearErrors(root);
    issueButton.disabled = true;
    try {
      const s = citySession();
      if (!s) throw new ApiError(401, {});
      const v = await bulletins.issue({ batch: batchSelect.value, period: periodInput.value.trim(), reason: reason.value.trim() || null }, s.token);
      showDone(issueResult, t('bl.issuedDone', { key: v.bulletinKey }));
      await refreshList();
    } catch (e) {
      showProblem(root.querySelector('#bl-issue-form') || form, issueResult, e, { forbidden: t('bl.cityOnly') });
    } finally {
      issueButton.disabled = false;
    }
  });

  async function refreshList() {
    try {
      const rows = await bulletins.list(batchSelect.value);
      add(clear(listBox), rows.length ? issuedTable(rows) : h('p', { class: 'muted', id: 'bl-none' }, t('bl.none')));
    } catch (e) {
      add(clear(listBox), h('p', { class: 'muted' }, t('common.error', { message: e.message })));
    }
  }
  batchSelect.addEventListener('change', refreshList);
  await refreshList();
  return {};
}

function issuedTable(rows) {
  return h('table', { class: 'table compact', id: 'bl-versions' },
    h('thead', null, h('tr', null, ['bl.col.period', 'bl.col.version', 'bl.col.issuedAt', 'bl.col.issuedBy', 'bl.col.reason',
      'bl.col.adoption', 'bl.col.live', 'bl.col.verified', 'bl.col.files'].map((k) => h('th', null, t(k))))),
    h('tbody', null, rows.slice().reverse().map((v) => h('tr', { class: 'bl-version', dataset: { key: v.bulletinKey } },
      h('td', null, v.period),
      h('td', { class: 'num' }, `v${v.version}`, v.scheduled ? h('span', { class: 'badge' }, t('bl.scheduled')) : null),
      h('td', null, fmt.dateTime(v.issuedAt)),
      h('td', null, v.issuedBy),
      h('td', null, v.reason || '—'),
      h('td', { class: 'num' }, fmt.percent(v.adoptionRate)),
      h('td', { class: 'num' }, fmt.percent(v.liveRate)),
      h('td', { class: 'num' }, fmt.percent(v.verifiedLiveRate)),
      h('td', null,
        h('a', { class: 'bl-pdf', href: bulletins.fileUrl(v.pdf), download: '' }, 'PDF'), ' · ',
        h('a', { class: 'bl-xlsx', href: bulletins.fileUrl(v.xlsx), download: '' }, '.xlsx'))))));
}

/** The bulletin's sections as the page shows them. */
export function render(b) {
  const c = b.city;
  const d = b.trend.city;
  const signed = (x, pct) => (x === null || x === undefined ? '—' : `${x > 0 ? '+' : ''}${pct ? fmt.percent(x) : x}`);
  const table = (id, heads, rows) => (rows.length ? h('table', { class: 'table compact', id },
    h('thead', null, h('tr', null, heads.map((k) => h('th', null, t(k))))),
    h('tbody', null, rows.map((r) => h('tr', null, r.map((x) => h('td', null, x))))))
    : h('p', { class: 'muted' }, t('common.none')));
  return h('div', { class: 'bulletin', id: 'bl-bulletin', dataset: { period: b.periodCode } },
    h('h3', null, `${b.batchId} ${state.lang === 'en' ? b.periodLabelEn : b.periodLabelZh}`),
    h('p', { class: 'muted' }, t('bl.asOf', { time: fmt.dateTime(b.asOf), previous: b.previousPeriodCode })),
    h('div', { class: 'kpis' },
      kpi(t('bl.adoptionRate'), fmt.percent(c.adoptionRate), signed(d.adoptionRate, true)),
      kpi(t('bl.liveRate'), fmt.percent(c.liveRate), signed(d.liveRate, true)),
      kpi(t('bl.verifiedRate'), fmt.percent(c.verifiedLiveRate), signed(d.verifiedLiveRate, true)),
      kpi(t('bl.overdue'), String(c.overdue), signed(d.overdue, false))),
    h('h4', null, t('bl.sec.districts')),
    table('bl-districts', ['bl.col.rank', 'bl.col.district', 'bl.col.adoption', 'bl.col.live', 'bl.col.verified', 'bl.col.red', 'bl.col.overdue'],
      b.districts.map((x) => [x.rank, state.lang === 'en' ? x.nameEn : x.nameZh, fmt.percent(x.rates.adoptionRate),
        fmt.percent(x.rates.liveRate), fmt.percent(x.rates.verifiedLiveRate), x.rates.red, x.rates.overdue])),
    h('p', null, h('strong', null, t('bl.leaders')), ' ', b.leaders.map((x) => x.nameZh).join('、') || '—', '　',
      h('strong', null, t('bl.laggards')), ' ', b.laggards.map((x) => x.nameZh).join('、') || '—'),
    h('h4', null, t('bl.sec.red')),
    table('bl-red', ['bl.col.case', 'bl.col.district', 'bl.col.reason'],
      b.redCells.map((r) => [`${r.caseId} ${r.caseTitleZh}`, r.districtNameZh, state.lang === 'en' ? r.reasonEn : r.reasonZh])),
    h('h4', null, t('bl.sec.overdue')),
    table('bl-overdue', ['bl.col.case', 'bl.col.district', 'bl.col.due', 'bl.col.daysOverdue'],
      b.overdue.map((o) => [`${o.caseId} ${o.caseTitleZh}`, o.districtNameZh, o.dueDate || '—', o.daysOverdue ?? '—'])),
    h('h4', null, t('bl.sec.urges')),
    table('bl-urges', ['bl.col.case', 'bl.col.district', 'bl.col.urgedAt', 'bl.col.message', 'bl.col.answered'],
      b.urges.map((u) => [u.caseId, u.districtNameZh, fmt.dateTime(u.urgedAt), u.message, u.answered ? t('bl.yes') : t('bl.no')])),
    h('h4', null, t('bl.sec.returned')),
    table('bl-returned', ['bl.col.case', 'bl.col.district', 'bl.col.claim', 'bl.col.reason'],
      b.returnedClaims.map((r) => [r.caseId, r.districtNameZh, `${r.subject} ${r.claim}`, r.reason || '—'])),
    h('h4', null, t('bl.sec.outcomes')),
    table('bl-outcomes', ['bl.col.case', 'bl.col.district', 'bl.col.metric', 'bl.col.value', 'bl.col.reference'],
      b.outcomes.map((o) => [o.caseId, o.districtNameZh, `${o.metricNameZh} ${o.period}`, `${o.value} ${o.unit}`,
        o.referenceValue === null ? '—' : `${o.referenceValue}${o.ratio === null ? '' : ` (${fmt.percent(o.ratio)})`}`])));
}

export function districtLabel(x) {
  return pick({ nameZh: x.nameZh, nameEn: x.nameEn }, 'name');
}
