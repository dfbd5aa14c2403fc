// Where the keyboard focus goes after an action removes or re-renders its own control (an alert
// acknowledged and filtered out, a pair ended, a checklist item signed, a save button disabled
// while saving): left alone it falls to <body> and a keyboard user starts again at the top of
// the page. A list's row actions carry data-row-action="<the row's id>";
//
//   const back = keepRowFocus('[data-testid=pairs]', row.id); // before the list is read again
//   await load();
//   await back();
//
// back() does nothing while the focus is still on the page (Element Plus gave it back to a
// control still there); when it is lost it goes to the row's first action left, else to the
// first action of a row after it (as the list was), else of one before, else of any row, else
// to the list itself (focusable with tabindex=-1) — or to `none` when given (the section's
// heading or add button: keepRowFocus(list, row.id, { none: heading })). focusIfLost(el) places
// it on one element.
import { nextTick, unref } from 'vue';

const ATTR = 'data-row-action';

/** Whether the keyboard focus is nowhere on the page (on <body>, or on a removed element). */
export function focusLost() {
  const a = document.activeElement;
  return !a || a === document.body || !a.isConnected;
}

const settled = async () => {
  await nextTick();
  await new Promise((r) => requestAnimationFrame(() => r()));
};
const usable = (el) => !el.disabled && !el.classList.contains('is-disabled') && el.getAttribute('aria-disabled') !== 'true' && el.getClientRects().length > 0;
const rootOf = (root) => {
  const r = unref(root);
  return typeof r === 'string' ? document.querySelector(r) : r?.$el || r;
};

/**
 * Once the page is drawn: focuses `el` (an element or a component, a ref of one, or a function
 * giving one) when the focus is lost — without scrolling: a message the page brought into view
 * (a save that failed on a phone) stays in view.
 */
export async function focusIfLost(el) {
  await settled();
  const target = rootOf(typeof el === 'function' ? el() : el);
  if (focusLost() && target?.isConnected) target.focus({ preventScroll: true });
}

/**
 * Remembers the row `id` of the list `root` (a selector or an element); resolves to back().
 * `none` (an element or a component, a ref of one, or a function giving one) has the focus when
 * no row has an action left (a heading gets tabindex=-1); without it, the list has it.
 */
export function keepRowFocus(root, id, { none } = {}) {
  const key = String(id);
  const ids = (el) => [...new Set([...(el ? el.querySelectorAll(`[${ATTR}]`) : [])].map((c) => c.getAttribute(ATTR)))];
  const order = ids(rootOf(root));
  return async function back() {
    await settled();
    if (!focusLost()) return;
    const list = rootOf(root);
    if (!list || !list.isConnected) return;
    const controls = [...list.querySelectorAll(`[${ATTR}]`)].filter(usable);
    const of = (rid) => controls.find((c) => c.getAttribute(ATTR) === rid);
    const at = order.indexOf(key);
    const target =
      of(key) ||
      order.slice(at + 1).map(of).find(Boolean) ||
      order.slice(0, Math.max(at, 0)).reverse().map(of).find(Boolean) ||
      controls[0];
    const other = none && rootOf(typeof none === 'function' ? none() : none);
    const last = other?.isConnected ? other : list;
    if (target) target.focus();
    else {
      // a heading or the list: focusable by script, not a Tab stop (a button already is one)
      if (!last.hasAttribute('tabindex') && last.tabIndex < 0) last.setAttribute('tabindex', '-1');
      last.focus();
    }
  };
}

/**
 * Arrow keys in a radio group of buttons (role=radio, one of them tabindex 0): Right/Down go to
 * the next, Left/Up to the one before (round), Home/End to the first/last; the focus and the
 * choice move together — choose(index) is called with the radio's index in the group.
 */
export function radioKeys(event, choose) {
  const radios = [...event.currentTarget.querySelectorAll('[role=radio]')];
  const i = radios.indexOf(event.target.closest?.('[role=radio]'));
  if (i < 0 || !radios.length) return;
  const n = radios.length;
  const j = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1 + n, ArrowUp: i - 1 + n, Home: 0, End: n - 1 }[event.key];
  if (j === undefined) return;
  event.preventDefault();
  const k = j % n;
  radios[k].focus();
  choose(k);
}
