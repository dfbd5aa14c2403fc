// The last request wins. A page that loads when the user picks a filter, a page, a date or a
// record must show what was picked last: when the answer to an earlier pick arrives after the
// later one's (a slow network, a busy server), it must not replace it, show its error or end
// the later one's loading.
//
//   const load = latest(async (run) => {
//     loading.value = true;
//     error.value = '';
//     try {
//       const r = await run(api.list(query, { signal: run.signal }));
//       rows.value = r.items;
//     } catch (e) {
//       error.set(e);                  // error = usePageError(): the message follows the language
//     } finally {
//       loading.value = false;
//     }
//   });
//
// Each call of `load(...args)` aborts the previous call's requests (their fetch gets
// `run.signal`) and calls the loader with a new `run` and the args. `await run(promise)` gives
// the promise's value or error while this call is the latest; once a later call has started
// it never settles, so nothing after it runs — no assignment, no error message, no `finally`
// (the later call owns the loading flag). Wrap every await of the loader in run(), also the
// ones that cannot be aborted (cached reference data, a file read); `run.stale` tells the same
// between awaits. `load()` itself always settles: with the loader's result, or with undefined
// once a later call has started, so a caller that awaits it (a save, then a reload) goes on.
//
// The signal goes only to reads (GET): a write the user asked for is never aborted by a reload.
// Reference data cached for all pages (api/resources.js `ref`) is fetched without it.
// `load.abort()` drops the current call as a later call would (called on unmount when latest()
// is used in a component's setup: a page left while loading); a loading flag the dropped call
// set is then the caller's to clear.
import { getCurrentScope, onScopeDispose } from 'vue';

const never = new Promise(() => {});

export function latest(loader) {
  let current = null; // the latest call: { controller, superseded }

  function abort() {
    if (!current) return;
    current.controller.abort();
    current.superseded();
    current = null;
  }

  function load(...args) {
    abort();
    const controller = new AbortController();
    let superseded;
    const dropped = new Promise((resolve) => (superseded = () => resolve(undefined)));
    const mine = { controller, superseded };
    current = mine;
    const isStale = () => current !== mine;
    const run = (promise) =>
      Promise.resolve(promise).then(
        (v) => (isStale() ? never : v),
        (e) => (isStale() ? never : Promise.reject(e)),
      );
    run.signal = controller.signal;
    Object.defineProperty(run, 'stale', { get: isStale });
    let started; // the loader's synchronous part runs now (a loading flag set before the call returns)
    try {
      started = Promise.resolve(loader(run, ...args));
    } catch (e) {
      started = Promise.reject(e);
    }
    const done = started.then(
      (v) => (isStale() ? undefined : v),
      (e) => {
        if (isStale()) return undefined; // an aborted request's AbortError among them
        throw e;
      },
    );
    return Promise.race([done, dropped]);
  }

  load.abort = abort;
  if (getCurrentScope()) onScopeDispose(abort);
  return load;
}
