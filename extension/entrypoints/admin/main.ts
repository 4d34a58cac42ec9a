import '../../lib/zod-jitless';
import { OrgKind, type ApiKeyInfo, type AuditEvent, type Org, type OrgFigures, type Role, type WhoAmI } from '../../../shared';
import { confirmButton, consoleCall, say, when } from '../../ui/console';
import { $, h } from '../../ui/dom';

const message = $('#message');
let me: WhoAmI;
/** The organization whose figures, keys and audit rows are shown (an operator admin can pick any). */
let current: Pick<Org, 'id' | 'name' | 'kind'>;
let auditAfter = 0;

const FIGURES: Record<keyof OrgFigures['flags'], string> = {
  listed: 'Listed',
  disputed: 'Disputed (marked by a reviewer while deciding)',
  pending: 'Pending (reported)',
  rejected: 'Rejected or delisted by a reviewer',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
};

async function showFigures(): Promise<void> {
  const answer = await consoleCall('figures', { orgId: current.id });
  if ('failure' in answer) return say(message, answer.failure, true);
  const { flags, confirmedShare } = answer.ok;
  $('#figures').replaceChildren(
    ...(Object.entries(FIGURES) as [keyof OrgFigures['flags'], string][]).flatMap(([key, label]) => [
      h('dt', {}, label),
      h('dd', { 'data-figure': key }, String(flags[key])),
    ]),
    h('dt', {}, 'Share the list stands behind'),
    h('dd', { 'data-figure': 'confirmedShare' }, confirmedShare === null ? '—' : `${Math.round(confirmedShare * 100)}%`),
  );
  $('#figures-note').textContent = 'Of the flags that reached a decision (listed, disputed or rejected), the share still listed.';
}

function keyRow(key: ApiKeyInfo): HTMLElement {
  const revoke = async () => {
    const answer = await consoleCall('revokeKey', { keyId: key.id });
    if ('failure' in answer) return say(message, answer.failure, true);
    say(message, `Revoked “${key.label}”: it stopped working at once.`);
    await Promise.all([showKeys(), showAudit(true)]);
  };
  return h(
    'tr',
    { 'data-key': key.id },
    h('td', {}, key.label),
    h('td', {}, key.role),
    h('td', {}, h('code', {}, `${key.prefix}…`)),
    h('td', {}, when(key.createdAt)),
    h('td', {}, key.lastUsedAt ? when(key.lastUsedAt) : 'never'),
    h(
      'td',
      {},
      key.revokedAt
        ? `revoked ${when(key.revokedAt)}`
        : key.id === me.key.id
          ? 'this key'
          : confirmButton('Revoke', `Revoke “${key.label}”? It stops working at once.`, revoke, { 'data-revoke': key.id }),
    ),
  );
}

async function showKeys(): Promise<void> {
  const answer = await consoleCall('keys', { orgId: current.id });
  if ('failure' in answer) return say(message, answer.failure, true);
  $('#keys').replaceChildren(...answer.ok.keys.map(keyRow));
}

/** The new key, once: copy it now, it is never shown again. */
function showCreated(key: string, label: string): void {
  const field = h('input', { type: 'text', readonly: true, value: key, id: 'new-key', 'aria-label': `The key for ${label}` });
  const copied = h('span', { role: 'status' });
  $('#created-key').replaceChildren(
    h(
      'div',
      { class: 'shown-once', role: 'alert' },
      h('p', {}, `The key for “${label}”, shown this once: copy it now and hand it over safely. Only its hash is kept.`),
      field,
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            type: 'button',
            id: 'copy-key',
            onclick: async () => {
              await navigator.clipboard.writeText(key);
              copied.textContent = 'Copied.';
            },
          },
          'Copy',
        ),
        h('button', { type: 'button', onclick: () => $('#created-key').replaceChildren() }, 'Done'),
        copied,
      ),
    ),
  );
  field.select();
}

function auditRow(event: AuditEvent): HTMLElement {
  return h(
    'tr',
    { 'data-audit': String(event.id) },
    h('td', {}, when(event.at)),
    h('td', {}, h('code', {}, event.action)),
    h('td', {}, `${event.subjectType} `, h('code', {}, event.subjectId)),
    h('td', {}, event.fromStatus || event.toStatus ? `${event.fromStatus ?? '—'} → ${event.toStatus ?? '—'}` : ''),
    h('td', {}, event.reason ?? ''),
  );
}

