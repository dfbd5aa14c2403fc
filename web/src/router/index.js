// Routes. meta.perm names a permission in auth/permissions.js; a page the role may not use
// shows the 无权限 page (and its menu entry is hidden). A new page adds a route here, a
// permission and a menu entry in layouts/menu.js.
import { createRouter, createWebHistory } from 'vue-router';
import { session, restore } from '@/auth/session.js';
import { can } from '@/auth/permissions.js';
import ConsoleLayout from '@/layouts/ConsoleLayout.vue';
import LoginView from '@/views/LoginView.vue';
import { BIZ_ROUTES } from './biz.js';

const routes = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true, title: 'login.title' } },
  {
    path: '/',
    component: ConsoleLayout,
    children: [
      { path: '', redirect: { name: 'dashboard' } },
      {
        path: 'dashboard',
        name: 'dashboard',
        component: () => import('@/views/DashboardView.vue'),
        meta: { perm: 'dashboard', title: 'nav.dashboard' },
      },
      {
        path: 'facilities',
        name: 'facilities',
        component: () => import('@/views/facilities/FacilityList.vue'),
        meta: { perm: 'facilities', title: 'nav.facilities', menu: 'facilities' },
      },
      {
        path: 'facilities/:id(\\d+)',
        name: 'facility',
        component: () => import('@/views/facilities/FacilityDetail.vue'),
        props: true,
        meta: { perm: 'facilities', title: 'facility.detail', menu: 'facilities' },
      },
      {
        path: 'facilities/:id(\\d+)/edit',
        name: 'facility-edit',
        component: () => import('@/views/facilities/FacilityEdit.vue'),
        props: true,
        meta: { perm: 'facilities.edit', title: 'facility.editTitle', menu: 'facilities' },
      },
      {
        path: 'conversions',
        name: 'conversions',
        component: () => import('@/views/dualuse/ConversionList.vue'),
        meta: { perm: 'conversions', title: 'conversion.list', menu: 'conversions' },
      },
      {
        path: 'conversions/:id(\\d+)',
        name: 'conversion',
        component: () => import('@/views/dualuse/ConversionCockpit.vue'),
        props: true,
        meta: { perm: 'conversions', title: 'conversion.cockpit', menu: 'conversions' },
      },
      {
        path: 'manuals',
        name: 'manuals',
        component: () => import('@/views/dualuse/ManualList.vue'),
        meta: { perm: 'manuals', title: 'manual.list', menu: 'manuals' },
      },
      {
        path: 'manuals/:id(\\d+)',
        name: 'manual',
        component: () => import('@/views/dualuse/ManualDetail.vue'),
        props: true,
        meta: { perm: 'manuals', title: 'manual.detail', menu: 'manuals' },
      },
      {
        path: 'drills',
        name: 'drills',
        component: () => import('@/views/dualuse/DrillList.vue'),
        meta: { perm: 'drills', title: 'drill.list', menu: 'drills' },
      },
      {
        path: 'drills/:id(\\d+)',
        name: 'drill-report',
        component: () => import('@/views/dualuse/DrillReport.vue'),
        props: true,
        meta: { perm: 'drills', title: 'drill.report', menu: 'drills' },
      },
      { path: 'admin', redirect: { name: 'users' } },
      {
        path: 'admin/users',
        name: 'users',
        component: () => import('@/views/admin/UserList.vue'),
        meta: { perm: 'users', title: 'nav.users' },
      },
      {
        path: 'admin/audit',
        name: 'audit',
        component: () => import('@/views/admin/AuditLog.vue'),
        meta: { perm: 'audit', title: 'nav.audit' },
      },
      ...BIZ_ROUTES, // enterprise services and district development
      {
        path: 'forbidden',
        name: 'forbidden',
        component: () => import('@/views/ForbiddenView.vue'),
        meta: { title: 'forbidden.title' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/views/NotFoundView.vue'),
        meta: { title: 'notFound.title' },
      },
    ],
  },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  const user = session.checked ? session.user : await restore();
  if (to.meta.public) {
    if (to.name === 'login' && user) return { name: 'dashboard' };
    return true;
  }
  if (!user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  if (to.meta.perm && !can(user, to.meta.perm))
    return { name: 'forbidden', query: { from: to.fullPath }, replace: true };
  return true;
});
