// Which actions a user may take on a ticket: a pure function of the user's role, the ticket's
// status and the user's relationship to it (department, portfolio), mirroring domain/ticket.go so
// that the page offers only what the server will allow.
import type { Schemas } from '../api/client';

export type Ticket = Schemas['TicketBody'];
export type Me = Pick<Schemas['MeBody'], 'id' | 'role' | 'department_id'>;

export type Action =
  | 'accept' | 'reject' | 'assign' | 'sign' | 'return' | 'request-extension'
  | 'approve-extension' | 'deny-extension' | 'resolve' | 'instruct' | 'answer' | 'comment';

type T = Pick<Ticket, 'status' | 'department_id' | 'steward_id' | 'leader_id' | 'extension'>;

const open = (t: T) => t.status !== 'rejected' && t.status !== 'closed';

/** isHandlingOfficer: an officer of the department the ticket is assigned to. */
export function isHandlingOfficer(me: Me, t: T): boolean {
  return me.role === 'officer' && !!t.department_id && me.department_id === t.department_id;
}

/** allowedActions lists, in the order a page shows them, what `me` may do with `t` now. */
export function allowedActions(me: Me, t: T): Action[] {
  const out: Action[] = [];
  const dispatcher = me.role === 'dispatcher';
  const officer = isHandlingOfficer(me, t);
  const ownSteward = me.role === 'steward' && me.id === t.steward_id;
  if (t.status === 'submitted' && (dispatcher || ownSteward)) out.push('accept');
  if (t.status === 'submitted' && dispatcher) out.push('reject');
  if ((t.status === 'accepted' || t.status === 'returned') && dispatcher) out.push('assign');
  if (t.status === 'assigned' && officer) out.push('sign');
  if (t.status === 'in_progress' && officer) out.push('resolve');
  if (t.status === 'in_progress' && officer && !t.extension) out.push('request-extension');
  if ((t.status === 'assigned' || t.status === 'in_progress') && officer) out.push('return');
  if (t.status === 'in_progress' && t.extension && dispatcher) out.push('approve-extension', 'deny-extension');
  if (open(t) && me.role === 'leader' && me.id === t.leader_id) out.push('instruct');
  if (open(t) && (officer || dispatcher)) out.push('answer');
  if (open(t) && me.role !== 'auditor' && me.role !== 'integration') out.push('comment');
  return out;
}

/** The actions that move the ticket (a dialog each), as opposed to instruct/answer/comment. */
export const moves: Action[] = ['accept', 'reject', 'assign', 'sign', 'resolve', 'request-extension', 'return',
  'approve-extension', 'deny-extension'];

type Op = Pick<Schemas['OpinionBody'], 'department_id' | 'status'>;
/** worked: the statuses in which the resolve clock runs, and with it the opinions' clocks. */
const worked = (t: Pick<Ticket, 'status'>) => ['accepted', 'assigned', 'in_progress', 'returned'].includes(t.status);

/** canGiveOpinion: an officer of the co-handling department whose opinion is owed on a ticket being worked. */
export function canGiveOpinion(me: Me, t: Pick<Ticket, 'status'>, o: Op): boolean {
  return me.role === 'officer' && !!me.department_id && me.department_id === o.department_id && o.status === 'owed' && worked(t);
}

/** canWaiveOpinion: the dispatcher releases an owed opinion (with a reason) on a ticket being worked. */
export function canWaiveOpinion(me: Me, t: Pick<Ticket, 'status'>, o: Op): boolean {
  return me.role === 'dispatcher' && o.status === 'owed' && worked(t);
}

/** seesOpinions: co-handling is internal; the enterprise and integrations never see it. */
export function seesOpinions(me: Pick<Me, 'role'>): boolean {
  return me.role !== 'enterprise' && me.role !== 'integration' && me.role !== 'auditor';
}
