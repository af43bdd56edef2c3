import { describe, expect, it } from 'vitest';
import { makeT } from '../i18n';
import '../i18n/zh';
import type { Ticket, TicketEvent } from './hooks';
import { eventExtra, eventText, isRework, stepOf } from './words';

const t = makeT('zh-CN');
const ev = (action: string, data: Record<string, unknown> = {}): TicketEvent =>
  ({ id: '1', action, actor_name: '区营商局', actor_role: 'dispatcher', public: true, at: '2026-10-20T01:00:00Z', data }) as TicketEvent;

describe('the portal says a request in plain words', () => {
  it('places every status on 提交 → 受理 → 办理 → 办结 → 评价, a return staying at 受理', () => {
    expect(['submitted', 'accepted', 'returned', 'assigned', 'in_progress', 'resolved', 'closed'].map((s) => stepOf(s as Ticket['status'])))
      .toEqual([0, 1, 1, 2, 2, 3, 4]);
  });
  it('names the department a request went to and the files attached', () => {
    expect(eventText(t, ev('assign', { department_name: '区自然资源和规划局' }))).toBe('转交区自然资源和规划局办理');
    expect(eventText(t, ev('attach', { file_name: '宗地图.pdf' }))).toBe('上传了附件 宗地图.pdf');
    expect(eventText(t, ev('accept', { urgent: true }))).toBe('受理了诉求，并确认加急');
  });
  it('says an unknown move neutrally rather than showing its code', () => {
    expect(eventText(t, ev('opinion'))).toBe('更新了诉求');
  });
  it('shows a rework with its scores and the new deadline', () => {
    expect(eventExtra(t, ev('rework', { solved: 2, attitude: 4, due_resolve_at: '2026-11-10T10:00:00Z' })))
      .toBe('问题解决 2 星，服务态度 4 星 · 新的办结时限 2026-11-10');
    expect(eventExtra(t, ev('comment'))).toBeUndefined();
  });
  it('counts a request as reworked only while it is worked again', () => {
    const tk = (status: string, reopen_count: number) => ({ status, reopen_count }) as Ticket;
    expect(isRework(tk('in_progress', 1))).toBe(true);
    expect(isRework(tk('in_progress', 0))).toBe(false);
    expect(isRework(tk('closed', 1))).toBe(false);
  });
});
