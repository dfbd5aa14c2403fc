// The cursor of each page of a list visited ([page 1, page 2, …]), kept in the browser's history
// entry of the list as well: Back from a row's page, or a reload, returns to the page the user was
// on (the filters are in the URL; a cursor alone there would lose the way back to the pages before
// it). `sig()` says what the pages are of (the filters and the page size): pages kept for other
// filters than those the list opens with are not taken (page 1 then). `key` tells apart the lists
// of one page. The router keeps what else an entry's state holds when it replaces or leaves it.
import { ref, watch } from 'vue';

const usable = (v) =>
  Array.isArray(v) && v.length > 0 && v.length <= 10000 && v[0] === null && v.slice(1).every((c) => typeof c === 'string' || (typeof c === 'number' && Number.isFinite(c)));

export function useCursorStack(sig, key = 'list') {
  const name = 'pjCursors:' + key;
  const saved = window.history.state?.[name];
  const same = saved && saved.sig === JSON.stringify(sig()) && usable(saved.cursors);
  const cursors = ref(same ? saved.cursors.map((c) => (c === null ? undefined : c)) : [undefined]);
  watch(cursors, (v) => {
    const kept = { sig: JSON.stringify(sig()), cursors: v.map((c) => (c === undefined ? null : c)) };
    window.history.replaceState({ ...(window.history.state || {}), [name]: kept }, '');
  });
  return cursors;
}
