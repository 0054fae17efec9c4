// The district clerk's 督办 inbox in the workspace: assignments to acknowledge (签收), urges to answer (反馈),
// claims the city office returned with its reasons, what is due soon or overdue — all for the signed-in
// district only — and the notification inbox (unread count, mark read).
import { h, add, clear, debounce, uuid } from '../dom.js';
import { t, pick, districtName } from '../i18n.js';
import { state } from '../state.js';
import { supervise, supervisionItems, notifications, ApiError } from '../api.js';
import * as fmt from '../format.js';
import { section, loading } from '../widgets.js';
import { openCell } from '../cell-drawer.js';
import { field, value, compact, clearErrors, showProblem, showDone } from '../forms.js';
import { deadlineBadge, levelBadge, claimText, shanghaiDatePlus } from '../supervision.js';

/** Renders the inbox into `root`; returns {refresh, dispose}. */
export function mountInbox(root, s, districts, cases) {
  const byCase = new Map(cases.map((c) => [c.caseId, c]));
  const caseTitle = (id) => (byCase.get(id) ? `${byCase.get(id).rank}. ${pick(byCase.get(id), 'title')}` : id);
  const dName = districtName(districts, s.districtCode);

  const panel = h('div', { id: 'inbox-action', class: 'action-panel', hidden: true });
  const notice = h('div', { id: 'inbox-notice', class: 'form-result', role: 'status', 'aria-live': 'polite' });
  const toAck = h('div', { id: 'inbox-acknowledge' }, loading());
  const urges = h('div', { id: 'inbox-urges' }, loading());
  const returned = h('div', { id: 'inbox-returned' }, loading());
  const due = h('div', { id: 'inbox-due' }, loading());
  const inboxList = h('div', { id: 'inbox-notifications' }, loading());
  const unread = h('span', { class: 'count-badge', id: 'inbox-unread', dataset: { count: '0' } }, '0');

  add(clear(root),
    h('p', { class: 'muted small' }, t('inbox.intro', { district: dName })),
    notice, panel,
    section(t('inbox.acknowledge'), toAck, { id: 'card-acknowledge', class: 'inner' }),
    section(t('inbox.urges'), urges, { id: 'card-inbox-urges', class: 'inner' }),
    section(t('inbox.returned'), returned, { id: 'card-inbox-returned', class: 'inner', hint: t('inbox.returned.hint') }),
    section(t('inbox.due'), due, { id: 'card-inbox-due', class: 'inner' }),
    section([t('inbox.notifications'), ' ', unread], inboxList, { id: 'card-notifications', class: 'inner' }));

  const open = (item) => openCell(item.caseId, item.districtCode, { caseTitle: caseTitle(item.caseId), districtName: dName });
  const cellLink = (item) => h('button', { class: 'link-button cell-link', onclick: () => open(item) }, caseTitle(item.caseId));

  async function refresh() {
    await Promise.all([refreshItems(), refreshNotifications()]);
    root.dataset.refreshedAt = String(Date.now());
  }

  async function refreshItems() {
    let items;
    try {
      items = ((await supervisionItems(state.batch, s.districtCode)).items || []).filter((i) => i.districtCode === s.districtCode);
    } catch (e) {
      for (const el of [toAck, urges, returned, due]) add(clear(el), h('p', { class: 'muted' }, t('common.error', { message: e.message })));
      return;
    }
    const pendingAck = items.filter((i) => i.assigned && !i.acknowledged);
    const openUrges = [];
    const back = [];
    for (const item of items) {
      for (const u of item.urges || []) if (!u.answered) openUrges.push({ item, urge: u });
      for (const c of item.claims || []) if (c.review === 'RETURNED') back.push({ item, claim: c });
    }
    const soon = items.filter((i) => !i.closed && (i.deadline === 'DUE_SOON' || i.deadline === 'OVERDUE'))
      .sort((a, b) => (a.daysToDue ?? 0) - (b.daysToDue ?? 0));
    root.dataset.todo = String(pendingAck.length + openUrges.length + back.length);
    const badge = document.getElementById('tab-inbox-count');
    if (badge) {
      badge.textContent = String(pendingAck.length + openUrges.length + back.length);
      badge.hidden = pendingAck.length + openUrges.length + back.length === 0;
    }

    add(clear(toAck), pendingAck.length ? h('ul', { class: 'plain-list todo-list', id: 'ack-list' }, pendingAck.map((item) => h('li', {
      dataset: { case: item.caseId },
    },
    h('div', null, cellLink(item),
      h('div', { class: 'muted small' }, t('inbox.assignedDue', { time: fmt.dateTime(item.assignedAt), due: fmt.date(item.dueDate) }))),
    h('button', { class: 'button small', dataset: { action: 'acknowledge' }, onclick: () => ackPanel(item) }, t('inbox.ack')))))
      : h('p', { class: 'muted empty' }, t('inbox.acknowledge.none')));

    add(clear(urges), openUrges.length ? h('ul', { class: 'plain-list todo-list', id: 'urge-list' }, openUrges.map(({ item, urge }) => h('li', {
      dataset: { case: item.caseId, urge: urge.urgeEventId },
    },
    h('div', null, cellLink(item), ' ', levelBadge(urge),
      h('div', { class: 'urge-message' }, urge.message),
      h('div', { class: 'muted small' }, t('inbox.urgedAt', { time: fmt.dateTime(urge.urgedAt), replyBy: fmt.date(urge.replyBy) }))),
    h('button', { class: 'button small', dataset: { action: 'respond' }, onclick: () => respondPanel(item, urge) }, t('inbox.respond')))))
      : h('p', { class: 'muted empty' }, t('inbox.urges.none')));

    add(clear(returned), back.length ? h('ul', { class: 'plain-list todo-list', id: 'returned-claims' }, back.map(({ item, claim }) => h('li', {
      dataset: { case: item.caseId, claim: claim.claimEventId },
    },
    h('div', null, cellLink(item),
      h('div', { class: 'claim-text' }, claimText(claim, byCase.get(item.caseId))),
      h('div', { class: 'return-reason' }, t('inbox.reason'), '：', claim.reason || '—'),
      h('div', { class: 'muted small' }, t('inbox.returnedAt', { time: fmt.dateTime(claim.reviewedAt) }))),
    h('a', { class: 'button secondary small', href: claim.kind === 'OUTCOME' ? '#/workspace/outcome' : claim.kind === 'ADOPTION' ? '#/workspace/adoption' : '#/workspace/rollout' },
      t('inbox.claimAgain')))))
      : h('p', { class: 'muted empty' }, t('inbox.returned.none')));

    add(clear(due), soon.length ? h('ul', { class: 'plain-list', id: 'due-list' }, soon.map((item) => h('li', { dataset: { case: item.caseId, deadline: item.deadline } },
      cellLink(item), deadlineBadge(item.deadline, item.daysToDue))))
      : h('p', { class: 'muted empty' }, t('inbox.due.none')));
  }

  async function refreshNotifications() {
    let page;
    try {
      page = await notifications.list(s.token, { size: 30 });
    } catch (e) {
      add(clear(inboxList), h('p', { class: 'muted' }, e instanceof ApiError && e.status === 401 ? t('ws.expired')
        : t('inbox.notificationsDown', { message: e.message })));
      return;
    }
    unread.textContent = String(page.unread);
    unread.dataset.count = String(page.unread);
    unread.classList.toggle('zero', page.unread === 0);
    add(clear(inboxList), page.items.length ? h('ul', { class: 'plain-list notifications', id: 'notification-list' }, page.items.map((n) => h('li', {
      class: n.read ? 'read' : 'unread', dataset: { id: n.notificationId, kind: n.kind, case: n.caseId || '' },
    },
    h('div', { class: 'notification-text' },
      h('strong', null, state.lang === 'en' ? (n.titleEn || n.titleZh) : (n.titleZh || n.titleEn)),
      h('div', { class: 'small' }, state.lang === 'en' ? (n.bodyEn || n.bodyZh) : (n.bodyZh || n.bodyEn)),
      h('div', { class: 'muted small' }, fmt.dateTime(n.createdAt), n.read ? ` · ${t('inbox.read')}` : '')),
    n.read ? null : h('button', {
      class: 'link-button', dataset: { action: 'read' },
      onclick: async (e) => {
        e.currentTarget.disabled = true;
        try {
          await notifications.markRead(n.notificationId, s.token);
        } finally {
          refreshNotifications();
        }
      },
    }, t('inbox.markRead')))))
      : h('p', { class: 'muted empty' }, t('inbox.notifications.none')));
  }

  // ---- the two district steps ------------------------------------------------------------------------

  function showPanel(title, form) {
    add(clear(panel), section(title, form, {
      class: 'action-card',
      tools: h('button', { class: 'icon-button', title: t('common.close'), onclick: closePanel }, '×'),
    }));
    panel.hidden = false;
    panel.scrollIntoView({ block: 'nearest' });
    const first = form.querySelector('textarea, input, select');
    if (first) first.focus();
  }

  function closePanel() {
    panel.hidden = true;
    clear(panel);
  }

  function stepForm(id, fields, submitLabel, step, build, done) {
    const submit = h('button', { type: 'submit', class: 'button', id: `${id}-submit` }, submitLabel);
    const result = h('div', { class: 'form-result', id: `${id}-result`, role: 'status' });
    const eventId = uuid();
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
        await supervise(step, compact({ eventId, ...build(form) }), s.token);
        closePanel();
        showDone(notice, done);
        refreshSoon();
      } catch (err) {
        showProblem(form, result, err, { forbidden: t('inbox.forbidden') });
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  function ackPanel(item) {
    showPanel(t('inbox.ackTitle', { case: caseTitle(item.caseId) }), stepForm('form-ack', [
      field('leadAgency', t('ws.field.leadAgency'), h('input', { type: 'text', maxlength: 100, value: s.agency || '' }), { required: true }),
      field('contactName', t('inbox.field.contactName'), h('input', { type: 'text', maxlength: 50 }), { required: true }),
      field('contactPhone', t('inbox.field.contactPhone'), h('input', { type: 'tel', maxlength: 30, placeholder: '021-57921234' })),
    ], t('inbox.ack'), 'acknowledge', (form) => ({
      caseId: item.caseId, districtCode: s.districtCode,
      leadAgency: value(form, 'leadAgency'), contactName: value(form, 'contactName'), contactPhone: value(form, 'contactPhone'),
    }), t('inbox.acked', { case: caseTitle(item.caseId) })));
  }

  function respondPanel(item, urge) {
    showPanel(t('inbox.respondTitle', { case: caseTitle(item.caseId) }), stepForm('form-respond', [
      h('p', { class: 'wide note' }, t('inbox.urgeSays', { message: urge.message, replyBy: fmt.date(urge.replyBy) })),
      field('done', t('inbox.field.done'), h('textarea', { rows: 3, maxlength: 1000 }), { class: 'wide', required: true }),
      field('blockers', t('inbox.field.blockers'), h('textarea', { rows: 2, maxlength: 1000 }), { class: 'wide' }),
      field('proposedDate', t('inbox.field.proposedDate'), h('input', { type: 'date', min: fmt.shanghaiToday(), placeholder: shanghaiDatePlus(30) })),
    ], t('inbox.sendResponse'), 'respond', (form) => ({
      caseId: item.caseId, districtCode: s.districtCode, urgeEventId: urge.urgeEventId,
      done: value(form, 'done'), blockers: value(form, 'blockers'), proposedDate: value(form, 'proposedDate'),
    }), t('inbox.responded', { case: caseTitle(item.caseId) })));
  }

  const refreshSoon = debounce(refresh, 400);
  // Notifications have no stream of their own: look again now and then while the inbox is open.
  const poll = setInterval(() => { if (!document.hidden) refreshNotifications(); }, 20000);
  return {
    refresh,
    refreshSoon,
    dispose() {
      clearInterval(poll);
    },
  };
}
