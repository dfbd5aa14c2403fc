// The side menu: each entry needs a permission; entries whose permission the role lacks are
// hidden, and a group with no visible child is hidden too.
import { Odometer, OfficeBuilding, Setting, User, Document, Monitor, Notebook, Flag } from '@element-plus/icons-vue';
import { BIZ_MENU } from './menu.biz.js';

export const MENU = [
  { key: 'dashboard', route: 'dashboard', label: 'nav.dashboard', icon: Odometer, perm: 'dashboard' },
  { key: 'facilities', route: 'facilities', label: 'nav.facilities', icon: OfficeBuilding, perm: 'facilities' },
  { key: 'conversions', route: 'conversions', label: 'nav.conversions', icon: Monitor, perm: 'conversions' },
  { key: 'manuals', route: 'manuals', label: 'nav.manuals', icon: Notebook, perm: 'manuals' },
  { key: 'drills', route: 'drills', label: 'nav.drills', icon: Flag, perm: 'drills' },
  ...BIZ_MENU, // enterprise services and district development
  {
    key: 'admin',
    label: 'nav.admin',
    icon: Setting,
    children: [
      { key: 'users', route: 'users', label: 'nav.users', icon: User, perm: 'users' },
      { key: 'audit', route: 'audit', label: 'nav.audit', icon: Document, perm: 'audit' },
    ],
  },
];
