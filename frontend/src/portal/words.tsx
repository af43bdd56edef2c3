// How the portal says a request's state and its timeline in plain words (no internal terms).
import { Tag } from 'antd';
import type { TFunction } from '../i18n';
import { formatDate } from '../lib/format';
import type { Status, Ticket, TicketEvent } from './hooks';

const statusColor: Record<Status, string> = {
  submitted: 'processing', accepted: 'processing', returned: 'processing', assigned: 'processing',
  in_progress: 'processing', resolved: 'warning', closed: 'success', rejected: 'default',
};

export function StatusTag({ t, status }: { t: TFunction; status: Status }) {
  return <Tag color={statusColor[status]} style={{ marginInlineEnd: 0 }}>{t(`portal.status.${status}`)}</Tag>;
}

const lightColor: Record<string, string> = { red: 'error', yellow: 'warning', green: 'success' };

/** LightTag is the clock's light in words (never colour alone); nothing once no clock runs. */
export function LightTag({ t, light }: { t: TFunction; light?: string | null }) {
  if (!light || light === 'none') return null;
  return <Tag color={lightColor[light]} style={{ marginInlineEnd: 0 }}>{t(`portal.light.${light}`)}</Tag>;
}

/** stepOf is the index of the request's place in 提交 → 受理 → 办理 → 办结 → 评价. */
export function stepOf(s: Status): number {
  switch (s) {
    case 'submitted': return 0;
    case 'accepted': case 'returned': return 1;
    case 'assigned': case 'in_progress': return 2;
    case 'resolved': return 3;
    default: return 4;
  }
}

/** eventText is what happened, in a sentence the enterprise understands. */
export function eventText(t: TFunction, e: TicketEvent): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  switch (e.action) {
    case 'accept': return t(d.urgent ? 'portal.event.acceptUrgent' : 'portal.event.accept');
    case 'assign': return t('portal.event.assign', { department: String(d.department_name ?? '') });
    case 'approve-extension': return t('portal.event.approve-extension', { days: Number(d.days ?? 0) });
    case 'attach': return t('portal.event.attach', { name: String(d.file_name ?? '') });
    case 'submit': case 'reject': case 'sign': case 'resolve': case 'rate': case 'rework': case 'close': case 'comment':
      return t(`portal.event.${e.action}`);
  }
  return t('portal.event.other');
}

/** eventExtra is the detail under an event: a new deadline, the scores of a rating. */
export function eventExtra(t: TFunction, e: TicketEvent): string | undefined {
  const d = (e.data ?? {}) as Record<string, unknown>;
  if (e.action === 'rate' || e.action === 'rework') {
    const s = t('portal.event.rating', { solved: Number(d.solved ?? 0), attitude: Number(d.attitude ?? 0) });
    return e.action === 'rework' && d.due_resolve_at ? `${s} · ${t('portal.event.newDue', { date: formatDate(String(d.due_resolve_at)) })}` : s;
  }
  return undefined;
}

/** isRework says the request went back to work after an unsatisfied rating and is not done yet. */
export function isRework(tk: Ticket): boolean {
  return tk.reopen_count > 0 && tk.status === 'in_progress';
}
