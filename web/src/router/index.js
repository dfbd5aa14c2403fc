// Routes. meta.perm names a permission in auth/permissions.js; a page the role may not use
// shows the 无权限 page (and its menu entry is hidden). A new page adds a route here, a
// permission and a menu entry in layouts/menu.js.
import { createRouter, createWebHistory } from 'vue-router';
import { session, restore } from '@/auth/session.js';
import { can } from '@/auth/permissions.js';
import ConsoleLayout from '@/layouts/ConsoleLayout.vue';
import LoginView from '@/views/LoginView.vue';
import { BIZ_ROUTES } from './biz.js';
import { homeOf } from './home.js';

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
        path: 'facilities/new',
        name: 'facility-new',
        component: () => import('@/views/facilities/FacilityEdit.vue'),
        meta: { perm: 'facilities.create', title: 'facility.newTitle', menu: 'facilities' },
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
        path: 'conversions/:id(\\d+)/report',
        name: 'conversion-report',
        component: () => import('@/views/dualuse/LiveReport.vue'),
        props: true,
        meta: { perm: 'conversions', title: 'liveReport.title', menu: 'conversions' },
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
        path: 'team-types',
        name: 'team-types',
        component: () => import('@/views/dualuse/TeamTypes.vue'),
        meta: { perm: 'manuals', title: 'teamTypePage.title', menu: 'team-types' },
      },
      {
        path: 'stock',
        name: 'stock',
        component: () => import('@/views/dualuse/StockList.vue'),
        meta: { perm: 'stock', title: 'stock.title', menu: 'stock' },
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
      // eldercare (互助养老)
      {
        path: 'elders',
        name: 'elders',
        component: () => import('@/views/eldercare/ElderList.vue'),
        meta: { perm: 'eldercare', title: 'eldercare.nav.elders', menu: 'elders' },
      },
      {
        path: 'elders/new',
        name: 'elder-new',
        component: () => import('@/views/eldercare/ElderForm.vue'),
        meta: { perm: 'eldercare', title: 'eldercare.newElder', menu: 'elders' },
      },
      {
        path: 'elders/:id(\\d+)',
        name: 'elder',
        component: () => import('@/views/eldercare/ElderDetail.vue'),
        props: true,
        meta: { perm: 'eldercare', title: 'eldercare.elder', menu: 'elders' },
      },
      {
        path: 'elders/:id(\\d+)/edit',
        name: 'elder-edit',
        component: () => import('@/views/eldercare/ElderForm.vue'),
        props: true,
        meta: { perm: 'eldercare', title: 'eldercare.editElder', menu: 'elders' },
      },
      {
        path: 'helpers',
        name: 'helpers',
        component: () => import('@/views/eldercare/HelperList.vue'),
        meta: { perm: 'eldercare', title: 'eldercare.nav.helpers', menu: 'helpers' },
      },
      {
        path: 'helpers/new',
        name: 'helper-new',
        component: () => import('@/views/eldercare/HelperForm.vue'),
        meta: { perm: 'eldercare', title: 'eldercare.newHelper', menu: 'helpers' },
      },
      {
        path: 'helpers/:id(\\d+)',
        name: 'helper',
        component: () => import('@/views/eldercare/HelperDetail.vue'),
        props: true,
        meta: { perm: 'eldercare', title: 'eldercare.helper', menu: 'helpers' },
      },
      {
        path: 'helpers/:id(\\d+)/edit',
        name: 'helper-edit',
        component: () => import('@/views/eldercare/HelperForm.vue'),
        props: true,
        meta: { perm: 'eldercare', title: 'eldercare.editHelper', menu: 'helpers' },
      },
      {
        path: 'pairing',
        name: 'pairing',
        component: () => import('@/views/eldercare/PairingView.vue'),
        meta: { perm: 'eldercare.pairing', title: 'eldercare.nav.pairing', menu: 'pairing' },
      },
      {
        path: 'pair-requests',
        name: 'pair-requests',
        component: () => import('@/views/eldercare/PairRequestList.vue'),
        meta: { perm: 'eldercare', title: 'eldercare.nav.pairRequests', menu: 'pair-requests' },
      },
      {
        path: 'pairing/:id(\\d+)',
        name: 'pairing-run',
        component: () => import('@/views/eldercare/PairingRun.vue'),
        props: true,
        meta: { perm: 'eldercare.pairing', title: 'eldercare.nav.pairing', menu: 'pairing' },
      },
      {
        path: 'service-entry',
        name: 'service-entry',
        component: () => import('@/views/eldercare/QuickEntry.vue'),
        meta: { perm: 'eldercare', title: 'eldercare.nav.quickEntry', menu: 'service-entry' },
      },
      {
        path: 'elder-alerts',
        name: 'elder-alerts',
        component: () => import('@/views/eldercare/AlertList.vue'),
        meta: { perm: 'eldercare', title: 'eldercare.nav.alerts', menu: 'elder-alerts' },
      },
      {
        path: 'eldercare/coverage',
        name: 'elder-coverage',
        component: () => import('@/views/eldercare/CoverageReport.vue'),
        meta: { perm: 'eldercare.reports', title: 'eldercare.nav.coverage', menu: 'elder-coverage' },
      },
      {
        path: 'eldercare/vulnerable',
        name: 'vulnerable',
        component: () => import('@/views/eldercare/VulnerableList.vue'),
        meta: { perm: 'eldercare', title: 'eldercare.nav.vulnerable', menu: 'vulnerable' },
      },
      // elder centres: village mutual-aid points and township elderly-service centres
      {
        path: 'eldercare/centres',
        name: 'elder-centres',
        component: () => import('@/views/eldercare/CentreList.vue'),
        meta: { perm: 'eldercare.centres', title: 'centres.title', menu: 'elder-centres' },
      },
      {
        path: 'plans',
        name: 'plans',
        component: () => import('@/views/plans/PlanList.vue'),
        meta: { perm: 'plans', title: 'plan.list', menu: 'plans' },
      },
      {
        path: 'plans/new',
        name: 'plan-new',
        component: () => import('@/views/plans/PlanNew.vue'),
        meta: { perm: 'plans.write', title: 'plan.new', menu: 'plans' },
      },
      {
        path: 'plans/compare',
        name: 'plan-compare',
        component: () => import('@/views/plans/PlanCompare.vue'),
        meta: { perm: 'plans', title: 'plan.compare', menu: 'plans' },
      },
      {
        path: 'plans/:id(\\d+)',
        name: 'plan',
        component: () => import('@/views/plans/PlanDetail.vue'),
        props: true,
        meta: { perm: 'plans', title: 'plan.detail', menu: 'plans' },
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
      // district development: the village-streamer academy, agri-tech, the logistics hub
      { path: 'academy', name: 'academy', component: () => import('@/views/academy/AcademyView.vue'), meta: { perm: 'academy', title: 'dev2.academy', menu: 'academy' } },
      { path: 'academy/cohorts/:id(\\d+)', name: 'academy-cohort', component: () => import('@/views/academy/CohortDetail.vue'), props: true, meta: { perm: 'academy', title: 'dev2.cohort', menu: 'academy' } },
      { path: 'academy/kpi', name: 'academy-kpi', component: () => import('@/views/academy/AcademyKpi.vue'), meta: { perm: 'academy', title: 'dev2.kpiTitle', menu: 'academy-kpi' } },
      { path: 'agri', name: 'agri', component: () => import('@/views/agri/AgriView.vue'), meta: { perm: 'agri', title: 'dev2.agri', menu: 'agri' } },
      { path: 'agri/output', name: 'agri-output', component: () => import('@/views/agri/AgriOutput.vue'), meta: { perm: 'agri', title: 'dev2.output', menu: 'agri-output' } },
      { path: 'logistics', name: 'logistics', component: () => import('@/views/logistics/LogisticsView.vue'), meta: { perm: 'logistics', title: 'dev2.logistics', menu: 'logistics' } },
      { path: 'logistics/warehouses', name: 'warehouses', component: () => import('@/views/logistics/WarehouseList.vue'), meta: { perm: 'logistics', title: 'dev2.warehouses', menu: 'warehouses' } },
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

// the login page reached (another user, or the question answered 放弃并离开): the in-place
// login is over
router.afterEach((to) => {
  if (to.meta.public) session.relogin = '';
});
// a console left open across a new build asks for a page's chunk by its old name, gone from
// the server: the click would do nothing. The new build is loaded instead, at the page asked
// for; once a page (a chunk missing again right after is not a stale build: the error stays)
const STALE_MODULE = /dynamically imported module|Importing a module script failed|Unable to preload CSS|Failed to load module script/i;
const RELOADED_FOR = 'pj_reloaded_for';
router.onError((err, to) => {
  if (!STALE_MODULE.test(String(err?.message || err))) return;
  const target = to?.fullPath || window.location.pathname;
  if (sessionStorage.getItem(RELOADED_FOR) === target) return;
  sessionStorage.setItem(RELOADED_FOR, target);
  window.location.assign(target);
});
router.afterEach(() => sessionStorage.removeItem(RELOADED_FOR));
router.beforeEach(async (to) => {
  const user = session.checked ? session.user : await restore();
  if (user && to.name === 'dashboard' && to.redirectedFrom && to.redirectedFrom.path === '/' && homeOf(user).name !== 'dashboard')
    return homeOf(user);
  if (to.meta.public) {
    // (while logging out the login page is the way out: the session ends once it is reached)
    if (to.name === 'login' && user && !session.loggingOut) return homeOf(user);
    return true;
  }
  if (!user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  if (to.meta.perm && !can(user, to.meta.perm))
    return { name: 'forbidden', query: { from: to.fullPath }, replace: true };
  return true;
});
