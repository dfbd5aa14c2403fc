// utils/latest.js: the last call of a loader wins — an earlier call's request is aborted, and
// its answer or error (arriving late) changes nothing; every call settles for its caller.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectScope } from '../../web/node_modules/vue/index.mjs';
import { latest } from '../../web/src/utils/latest.js';

/** A request answered when the test says so; aborted (AbortError) through its signal. */
function request(signal) {
  let answer, fail;
  const p = new Promise((res, rej) => {
    answer = res;
    fail = rej;
    signal?.addEventListener('abort', () => rej(new DOMException('aborted', 'AbortError')));
  });
  return { p, answer, fail };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A page's loader: shown, error and loading as a page keeps them. */
function page() {
  const state = { shown: null, error: '', loading: false, asked: [] };
  state.load = latest(async (run, pick) => {
    state.loading = true;
    state.error = '';
    const req = request(run.signal);
    state.asked.push({ pick, req, signal: run.signal });
    try {
      state.shown = await run(req.p);
    } catch (e) {
      state.error = String(e.message);
    } finally {
      state.loading = false;
    }
  });
  return state;
}

test('the first pick answering after the second changes nothing', async () => {
  const s = page();
  const first = s.load('A');
  assert.equal(s.loading, true, 'the loader starts at once');
  const second = s.load('B');
  assert.equal(s.asked[0].signal.aborted, true, 'the first request is aborted');
  assert.equal(s.asked[1].signal.aborted, false);
  assert.equal(await first, undefined, 'the first call settles once it is no longer the latest');
  s.asked[1].req.answer('B data');
  await second;
  assert.equal(s.shown, 'B data');
  assert.equal(s.loading, false);
  s.asked[0].req.answer('A data'); // too late (a fetch that ignored the abort)
  await tick();
  assert.equal(s.shown, 'B data');
  assert.equal(s.error, '', 'the aborted request shows no error');
});

test('a late answer or error of an earlier pick neither shows nor ends the later loading', async () => {
  const s = page();
  s.load('A');
  const b = s.load('B');
  // the aborted request failed (AbortError) and a fetch that ignored the abort fails too
  s.asked[0].req.fail(new Error('A failed'));
  await tick();
  assert.equal(s.error, '');
  assert.equal(s.loading, true, 'the second pick is still loading');
  s.asked[1].req.answer('B data');
  await b;
  assert.deepEqual([s.shown, s.error, s.loading], ['B data', '', false]);
});

test('the latest call still shows its own error and passes on its value', async () => {
  const s = page();
  const a = s.load('A');
  s.asked[0].req.fail(new Error('A failed'));
  await a;
  assert.deepEqual([s.error, s.loading], ['A failed', false]);
  const value = latest(async (run, x) => (await run(Promise.resolve(x))) * 2);
  assert.equal(await value(21), 42);
  const throws = latest(async () => {
    throw new Error('no');
  });
  await assert.rejects(throws(), /no/);
  const syncThrow = latest(() => {
    throw new Error('sync');
  });
  await assert.rejects(syncThrow(), /sync/);
});

test('run.stale between awaits; abort() drops the current call', async () => {
  const seen = [];
  let release;
  const gate = new Promise((r) => (release = r));
  const load = latest(async (run, x) => {
    await gate; // an await not wrapped: the loader checks run.stale itself
    seen.push([x, run.stale]);
  });
  const a = load(1);
  const b = load(2);
  release();
  await Promise.all([a, b]);
  assert.deepEqual(seen, [
    [1, true],
    [2, false],
  ]);
  const s = page();
  const c = s.load('C');
  s.load.abort();
  assert.equal(s.asked[0].signal.aborted, true);
  assert.equal(await c, undefined);
  assert.equal(s.error, '');
});

test('a loader made in a component scope is aborted when the scope ends (the page is left)', async () => {
  const scope = effectScope();
  const s = scope.run(page);
  const a = s.load('A');
  scope.stop();
  assert.equal(s.asked[0].signal.aborted, true);
  assert.equal(await a, undefined);
  assert.equal(s.shown, null);
});
