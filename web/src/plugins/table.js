// A data table a screen reader reads as one table. Element Plus draws a table as two <table>s
// (the column headers in one, the rows in another, so that the body scrolls under fixed
// headers): read as they are, a cell is in a table with no headers and is announced without
// its column's name. Every <el-table> of the console is this component (registered under
// Element Plus' name in plugins/element.js): Element Plus' table, unchanged, plus ARIA table
// roles on its structure, so that the whole is one table —
// - the table's box role="table"; the inner <table>s role="presentation" (layout only);
// - <thead>, <tbody>, <tfoot> role="rowgroup", <tr> role="row", <th> role="columnheader",
//   <td> role="cell" (header, body and summary row alike);
// - the "no data" block a row with one cell, so its text stays inside the table.
// The rows change with the data (sorting, paging, loading more): a MutationObserver puts the
// roles on what is added, and stops with the table. Nothing here depends on the language.
import { defineComponent, h, onBeforeUnmount, onMounted, ref } from 'vue';
import { ElTable } from 'element-plus';

const METHODS = [
  'clearSelection', 'getSelectionRows', 'toggleRowSelection', 'toggleAllSelection', 'toggleRowExpansion', 'setCurrentRow',
  'clearSort', 'clearFilter', 'doLayout', 'sort', 'scrollTo', 'setScrollTop', 'setScrollLeft', 'updateKeyChildren',
];

function set(el, attr, value) {
  if (el.getAttribute(attr) !== value) el.setAttribute(attr, value);
}

/**
 * Puts the roles on one Element Plus table (its root element): on its own <table>s and their
 * rows and cells only — a table inside a cell (a nested Element Plus table, a plain table of
 * ours) keeps its own structure.
 */
export function tableRoles(root) {
  set(root, 'role', 'table');
  for (const table of root.querySelectorAll('table.el-table__header, table.el-table__body, table.el-table__footer')) {
    if (table.closest('.el-table') !== root) continue;
    set(table, 'role', 'presentation');
    for (const group of table.children) {
      if (!/^(THEAD|TBODY|TFOOT)$/.test(group.tagName)) continue;
      set(group, 'role', 'rowgroup');
      for (const tr of group.children) {
        if (tr.tagName !== 'TR') continue;
        set(tr, 'role', 'row');
        for (const cell of tr.children) if (cell.tagName === 'TH' || cell.tagName === 'TD') set(cell, 'role', cell.tagName === 'TH' ? 'columnheader' : 'cell');
      }
    }
  }
  for (const empty of root.querySelectorAll('.el-table__empty-block')) {
    if (empty.closest('.el-table') !== root) continue;
    set(empty, 'role', 'row');
    const text = empty.querySelector('.el-table__empty-text');
    if (text) set(text, 'role', 'cell');
  }
}

export default defineComponent({
  name: 'PjTable',
  inheritAttrs: false,
  setup(_, { attrs, slots, expose }) {
    const inner = ref();
    // Element Plus' table's methods, for a ref to the table
    expose(Object.fromEntries(METHODS.map((m) => [m, (...a) => inner.value[m](...a)])));
    let observer = null;
    let queued = false;
    onMounted(() => {
      const root = inner.value?.$el;
      if (!root || root.nodeType !== 1) return;
      tableRoles(root);
      // once per task however many rows came: the roles go on before the next paint
      observer = new MutationObserver(() => {
        if (queued) return;
        queued = true;
        queueMicrotask(() => {
          queued = false;
          if (root.isConnected) tableRoles(root);
        });
      });
      observer.observe(root, { childList: true, subtree: true });
    });
    onBeforeUnmount(() => {
      observer?.disconnect();
      observer = null;
    });
    return () => h(ElTable, { ...attrs, ref: inner }, slots);
  },
});
