import { describe, expect, it } from 'vitest';
import { byUrgency } from './NodesOwed';
import { templateFieldMessage } from './TemplateEditor';
import zh from './i18n';

describe('nodes owed', () => {
  it('puts red first, then blocked, then the nearest due', () => {
    const rows = [
      { id: 'g', light: 'green', status: 'ready', due_on: '2026-09-01' },
      { id: 'y', light: 'yellow', status: 'in_progress', due_on: '2026-09-09' },
      { id: 'r2', light: 'red', status: 'in_progress', due_on: '2026-09-05' },
      { id: 'r1', light: 'red', status: 'blocked', due_on: '2026-09-08' },
      { id: 'r0', light: 'red', status: 'ready', due_on: '2026-09-02' },
    ] as const;
    expect([...rows].sort(byUrgency).map((r) => r.id)).toEqual(['r1', 'r0', 'r2', 'y', 'g']);
  });
});

describe('template field errors', () => {
  const t = Object.assign((k: string, v?: Record<string, string | number>) =>
    Object.entries(v ?? {}).reduce((s, [a, b]) => s.replace(`{${a}}`, String(b)), (zh as Record<string, string>)[k] ?? k), { lang: 'zh-CN' }) as never;
  it('says a cycle in Chinese, naming it', () => {
    expect(templateFieldMessage(t, 'makes a cycle: a → b → a (each before the next); remove one of these predecessors'))
      .toBe('前置节点形成循环（a → b → a），请去掉其中一个前置节点');
    expect(templateFieldMessage(t, 'makes a cycle: a → b → a')).toBe('前置节点形成循环（a → b → a），请去掉其中一个前置节点');
    expect(templateFieldMessage(t, '"x" is already the key of nodes[0]')).toBe('编号与其他事项重复');
    expect(templateFieldMessage(t, 'names "z", which is not the key of a node of this template')).toBe('前置节点中有不存在的编号');
  });
});
