// Element Plus, imported per component (smaller bundle than the whole library). Components
// every page uses are registered here; heavy ones used by one page (date picker,
// descriptions, input-number, switch) are imported by that page, so they load with it.
// <el-form-item> is ours (plugins/formItem.js): Element Plus' item whose error a screen reader
// hears and the keyboard reaches.
import FormItem from './formItem.js';
// <el-table> is ours too (plugins/table.js): Element Plus' table read as one table (ARIA roles).
import Table from './table.js';
import {
  ElAlert, ElAside, ElButton, ElCard, ElCol, ElConfigProvider, ElContainer, ElDialog, ElDivider, ElDropdown, ElDropdownItem,
  ElDropdownMenu, ElEmpty, ElForm, ElHeader, ElIcon, ElInput, ElLoading, ElMain, ElMenu, ElMenuItem, ElOption, ElResult, ElRow, ElSegmented,
  ElSelect, ElSkeleton, ElSubMenu, ElTable, ElTableColumn, ElTag, ElTooltip,
} from 'element-plus';

import 'element-plus/es/components/base/style/css';
import 'element-plus/es/components/alert/style/css';
import 'element-plus/es/components/aside/style/css';
import 'element-plus/es/components/button/style/css';
import 'element-plus/es/components/card/style/css';
import 'element-plus/es/components/col/style/css';
import 'element-plus/es/components/container/style/css';
import 'element-plus/es/components/dialog/style/css';
import 'element-plus/es/components/divider/style/css';
import 'element-plus/es/components/dropdown/style/css';
import 'element-plus/es/components/dropdown-item/style/css';
import 'element-plus/es/components/dropdown-menu/style/css';
import 'element-plus/es/components/empty/style/css';
import 'element-plus/es/components/form/style/css';
import 'element-plus/es/components/form-item/style/css';
import 'element-plus/es/components/header/style/css';
import 'element-plus/es/components/icon/style/css';
import 'element-plus/es/components/input/style/css';
import 'element-plus/es/components/loading/style/css';
import 'element-plus/es/components/main/style/css';
import 'element-plus/es/components/menu/style/css';
import 'element-plus/es/components/menu-item/style/css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import 'element-plus/es/components/option/style/css';
import 'element-plus/es/components/result/style/css';
import 'element-plus/es/components/row/style/css';
import 'element-plus/es/components/segmented/style/css';
import 'element-plus/es/components/select/style/css';
import 'element-plus/es/components/skeleton/style/css';
import 'element-plus/es/components/sub-menu/style/css';
import 'element-plus/es/components/table/style/css';
import 'element-plus/es/components/table-column/style/css';
import 'element-plus/es/components/tag/style/css';
import 'element-plus/es/components/tooltip/style/css';

const components = [
  ElAlert, ElAside, ElButton, ElCard, ElCol, ElConfigProvider, ElContainer, ElDialog, ElDivider, ElDropdown, ElDropdownItem,
  ElDropdownMenu, ElEmpty, ElHeader, ElIcon, ElInput, ElMain,
  ElMenu, ElMenuItem, ElOption, ElResult, ElRow, ElSegmented, ElSelect, ElSkeleton,
  ElSubMenu, ElTag, ElTooltip,
];

export default {
  install(app) {
    for (const c of components) app.use(c);
    // the form alone: ElForm's install would register Element Plus' ElFormItem too
    app.component(ElForm.name, ElForm);
    app.component('ElFormItem', FormItem);
    // the table alone: ElTable's install would register Element Plus' ElTable (ElTableColumn's
    // own install does nothing)
    app.component('ElTable', Table);
    app.component(ElTableColumn.name, ElTableColumn);
    app.use(ElLoading);
  },
};
