// The side menu: each entry needs a permission; entries whose permission the role lacks are
// hidden, and a group with no visible child is hidden too.
import { Odometer, OfficeBuilding, Setting, User, Document, Monitor, Notebook, Flag, MapLocation } from '@element-plus/icons-vue';
import { House, Avatar, UserFilled, Connection, EditPen, Bell, DataAnalysis, List } from '@element-plus/icons-vue';
import { BIZ_MENU } from './menu.biz.js';
import { School, Sunny, Van, TrendCharts, Box } from '@element-plus/icons-vue';
import { HomeFilled, Operation, Tickets } from '@element-plus/icons-vue';

const DEVELOPMENT_MORE = [
  { key: 'academy', route: 'academy', label: 'dev2.nav.academy', icon: School, perm: 'academy' },
  { key: 'academy-kpi', route: 'academy-kpi', label: 'dev2.nav.academyKpi', icon: DataAnalysis, perm: 'academy' },
  { key: 'agri', route: 'agri', label: 'dev2.nav.agri', icon: Sunny, perm: 'agri' },
  { key: 'agri-output', route: 'agri-output', label: 'dev2.nav.agriOutput', icon: TrendCharts, perm: 'agri' },
  { key: 'logistics', route: 'logistics', label: 'dev2.nav.logistics', icon: Van, perm: 'logistics' },
  { key: 'warehouses', route: 'warehouses', label: 'dev2.nav.warehouses', icon: Box, perm: 'logistics' },
];

export const MENU = [
  { key: 'dashboard', route: 'dashboard', label: 'nav.dashboard', icon: Odometer, perm: 'dashboard' },
  { key: 'facilities', route: 'facilities', label: 'nav.facilities', icon: OfficeBuilding, perm: 'facilities' },
  { key: 'conversions', route: 'conversions', label: 'nav.conversions', icon: Monitor, perm: 'conversions' },
  { key: 'manuals', route: 'manuals', label: 'nav.manuals', icon: Notebook, perm: 'manuals' },
  { key: 'team-types', route: 'team-types', label: 'nav.teamTypes', icon: Operation, perm: 'manuals' },
  { key: 'drills', route: 'drills', label: 'nav.drills', icon: Flag, perm: 'drills' },
  { key: 'stock', route: 'stock', label: 'nav.stock', icon: Box, perm: 'stock' },
  { key: 'plans', route: 'plans', label: 'nav.plans', icon: MapLocation, perm: 'plans' },
  {
    key: 'eldercare',
    label: 'eldercare.nav.group',
    icon: House,
    children: [
      { key: 'elders', route: 'elders', label: 'eldercare.nav.elders', icon: Avatar, perm: 'eldercare' },
      { key: 'service-entry', route: 'service-entry', label: 'eldercare.nav.quickEntry', icon: EditPen, perm: 'eldercare' },
      { key: 'helpers', route: 'helpers', label: 'eldercare.nav.helpers', icon: UserFilled, perm: 'eldercare' },
      { key: 'pairing', route: 'pairing', label: 'eldercare.nav.pairing', icon: Connection, perm: 'eldercare.pairing' },
      { key: 'pair-requests', route: 'pair-requests', label: 'eldercare.nav.pairRequests', icon: Tickets, perm: 'eldercare' },
      { key: 'elder-alerts', route: 'elder-alerts', label: 'eldercare.nav.alerts', icon: Bell, perm: 'eldercare' },
      { key: 'elder-coverage', route: 'elder-coverage', label: 'eldercare.nav.coverage', icon: DataAnalysis, perm: 'eldercare.reports' },
      { key: 'vulnerable', route: 'vulnerable', label: 'eldercare.nav.vulnerable', icon: List, perm: 'eldercare' },
      { key: 'elder-centres', route: 'elder-centres', label: 'centres.nav', icon: HomeFilled, perm: 'eldercare.centres' },
    ],
  },
  // enterprise services and district development (one group: the dashboard, indicators and
  // e-commerce of menu.biz.js, then the academy, agri-tech and the logistics hub)
  ...BIZ_MENU.map((g) => (g.key === 'development' ? { ...g, children: [...g.children, ...DEVELOPMENT_MORE] } : g)),
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
