// The reference of bench/table_roles.mjs: web/src/plugins/table.js's role application as it was
// before it became incremental (commit 54bb3b54), kept as it was. On every change of a table's
// rows (a MutationObserver, once per task) it walked the whole table: every row and cell of it.

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
