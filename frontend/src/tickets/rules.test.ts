import { describe, expect, it } from 'vitest';
import { allowedActions, canGiveOpinion, canWaiveOpinion, moves, seesOpinions, type Me } from './rules';

const dept = 'd-land', other = 'd-power';
const dispatcher: Me = { id: 'u-d', role: 'dispatcher', department_id: 'bureau' };
const officer: Me = { id: 'u-o', role: 'officer', department_id: dept };
const otherOfficer: Me = { id: 'u-o2', role: 'officer', department_id: other };
const leader: Me = { id: 'u-l', role: 'leader', department_id: 'gov' };
const otherLeader: Me = { id: 'u-l2', role: 'leader', department_id: 'gov' };
const steward: Me = { id: 'u-s', role: 'steward', department_id: 'bureau' };
const auditor: Me = { id: 'u-a', role: 'auditor', department_id: null };

const ticket = (status: string, extra: object = {}) => ({ status, department_id: dept, steward_id: 'u-s', leader_id: 'u-l',
  extension: undefined, ...extra }) as Parameters<typeof allowedActions>[1];
const movesOf = (me: Me, t: Parameters<typeof allowedActions>[1]) => allowedActions(me, t).filter((a) => moves.includes(a));

describe('allowedActions', () => {
  it('lets the dispatcher accept or reject a submitted ticket, and the own steward accept it', () => {
    expect(movesOf(dispatcher, ticket('submitted', { department_id: null }))).toEqual(['accept', 'reject']);
    expect(movesOf(steward, ticket('submitted', { department_id: null }))).toEqual(['accept']);
    expect(movesOf({ ...steward, id: 'someone' }, ticket('submitted'))).toEqual([]);
    expect(movesOf(officer, ticket('submitted'))).toEqual([]);
  });
  it('lets only the dispatcher route an accepted or returned ticket', () => {
    expect(movesOf(dispatcher, ticket('accepted'))).toEqual(['assign']);
    expect(movesOf(dispatcher, ticket('returned'))).toEqual(['assign']);
    expect(movesOf(officer, ticket('returned'))).toEqual([]);
  });
  it('lets the handling department sign, return, extend and resolve, and nobody else', () => {
    expect(movesOf(officer, ticket('assigned'))).toEqual(['sign', 'return']);
    expect(movesOf(officer, ticket('in_progress'))).toEqual(['resolve', 'request-extension', 'return']);
    expect(movesOf(otherOfficer, ticket('assigned'))).toEqual([]);
    expect(movesOf(otherOfficer, ticket('in_progress'))).toEqual([]);
    expect(movesOf(dispatcher, ticket('in_progress'))).toEqual([]);
  });
  it('asks for no second extension while one is pending; the dispatcher rules on it', () => {
    const pending = ticket('in_progress', { extension: { days: 3, reason: '需要现场踏勘', at: '2026-12-01T02:00:00Z' } });
    expect(movesOf(officer, pending)).toEqual(['resolve', 'return']);
    expect(movesOf(dispatcher, pending)).toEqual(['approve-extension', 'deny-extension']);
  });
  it('lets the leader of the portfolio instruct while the ticket is open; the department answers', () => {
    expect(allowedActions(leader, ticket('in_progress'))).toContain('instruct');
    expect(allowedActions(otherLeader, ticket('in_progress'))).not.toContain('instruct');
    expect(allowedActions(leader, ticket('closed'))).not.toContain('instruct');
    expect(allowedActions(officer, ticket('in_progress'))).toContain('answer');
    expect(allowedActions(otherOfficer, ticket('in_progress'))).not.toContain('answer');
  });
  it('offers nothing on a closed or rejected ticket, and nothing to an auditor', () => {
    for (const me of [dispatcher, officer, leader, steward]) {
      expect(allowedActions(me, ticket('closed'))).toEqual([]);
      expect(allowedActions(me, ticket('rejected'))).toEqual([]);
    }
    expect(allowedActions(auditor, ticket('in_progress'))).toEqual([]);
  });
});

describe('co-handling opinions', () => {
  const owedLand = { department_id: dept, status: 'owed' as const };
  it('lets only an officer of the owing department give its opinion, while the ticket is worked', () => {
    expect(canGiveOpinion(officer, { status: 'in_progress' }, owedLand)).toBe(true);
    expect(canGiveOpinion(officer, { status: 'assigned' }, owedLand)).toBe(true);
    expect(canGiveOpinion(otherOfficer, { status: 'in_progress' }, owedLand)).toBe(false);
    expect(canGiveOpinion(dispatcher, { status: 'in_progress' }, owedLand)).toBe(false);
    expect(canGiveOpinion(officer, { status: 'in_progress' }, { ...owedLand, status: 'given' })).toBe(false);
    expect(canGiveOpinion(officer, { status: 'resolved' }, owedLand)).toBe(false);
  });
  it('lets only the dispatcher waive an owed opinion', () => {
    expect(canWaiveOpinion(dispatcher, { status: 'in_progress' }, owedLand)).toBe(true);
    expect(canWaiveOpinion(dispatcher, { status: 'in_progress' }, { ...owedLand, status: 'waived' })).toBe(false);
    expect(canWaiveOpinion(dispatcher, { status: 'closed' }, owedLand)).toBe(false);
    expect(canWaiveOpinion(officer, { status: 'in_progress' }, owedLand)).toBe(false);
    expect(canWaiveOpinion(leader, { status: 'in_progress' }, owedLand)).toBe(false);
  });
  it('keeps opinions from the enterprise', () => {
    expect(seesOpinions({ role: 'enterprise' })).toBe(false);
    expect(seesOpinions({ role: 'integration' })).toBe(false);
    expect(seesOpinions(officer)).toBe(true);
    expect(seesOpinions(leader)).toBe(true);
  });
});
