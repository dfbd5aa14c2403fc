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
// The rows change with the data (sorting, filtering, paging, loading more): a MutationObserver
// puts the roles on what is added, and only on that (plugins/table-roles.js), and stops with the
// table. Nothing here depends on the language.
import { defineComponent, h, onBeforeUnmount, onMounted, ref } from 'vue';
import { ElTable } from 'element-plus';
import { addedRoles, tableRoles } from './table-roles.js';

export { tableRoles };

const METHODS = [
  'clearSelection', 'getSelectionRows', 'toggleRowSelection', 'toggleAllSelection', 'toggleRowExpansion', 'setCurrentRow',
  'clearSort', 'clearFilter', 'doLayout', 'sort', 'scrollTo', 'setScrollTop', 'setScrollLeft', 'updateKeyChildren',
];

export default defineComponent({
  name: 'PjTable',
  inheritAttrs: false,
  setup(_, { attrs, slots, expose }) {
    const inner = ref();
    // Element Plus' table's methods, for a ref to the table
    expose(Object.fromEntries(METHODS.map((m) => [m, (...a) => inner.value[m](...a)])));
    let observer = null;
    onMounted(() => {
      const root = inner.value?.$el;
      if (!root || root.nodeType !== 1) return;
      tableRoles(root);
      // the callback runs once the change is in the DOM, before the next paint, with every
      // record since the last one: the roles go on what came, however many rows that is
      observer = new MutationObserver((records) => addedRoles(root, records));
      observer.observe(root, { childList: true, subtree: true });
    });
    onBeforeUnmount(() => {
      observer?.disconnect();
      observer = null;
    });
    return () => h(ElTable, { ...attrs, ref: inner }, slots);
  },
});
