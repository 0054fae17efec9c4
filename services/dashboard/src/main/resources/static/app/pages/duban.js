// 督办: the city office's to-do lists — claims waiting for review (with the evidence), overdue and due-soon
// cells, unanswered urges, the districts' latest answers — with one-click urge and review, and the bulk
// assignment of a batch. Every action goes straight to supervision-service with the city office's token;
// the lists refetch when the status stream reports a change (no reload).
import { h, add, clear, $, $all, debounce, uuid } from '../dom.js';
import { t, pick, districtName } from '../i18n.js';
import { config, state } from '../state.js';
import { catalog, supervise, supervisionItems, signInCityOffice, ApiError } from '../api.js';
import * as fmt from '../format.js';
import { section, loading, kpi } from '../widgets.js';
import { openCell } from '../cell-drawer.js';
import { field, value, compact, clearErrors, showProblem, showDone } from '../forms.js';
import {
  deadlineBadge, levelBadge, nextLevel, claimText, citySession, saveCitySession, shanghaiDatePlus, LEVELS,
} from '../supervision.js';

export async function mount(root) {
  add(root, loading());
  const [districts, cases] = await Promise.all([catalog.districts(), catalog.cases()]);
  const byCase = new Map(cases.map((c) => [c.caseId, c]));
  clear(root);
  add(root, h('div', { class: 'page-head' },
    h('h1', null, t('duban.title')),
    h('p', { class: 'subtitle' }, t('duban.subtitle'))));
  let s = citySession();
  if (!s) {
    add(root, signInCard(root));
    return {};
  }

  const caseTitle = (id) => (byCase.get(id) ? `${byCase.get(id).rank}. ${pick(byCase.get(id), 'title')}` : id);
  const dName = (code) => districtName(districts, code);
  const open = (item) => openCell(item.caseId, item.districtCode, { caseTitle: caseTitle(item.caseId), districtName: dName(item.districtCode) });

  let items = [];
  const kpis = h('div', { class: 'kpis', id: 'duban-kpis' });
  const panel = h('div', { id: 'duban-action', class: 'action-panel', hidden: true });
  const notice = h('div', { id: 'duban-notice', class: 'form-result', role: 'status', 'aria-live': 'polite' });
  const reviews = h('div', { id: 'duban-reviews' }, loading());
  const deadlines = h('div', { id: 'duban-deadlines' }, loading());
  const urges = h('div', { id: 'duban-urges' }, loading());
  const answers = h('div', { id: 'duban-answers' }, loading());
  const returned = h('div', { id: 'duban-returned' }, loading());

  add(root,
    h('div', { class: 'identity', id: 'city-identity' },
      h('span', { class: 'local-badge' }, t('ws.localMode')),
      h('strong', null, t('sv.cityOffice')),
      h('span', { class: 'muted' }, t('ws.tokenUntil', { time: fmt.dateTime(s.expiresAt) })),
      h('button', {
        class: 'link-button', id: 'city-sign-out',
        onclick: () => { saveCitySession(null); dispatchEvent(new HashChangeEvent('hashchange')); },
      }, t('ws.signOut'))),
    state.asOf ? h('p', { class: 'note' }, t('duban.asOfNote')) : null,
    kpis, notice, panel,
    h('div', { class: 'grid two duban-grid' },
      section(t('duban.reviews'), reviews, { id: 'card-reviews', hint: t('duban.reviews.hint') }),
      section(t('duban.deadlines'), deadlines, { id: 'card-deadlines', hint: t('duban.deadlines.hint') }),
      section(t('duban.urges'), urges, { id: 'card-urges', hint: t('duban.urges.hint') }),
      section(t('duban.answers'), answers, { id: 'card-answers', hint: t('duban.answers.hint') }),
      section(t('duban.returned'), returned, { id: 'card-returned', hint: t('duban.returned.hint') })),
    section(t('duban.assign'), assignForm(), { id: 'card-assign', hint: t('duban.assign.hint') }));

  const token = () => {
    s = citySession();
    if (!s) throw new ApiError(401, {});
    return s.token;
  };

  // ---- the lists ------------------------------------------------------------------------------------

  async function refresh() {
    let view;
    try {
      view = await supervisionItems(state.batch);
    } catch (e) {
      for (const el of [reviews, deadlines, urges, answers, returned]) {
        add(clear(el), h('p', { class: 'muted' }, t('common.error', { message: e.message })));
      }
      return;
    }
    items = view.items || [];
    const pending = [];
    const returnedClaims = [];
    const openUrges = [];
    const answered = [];
    for (const item of items) {
      for (const c of item.claims || []) {
        if (c.review === 'PENDING') pending.push({ item, claim: c });
        else if (c.review === 'RETURNED') returnedClaims.push({ item, claim: c });
      }
      for (const u of item.urges || []) (u.answered ? answered : openUrges).push({ item, urge: u });
    }
    pending.sort((a, b) => String(a.claim.claimedAt).localeCompare(String(b.claim.claimedAt)));
    openUrges.sort((a, b) => String(a.urge.replyBy).localeCompare(String(b.urge.replyBy)));
    answered.sort((a, b) => String(b.urge.respondedAt).localeCompare(String(a.urge.respondedAt)));
    const late = items.filter((i) => !i.closed && (i.deadline === 'OVERDUE' || i.deadline === 'DUE_SOON'))
      .sort((a, b) => (a.daysToDue ?? 0) - (b.daysToDue ?? 0));

    add(clear(kpis),
      kpi(t('duban.kpi.reviews'), String(pending.length), t('duban.kpi.reviews.hint'), 'kpi-primary'),
      kpi(t('duban.kpi.overdue'), String(items.filter((i) => i.deadline === 'OVERDUE' && !i.closed).length),
        t('duban.kpi.dueSoon', { n: items.filter((i) => i.deadline === 'DUE_SOON' && !i.closed).length }), 'kpi-red'),
      kpi(t('duban.kpi.urges'), String(openUrges.length), t('duban.kpi.escalated', { n: openUrges.filter((x) => x.urge.level !== x.urge.initialLevel).length })),
      kpi(t('duban.kpi.assigned'), String(items.filter((i) => i.assigned).length),
        t('duban.kpi.closed', { n: items.filter((i) => i.closed).length, verified: items.filter((i) => i.verifiedLive).length }), 'kpi-live'));
    kpis.dataset.pending = String(pending.length);

    renderReviews(pending);
    renderDeadlines(late);
    renderUrges(openUrges);
    renderAnswers(answered.slice(0, 12));
    renderReturned(returnedClaims);
    root.dataset.refreshedAt = String(Date.now());
  }

  function cellLink(item) {
    return h('button', { class: 'link-button cell-link', onclick: () => open(item), title: t('duban.openCell') },
      caseTitle(item.caseId), ' × ', dName(item.districtCode));
  }

  function renderReviews(list) {
    if (!list.length) {
      add(clear(reviews), h('p', { class: 'muted empty' }, t('duban.reviews.none')));
      return;
    }
    add(clear(reviews), h('table', { class: 'table compact', id: 'reviews-table' },
      h('thead', null, h('tr', null, h('th', null, t('duban.col.cell')), h('th', null, t('duban.col.claim')),
        h('th', null, t('duban.col.claimedAt')), h('th', null, ''))),
      h('tbody', null, list.map(({ item, claim }) => h('tr', {
        dataset: { case: item.caseId, district: item.districtCode, claim: claim.claimEventId, kind: claim.kind },
      },
      h('td', null, cellLink(item)),
      h('td', null, h('span', { class: 'claim-text' }, claimText(claim, byCase.get(item.caseId))),
        h('div', { class: 'muted small' }, t('duban.claimBy', { district: dName(item.districtCode) }))),
      h('td', { class: 'nowrap' }, fmt.dateTime(claim.claimedAt)),
      h('td', { class: 'actions' },
        h('button', { class: 'button small accept', dataset: { action: 'accept' }, onclick: (e) => accept(e.currentTarget, item, claim) }, t('duban.accept')),
        h('button', { class: 'button secondary small', dataset: { action: 'return' }, onclick: () => returnPanel(item, claim) }, t('duban.return')),
        h('button', { class: 'link-button', dataset: { action: 'evidence' }, onclick: () => open(item) }, t('duban.evidence'))))))));
  }

  function renderDeadlines(list) {
    if (!list.length) {
      add(clear(deadlines), h('p', { class: 'muted empty' }, t('duban.deadlines.none')));
      return;
    }
    add(clear(deadlines), h('table', { class: 'table compact', id: 'deadlines-table' },
      h('thead', null, h('tr', null, h('th', null, t('duban.col.cell')), h('th', null, t('duban.col.due')),
        h('th', null, t('duban.col.acknowledged')), h('th', null, ''))),
      h('tbody', null, list.map((item) => h('tr', { dataset: { case: item.caseId, district: item.districtCode, deadline: item.deadline } },
        h('td', null, cellLink(item)),
        h('td', null, deadlineBadge(item.deadline, item.daysToDue), h('div', { class: 'muted small' }, fmt.date(item.dueDate))),
        h('td', null, item.acknowledged ? t('common.yes') : h('span', { class: 'warn' }, t('duban.notAcknowledged'))),
        h('td', { class: 'actions' },
          h('button', { class: 'button small', dataset: { action: 'urge' }, onclick: () => urgePanel(item) }, t('duban.urge'))))))));
  }

  function renderUrges(list) {
    if (!list.length) {
      add(clear(urges), h('p', { class: 'muted empty' }, t('duban.urges.none')));
      return;
    }
    const today = fmt.shanghaiToday();
    add(clear(urges), h('table', { class: 'table compact', id: 'urges-table' },
      h('thead', null, h('tr', null, h('th', null, t('duban.col.cell')), h('th', null, t('duban.col.message')),
        h('th', null, t('duban.col.replyBy')), h('th', null, t('duban.col.level')), h('th', null, ''))),
      h('tbody', null, list.map(({ item, urge }) => h('tr', { dataset: { case: item.caseId, district: item.districtCode, urge: urge.urgeEventId } },
        h('td', null, cellLink(item)),
        h('td', null, h('span', { class: 'urge-message' }, urge.message), h('div', { class: 'muted small' }, fmt.dateTime(urge.urgedAt))),
        h('td', { class: urge.replyBy < today ? 'late nowrap' : 'nowrap' }, fmt.date(urge.replyBy)),
        h('td', null, levelBadge(urge)),
        h('td', { class: 'actions' },
          h('button', { class: 'button secondary small', dataset: { action: 'urge-again' }, onclick: () => urgePanel(item, nextLevel(urge.level)) }, t('duban.urgeAgain'))))))));
  }

  function renderAnswers(list) {
    if (!list.length) {
      add(clear(answers), h('p', { class: 'muted empty' }, t('duban.answers.none')));
      return;
    }
    add(clear(answers), h('ul', { class: 'plain-list answers', id: 'answers-list' }, list.map(({ item, urge }) => h('li', {
      dataset: { case: item.caseId, district: item.districtCode, urge: urge.urgeEventId },
    },
    h('div', null, cellLink(item), ' ', h('span', { class: 'muted small' }, t('duban.answeredAt', { time: fmt.dateTime(urge.respondedAt) }))),
    h('div', { class: 'muted small' }, t('duban.toUrge', { message: urge.message })),
    h('div', { class: 'answer-done' }, t('inbox.field.done'), '：', urge.done || '—'),
    urge.blockers ? h('div', { class: 'answer-blockers' }, t('inbox.field.blockers'), '：', urge.blockers) : null,
    urge.proposedDate ? h('div', null, t('inbox.field.proposedDate'), '：', fmt.date(urge.proposedDate)) : null))));
  }

  function renderReturned(list) {
    if (!list.length) {
      add(clear(returned), h('p', { class: 'muted empty' }, t('duban.returned.none')));
      return;
    }
    add(clear(returned), h('ul', { class: 'plain-list', id: 'returned-list' }, list.map(({ item, claim }) => h('li', {
      dataset: { case: item.caseId, district: item.districtCode, claim: claim.claimEventId },
    },
    h('div', null, cellLink(item)),
    h('div', { class: 'claim-text' }, claimText(claim, byCase.get(item.caseId))),
    h('div', { class: 'muted small' }, t('duban.returnedAt', { time: fmt.dateTime(claim.reviewedAt), reason: claim.reason || '—' }))))));
  }

  // ---- actions ------------------------------------------------------------------------------------

  function say(text) {
    showDone(notice, text);
  }

  async function accept(button, item, claim) {
    button.disabled = true;
    try {
      await supervise('review', {
        eventId: uuid(), caseId: item.caseId, districtCode: item.districtCode,
        claimEventId: claim.claimEventId, claimKind: claim.kind, verdict: 'ACCEPTED',
      }, token());
      say(t('duban.accepted', { cell: `${caseTitle(item.caseId)} × ${dName(item.districtCode)}` }));
      refreshSoon();
    } catch (e) {
      notice.className = 'form-result error';
      notice.textContent = e instanceof ApiError && e.status === 401 ? t('ws.expired')
        : t('ws.rejected', { detail: (e.problem && (e.problem.detail || e.problem.title)) || e.message });
      button.disabled = false;
    }
  }

  /** Opens the action panel with a form; the lists below may refresh meanwhile without touching it. */
  function showPanel(title, form) {
    add(clear(panel), section(title, form, {
      class: 'action-card',
      tools: h('button', { class: 'icon-button', id: 'duban-action-close', title: t('common.close'), onclick: closePanel }, '×'),
    }));
    panel.hidden = false;
    panel.scrollIntoView({ block: 'nearest' });
    const first = form.querySelector('textarea, input:not([type=hidden]), select');
    if (first) first.focus();
  }

  function closePanel() {
    panel.hidden = true;
    clear(panel);
  }

  function actionForm(id, fields, submitLabel, build, step, done) {
    const submit = h('button', { type: 'submit', class: 'button', id: `${id}-submit` }, submitLabel);
    const result = h('div', { class: 'form-result', id: `${id}-result`, role: 'status' });
    const eventId = uuid(); // kept across retries of the same form: a repeat is recognised, not doubled
    const form = h('form', { class: 'form grid-form', id, novalidate: true }, fields,
      h('div', { class: 'form-actions wide' }, submit,
        h('button', { type: 'button', class: 'button secondary', onclick: closePanel }, t('sv.cancel'))), result);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      result.className = 'form-result pending';
      result.textContent = t('ws.sending');
      submit.disabled = true;
      try {
        await supervise(step, compact({ eventId, ...build(form) }), token());
        closePanel();
        say(done);
        refreshSoon();
      } catch (err) {
        showProblem(form, result, err, { forbidden: t('sv.forbidden') });
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  function urgePanel(item, level = 'DISTRICT_CLERK') {
    const cell = `${caseTitle(item.caseId)} × ${dName(item.districtCode)}`;
    const levelSelect = h('select', null, LEVELS.map((l) => h('option', { value: l, selected: l === level }, t(`level.${l}`))));
    showPanel(t('duban.urgeTitle', { cell }), actionForm('form-urge', [
      h('p', { class: 'wide muted small' }, item.dueDate ? t('duban.urgeContext', { due: fmt.date(item.dueDate), state: t(`deadline.${item.deadline || 'NONE'}`) }) : ''),
      field('message', t('duban.field.message'), h('textarea', { rows: 3, maxlength: 500 }), { class: 'wide', required: true, hint: t('duban.field.message.hint') }),
      field('replyBy', t('duban.field.replyBy'), h('input', { type: 'date', value: shanghaiDatePlus(3), min: fmt.shanghaiToday() }), { required: true }),
      field('level', t('duban.field.level'), levelSelect),
    ], t('duban.sendUrge'), (form) => ({
      caseId: item.caseId, districtCode: item.districtCode,
      message: value(form, 'message'), replyBy: value(form, 'replyBy'), level: value(form, 'level'),
    }), 'urge', t('duban.urged', { cell })));
  }

  function returnPanel(item, claim) {
    const cell = `${caseTitle(item.caseId)} × ${dName(item.districtCode)}`;
    showPanel(t('duban.returnTitle', { cell }), actionForm('form-return', [
      h('p', { class: 'wide claim-text' }, claimText(claim, byCase.get(item.caseId)), ' · ', fmt.dateTime(claim.claimedAt)),
      field('reason', t('duban.field.reason'), h('textarea', { rows: 3, maxlength: 500 }), { class: 'wide', required: true, hint: t('duban.field.reason.hint') }),
    ], t('duban.sendReturn'), (form) => ({
      caseId: item.caseId, districtCode: item.districtCode, claimEventId: claim.claimEventId, claimKind: claim.kind,
      verdict: 'RETURNED', reason: value(form, 'reason'),
    }), 'review', t('duban.returnedDone', { cell })));
  }

  // ---- bulk assignment ------------------------------------------------------------------------------

  function assignForm() {
    const live = cases.filter((c) => c.state !== 'RETIRED');
    const caseChecks = h('div', { class: 'checks assign-cases', id: 'assign-cases' }, live.map((c) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'assign-case', value: c.caseId }), `${c.rank}. ${pick(c, 'title')}`)));
    const districtChecks = h('div', { class: 'checks assign-districts', id: 'assign-districts' }, districts.map((d) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'assign-district', value: d.code }), pick(d, 'name'))));
    const all = (box, on) => { for (const el of $all('input[type=checkbox]', box)) el.checked = on; renderCells(); };
    const due = h('input', { type: 'date', value: shanghaiDatePlus(90), min: fmt.shanghaiToday() });
    const cellsBox = h('div', { id: 'assign-cells', class: 'assign-cells' });
    const submit = h('button', { type: 'submit', class: 'button', id: 'assign-submit' }, t('duban.assignSubmit'));
    const result = h('div', { class: 'form-result', id: 'assign-result', role: 'status' });
    let batchEventId = uuid();
    let cells = [];

    function renderCells() {
      const chosenCases = $all('input[name=assign-case]:checked', form).map((el) => el.value);
      const chosenDistricts = $all('input[name=assign-district]:checked', form).map((el) => el.value);
      const kept = new Map($all('input[data-cell]', cellsBox).map((el) => [el.dataset.cell, el.value]));
      cells = [];
      for (const c of chosenCases) {
        const origin = byCase.get(c) && byCase.get(c).originDistrict;
        for (const d of chosenDistricts) if (d !== origin) cells.push({ caseId: c, districtCode: d });
      }
      batchEventId = uuid(); // another set of cells is another batch
      if (!cells.length) {
        add(clear(cellsBox), h('p', { class: 'muted small' }, t('duban.assign.empty')));
        return;
      }
      const assigned = new Set(items.filter((i) => i.assigned).map((i) => `${i.caseId}|${i.districtCode}`));
      add(clear(cellsBox),
        h('p', { class: 'small', id: 'assign-count' }, t('duban.assign.count', { n: cells.length }),
          h('div', { class: 'field-error', dataset: { errorFor: 'cells' } })),
        h('table', { class: 'table compact', id: 'assign-table' },
          h('thead', null, h('tr', null, h('th', null, t('common.case')), h('th', null, t('common.district')),
            h('th', null, t('duban.col.override')))),
          h('tbody', null, cells.map((cell, i) => {
            const key = `${cell.caseId}|${cell.districtCode}`;
            return h('tr', { dataset: { case: cell.caseId, district: cell.districtCode } },
              h('td', null, caseTitle(cell.caseId)),
              h('td', null, dName(cell.districtCode), assigned.has(key) ? h('span', { class: 'muted small' }, ` · ${t('duban.assign.already')}`) : null),
              h('td', { class: 'cell-override' },
                h('input', { type: 'date', dataset: { cell: key, index: String(i) }, value: kept.get(key) || '', 'aria-label': t('duban.col.override') }),
                h('div', { class: 'field-error', dataset: { errorFor: `cells[${i}]` } })));
          }))));
    }

    const form = h('form', { class: 'form assign-form', id: 'form-assign', novalidate: true },
      h('div', { class: 'assign-pick' },
        h('div', { class: 'field' }, h('label', null, t('duban.assign.cases'), ' ',
          h('button', { type: 'button', class: 'link-button', id: 'assign-all-cases', onclick: () => all(caseChecks, true) }, t('duban.all')),
          h('button', { type: 'button', class: 'link-button', onclick: () => all(caseChecks, false) }, t('duban.none'))), caseChecks),
        h('div', { class: 'field' }, h('label', null, t('duban.assign.districts'), ' ',
          h('button', { type: 'button', class: 'link-button', id: 'assign-all-districts', onclick: () => all(districtChecks, true) }, t('duban.all')),
          h('button', { type: 'button', class: 'link-button', onclick: () => all(districtChecks, false) }, t('duban.none'))), districtChecks,
        h('div', { class: 'field-hint' }, t('duban.assign.originHint')))),
      h('div', { class: 'grid-form' },
        field('dueDate', t('duban.field.dueDate'), due, { required: true, hint: t('duban.field.dueDate.hint') }),
        field('note', t('ws.field.note'), h('input', { type: 'text', maxlength: 2000 }))),
      cellsBox,
      h('div', { class: 'form-actions' }, submit), result);
    form.addEventListener('change', (e) => {
      if (e.target.name === 'assign-case' || e.target.name === 'assign-district') renderCells();
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      if (!cells.length) {
        result.className = 'form-result error';
        result.textContent = t('duban.assign.empty');
        return;
      }
      const overrides = $all('input[data-cell]', cellsBox);
      const body = compact({
        eventId: batchEventId,
        dueDate: value(form, 'dueDate'),
        note: value(form, 'note'),
        cells: cells.map((c, i) => compact({ ...c, dueDate: overrides[i] && overrides[i].value ? overrides[i].value : undefined })),
      });
      result.className = 'form-result pending';
      result.textContent = t('ws.sending');
      submit.disabled = true;
      try {
        const receipt = await supervise('assignBatch', body, token());
        showDone(result, t('duban.assigned', { n: receipt.count ?? cells.length, duplicates: receipt.duplicates ?? 0 }));
        refreshSoon();
      } catch (err) {
        showProblem(form, result, err, { forbidden: t('sv.forbidden') });
      } finally {
        submit.disabled = false;
      }
    });
    renderCells();
    return form;
  }

  await refresh();
  const refreshSoon = debounce(refresh, 400);
  return {
    onStatus() {
      refreshSoon();
    },
  };
}

function signInCard() {
  if (!config.localSignIn) {
    return section(t('duban.signIn'), h('p', { class: 'muted' }, t('duban.noSignIn')));
  }
  const result = h('div', { class: 'form-result', id: 'city-signin-result' });
  return section(t('duban.signIn'), h('div', { class: 'form narrow', id: 'form-city-signin' },
    h('p', { class: 'note local-note' }, h('span', { class: 'local-badge' }, t('ws.localMode')), ' ', t('duban.localNote')),
    h('div', { class: 'form-actions' }, h('button', {
      class: 'button', id: 'city-sign-in',
      onclick: async () => {
        try {
          saveCitySession(await signInCityOffice());
          dispatchEvent(new HashChangeEvent('hashchange'));
        } catch (e) {
          result.className = 'form-result error';
          result.textContent = e.message;
        }
      },
    }, t('duban.signInButton'))), result), { class: 'signin-card' });
}
