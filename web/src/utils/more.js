// A list read a page at a time with "load more": the first page, then the next one appended on
// request, so a list longer than one page never ends silently at its first page (the rest
// reachable, the button saying that more exist).
//
//   const runs = useMore((cursor, signal) => pairing.runs({ limit: 20, cursor }, { signal }));
//   onMounted(runs.reload);            // the first page again (a filter changed, a row answered)
//   runs.items.value, runs.next.value  // the rows read so far; the cursor of the rest (null: all read)
//   runs.more()                        // the next page, appended
//   runs.refresh()                     // the pages read so far again (after a row was answered)
//
// `fetchPage(cursor, signal)` answers one page `{items, next_cursor}` (cursor undefined: the
// first). A reload started while a page is on its way drops that page (the last call wins);
// `error` holds the message of a failed read (the rows read stay).
import { ref, shallowRef } from 'vue';
import { latest } from './latest.js';
import { usePageError } from './errors.js';

export function useMore(fetchPage) {
  const items = shallowRef([]);
  const next = ref(null);
  const loading = ref(false);
  const error = usePageError();
  let pages = 0; // pages read so far
  // append: the next page; else the first `n` pages again (1: a new list; the pages read: the
  // same rows refreshed after a change, the ones loaded with "more" kept in view)
  const read = latest(async (run, append, n = 1) => {
    loading.value = true;
    try {
      if (append) {
        const page = await run(fetchPage(next.value, run.signal));
        items.value = [...items.value, ...page.items];
        next.value = page.next_cursor || null;
        pages++;
      } else {
        const rows = [];
        let cursor;
        let i = 0;
        do {
          const page = await run(fetchPage(cursor, run.signal));
          rows.push(...page.items);
          cursor = page.next_cursor || null;
        } while (++i < n && cursor);
        items.value = rows;
        next.value = cursor;
        pages = i;
      }
      error.value = '';
    } catch (e) {
      error.set(e);
    } finally {
      loading.value = false;
    }
  });
  return {
    items,
    next,
    loading,
    error,
    reload: () => read(false),
    refresh: () => read(false, Math.max(1, pages)),
    more: () => (next.value ? read(true) : Promise.resolve()),
  };
}
