import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/problem';
import * as outbox from './outbox';

const body: outbox.VisitInput = {
  enterprise_id: '0193f0c2-7a4e-7000-8000-000000000001',
  visited_at: '2026-12-02T09:30:00+08:00',
  kind: 'onsite',
  summary: '了解二期项目建设进度',
  tickets: [{ category_id: 'c1', title: '用电增容', description: '需要增容到 2000 kVA' }],
};

type Call = { key: string; body: outbox.VisitInput };

/** A server that records what reached it and answers like the real one for a repeated key. */
function server() {
  const calls: Call[] = [];
  const records = new Map<string, { id: string; body: outbox.VisitInput }>();
  const photos: string[] = [];
  let down = false;
  let refuse: ApiError | undefined;
  const sender: outbox.Sender = {
    async createVisit(b, key) {
      if (down) throw new ApiError(0, { detail: 'Failed to fetch' });
      if (refuse) throw refuse;
      calls.push({ key, body: b });
      if (!records.has(key)) records.set(key, { id: `visit-${records.size + 1}`, body: b });
      return { id: records.get(key)!.id, ticket_ids: ['t1'] };
    },
    async photoHashes() { return photos; },
    async uploadPhoto(_id, p) {
      if (down) throw new ApiError(0, {});
      photos.push(p.sha256 ?? p.name);
    },
  };
  return {
    sender, calls, records, photos,
    set down(v: boolean) { down = v; },
    set refuse(e: ApiError | undefined) { refuse = e; },
  };
}

async function save(key = 'key-1') {
  return outbox.enqueue({ key, userId: 'u1', label: '示例企业', body, savedAt: '2026-12-02T01:30:00Z',
    photos: [{ id: 'p1', name: 'a.jpg', type: 'image/jpeg', data: new Uint8Array([1, 2, 3]).buffer, sha256: 'abc', sent: false }] });
}

beforeEach(async () => {
  for (const e of await outbox.entries('u1')) await outbox.discard(e.key);
});

describe('the visit outbox', () => {
  it('keeps a visit saved offline, then sends it once with the same key and its own visited_at', async () => {
    const s = server();
    s.down = true;
    await save();
    let r = await outbox.flush('u1', s.sender);
    expect(r.waiting).toEqual(['key-1']);
    r = await outbox.flush('u1', s.sender);
    expect(r.waiting).toEqual(['key-1']);
    expect((await outbox.entries('u1')).length).toBe(1);

    s.down = false;
    r = await outbox.flush('u1', s.sender);
    expect(r.sent).toEqual(['key-1']);
    expect(s.records.size).toBe(1);
    expect(s.calls.map((c) => c.key)).toEqual(['key-1']);
    expect(s.calls[0].body.visited_at).toBe('2026-12-02T09:30:00+08:00');
    expect(s.photos).toEqual(['abc']);
    expect(await outbox.entries('u1')).toEqual([]);
  });

  it('survives a reload: the page closes while offline and the reopened page sends it', async () => {
    const s = server();
    s.down = true;
    await save('key-reload');
    await outbox.flush('u1', s.sender);
    await outbox.closeForTest(); // the page is closed

    s.down = false;
    const reopened = await outbox.entries('u1');
    expect(reopened.map((e) => e.key)).toEqual(['key-reload']);
    expect(reopened[0].photos[0].data.byteLength).toBe(3);
    await outbox.flush('u1', s.sender);
    expect(s.records.size).toBe(1);
    expect(s.calls.map((c) => c.key)).toEqual(['key-reload']);
  });

  it('retries with the same key after an answer was lost, and the server keeps one record', async () => {
    const s = server();
    await save('key-lost');
    // The first send reaches the server but its answer is lost on the way back.
    const real = s.sender.createVisit;
    s.sender.createVisit = async (b, k) => { await real(b, k); throw new ApiError(0, {}); };
    await outbox.flush('u1', s.sender);
    s.sender.createVisit = real;
    await outbox.flush('u1', s.sender);
    expect(s.calls.map((c) => c.key)).toEqual(['key-lost', 'key-lost']);
    expect(s.records.size).toBe(1);
    expect(s.photos).toEqual(['abc']); // once, although the visit was sent twice
    expect(await outbox.entries('u1')).toEqual([]);
  });

  it('keeps a refused visit (422) with the server\'s message until it is corrected', async () => {
    const s = server();
    s.refuse = new ApiError(422, { title: 'Unprocessable Entity', status: 422, code: 'validation_failed', detail: 'validation failed',
      errors: [{ field: 'body.summary', message: 'must be 5 to 5000 characters' }] });
    await save('key-bad');
    const r = await outbox.flush('u1', s.sender);
    expect(r.failed).toEqual(['key-bad']);
    let [e] = await outbox.entries('u1');
    expect(e.state).toBe('failed');
    expect(e.problem?.errors?.[0].message).toBe('must be 5 to 5000 characters');
    await outbox.flush('u1', s.sender); // a refused entry is not sent again by itself
    expect(s.calls.length).toBe(0);

    s.refuse = undefined;
    await outbox.retry('key-bad', { ...body, summary: '补充后的走访内容' }, 'key-fixed');
    await outbox.flush('u1', s.sender);
    expect(s.calls.map((c) => [c.key, c.body.summary])).toEqual([['key-fixed', '补充后的走访内容']]);
    [e] = await outbox.entries('u1');
    expect(e).toBeUndefined();
  });

  it('sends only the logged-in user\'s visits', async () => {
    const s = server();
    await save('key-u1');
    await outbox.enqueue({ key: 'key-u2', userId: 'u2', label: 'x', body, savedAt: '2026-12-02T01:00:00Z', photos: [] });
    await outbox.flush('u1', s.sender);
    expect(s.calls.map((c) => c.key)).toEqual(['key-u1']);
    expect((await outbox.entries('u2')).length).toBe(1);
  });
});
