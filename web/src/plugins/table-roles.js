// The ARIA table roles of one Element Plus table (plugins/table.js puts them on every
// <el-table>): the table's box role="table", its own <table>s (headers, rows, summary)
// role="presentation", <thead>/<tbody>/<tfoot> role="rowgroup", <tr> role="row", <th>
// role="columnheader", <td> role="cell", and the "no data" block a row with one cell. A table
// inside a cell (a nested Element Plus table, a plain table of ours) keeps its own structure.
//
// tableRoles walks the whole table, once, when it is mounted. After that only what is added
// gets its roles (addedRoles, from a MutationObserver's records): a change of 20,000 rows
// (sorting, filtering, paging, loading more) costs what it adds, not a walk of every row.
// What is moved keeps its roles (a row moved by a sort is known by its role and not looked
// into), what is removed takes them with it, and a row or cell is never in the table without
// having come in through a record (Vue inserts an element with its children already in it; a
// cell added to a row later is a record of that row). This file is plain DOM code without
// imports: bench/table_roles.mjs runs it in the browser as it is.

const OWN = 'table.el-table__header, table.el-table__body, table.el-table__footer';
const GROUPS = new Set(['THEAD', 'TBODY', 'TFOOT']);

function set(el, value) {
  if (el.getAttribute('role') !== value) el.setAttribute('role', value);
}

function cellRole(cell) {
  if (cell.tagName === 'TD') set(cell, 'cell');
  else if (cell.tagName === 'TH') set(cell, 'columnheader');
}

function rowRoles(tr) {
  set(tr, 'row');
  for (const cell of tr.children) cellRole(cell);
}

/**
 * A row come into a row group: a new one gets its roles, without looking first; one that has
 * its role was moved (a sort), with its cells, whose roles it keeps.
 */
function addedRow(tr) {
  if (tr.getAttribute('role') === 'row') return;
  tr.setAttribute('role', 'row');
  for (const cell of tr.children) {
    if (cell.tagName === 'TD') cell.setAttribute('role', 'cell');
    else if (cell.tagName === 'TH') cell.setAttribute('role', 'columnheader');
  }
}

function groupRoles(group) {
  set(group, 'rowgroup');
  for (const tr of group.children) if (tr.tagName === 'TR') rowRoles(tr);
}

function ownTableRoles(table) {
  set(table, 'presentation');
  for (const group of table.children) if (GROUPS.has(group.tagName)) groupRoles(group);
}

function emptyRoles(empty) {
  set(empty, 'row');
  const text = empty.querySelector('.el-table__empty-text');
  if (text) set(text, 'cell');
}

/** Is `table` one of root's own <table>s (not one inside a cell)? */
function isOwn(root, table) {
  return !!table && table.tagName === 'TABLE' && table.matches(OWN) && table.closest('.el-table') === root;
}

/** The roles on the part of root below `el`, an element of root that is none of its rows. */
function rolesBelow(root, el) {
  if (el.matches(OWN)) {
    if (isOwn(root, el)) ownTableRoles(el);
    return;
  }
  if (el.matches('.el-table__empty-block')) {
    if (el.closest('.el-table') === root) emptyRoles(el);
    return;
  }
  for (const table of el.querySelectorAll(OWN)) if (isOwn(root, table)) ownTableRoles(table);
  for (const empty of el.querySelectorAll('.el-table__empty-block')) if (empty.closest('.el-table') === root) emptyRoles(empty);
}

/**
 * Puts the roles on one Element Plus table (its root element), all of it.
 */
export function tableRoles(root) {
  set(root, 'table');
  rolesBelow(root, root);
}

/**
 * What the element children were added to decides what they are, so one look at each record's
 * target (the same <tbody> for a whole page of rows) and none at the rows that stayed:
 * - a row of root's (<tr> in a row group of one of its own tables): the new cells;
 * - a row group of one of root's own tables: the new rows and their cells;
 * - one of root's own tables: the new row groups;
 * - anything inside a cell (the cell's content, a table nested in it): nothing;
 * - the "no data" block or its content: the block and its text again;
 * - anything else of root (the wrappers around the tables): the tables and the "no data" block
 *   in what came.
 * Nodes removed (or moved away) take their roles with them; nothing is to be done for them.
 */
export function addedRoles(root, records) {
  let last = null;
  let kind = '';
  for (const rec of records) {
    if (rec.type !== 'childList' || rec.addedNodes.length === 0) continue;
    const target = rec.target;
    if (target !== last) {
      last = target;
      kind = targetKind(root, target);
    }
    if (kind === 'none') continue;
    if (kind === 'empty') {
      emptyRoles(target.closest('.el-table__empty-block'));
      continue;
    }
    for (const node of rec.addedNodes) {
      if (node.nodeType !== 1) continue;
      if (kind === 'row') cellRole(node);
      else if (kind === 'group') {
        if (node.tagName === 'TR') addedRow(node);
      } else if (kind === 'table') {
        if (GROUPS.has(node.tagName)) groupRoles(node);
      } else rolesBelow(root, node);
    }
  }
}

/** What children added to `target` are in root's table: see addedRoles. */
function targetKind(root, target) {
  if (target.nodeType !== 1 || !root.contains(target)) return 'none';
  const tag = target.tagName;
  if (tag === 'TR') {
    const group = target.parentElement;
    return group && GROUPS.has(group.tagName) && isOwn(root, group.parentElement) ? 'row' : 'none';
  }
  if (GROUPS.has(tag)) return isOwn(root, target.parentElement) ? 'group' : 'none';
  if (tag === 'TABLE') return isOwn(root, target) ? 'table' : 'none';
  // the nearest of: a cell (root's or a nested table's), the "no data" block, a table's box
  const near = target.closest('td, th, .el-table__empty-block, .el-table');
  if (near === root) return 'other';
  if (near && near.matches('.el-table__empty-block') && near.closest('.el-table') === root) return 'empty';
  return 'none';
}