async function showAudit(fresh: boolean): Promise<void> {
  if (fresh) {
    auditAfter = 0;
    $('#audit').replaceChildren();
  }
  // Operator admins read every row; for another organization, the rows it acted in or that concern it.
  const orgId = me.operator && current.id !== me.org.id ? current.id : undefined;
  const answer = await consoleCall('audit', { orgId, after: auditAfter });
  if ('failure' in answer) return say(message, answer.failure, true);
  $('#audit').append(...answer.ok.events.map(auditRow));
  auditAfter = answer.ok.next;
  $('#audit-more').hidden = !answer.ok.more;
}

async function showOrganization(org: Pick<Org, 'id' | 'name' | 'kind'>): Promise<void> {
  current = org;
  // Reviewers decide for everyone: only the operator's keys can be one.
  const roles: Role[] = org.kind === 'operator' ? ['admin', 'reviewer', 'analyst', 'reader'] : ['admin', 'analyst', 'reader'];
  $('#key-role').replaceChildren(...roles.map((role) => h('option', { value: role, selected: role === 'analyst' }, role)));
  $('#org-heading').textContent = org.id === me.org.id ? `Your organization: ${org.name}` : org.name;
  $('#created-key').replaceChildren();
  await Promise.all([showFigures(), showKeys(), showAudit(true)]);
}

function orgRow(org: Org): HTMLElement {
  const change = (suspend: boolean) => async () => {
    const answer = await consoleCall('orgStatus', { orgId: org.id, suspend });
    if ('failure' in answer) return say(message, answer.failure, true);
    say(message, `${org.name} ${suspend ? 'suspended' : 'reinstated'}; ${answer.ok.indicatorsRecounted} indicators counted again.`);
    await showOrgs();
  };
  return h(
    'tr',
    { 'data-org': org.id },
    h('td', {}, org.name),
    h('td', {}, org.kind),
    h('td', {}, when(org.createdAt)),
    h('td', {}, org.suspendedAt ? `suspended ${when(org.suspendedAt)}` : 'active'),
    h(
      'td',
      { class: 'row' },
      h('button', { type: 'button', 'data-manage': org.id, onclick: () => void showOrganization(org) }, 'Keys and figures'),
      org.kind === 'operator'
        ? ''
        : org.suspendedAt
          ? confirmButton('Reinstate', `Reinstate ${org.name}? Its keys work again.`, change(false), { 'data-reinstate': org.id })
          : confirmButton('Suspend', `Suspend ${org.name}? Its keys stop and its flags stop counting.`, change(true), { 'data-suspend': org.id }),
    ),
  );
}

async function showOrgs(): Promise<void> {
  const answer = await consoleCall('orgs', {});
  if ('failure' in answer) return say(message, answer.failure, true);
  $('#orgs').replaceChildren(...answer.ok.orgs.map(orgRow));
}

$('#create-key').addEventListener('submit', async (event) => {
  event.preventDefault();
  const label = $<HTMLInputElement>('#key-label').value.trim();
  const answer = await consoleCall('createKey', { orgId: current.id, role: $<HTMLSelectElement>('#key-role').value as Role, label });
  if ('failure' in answer) return say(message, answer.failure, true);
  $<HTMLInputElement>('#key-label').value = '';
  showCreated(answer.ok.key, label);
  await Promise.all([showKeys(), showAudit(true)]);
});

$('#create-org').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $<HTMLInputElement>('#org-name').value.trim();
  const answer = await consoleCall('createOrg', { name, kind: $<HTMLSelectElement>('#org-kind').value as Org['kind'] });
  if ('failure' in answer) return say(message, answer.failure, true);
  $<HTMLInputElement>('#org-name').value = '';
  say(message, `Created ${answer.ok.name}. Give it an admin key below.`);
  await showOrgs();
  await showOrganization(answer.ok);
});

$('#audit-more').addEventListener('click', () => void showAudit(false));

const who = await consoleCall('whoami', {});
if ('failure' in who) say(message, who.failure, true);
else if (who.ok.key.role !== 'admin') say(message, `This page is for admin keys; this one is ${who.ok.key.role} of ${who.ok.org.name}.`, true);
else {
  me = who.ok;
  $('#who').textContent = `${me.org.name}, admin key “${me.key.label}”${me.operator ? ': operator, so every organization is in reach' : ''}`;
  if (me.operator) {
    $('#orgs-section').hidden = false;
    $('#org-kind').replaceChildren(...OrgKind.options.filter((k) => k !== 'operator').map((kind) => h('option', { value: kind }, kind)));
    await showOrgs();
  }
  await showOrganization(me.org);
}
