// Routes of the enterprise-service (服务企业, /enterprise/…) and district-development
// (区域发展, /development/…) pages; spread into the console layout's children.
const r = (path, name, loader, perm, title, menu, props = false) => ({ path, name, component: loader, props, meta: { perm, title, menu: menu || name } });

export const BIZ_ROUTES = [
  r('enterprise', 'ent-home', null, 'ent.read', 'ent.nav.group'),
  r('enterprise/reception-days', 'ent-reception', () => import('@/views/enterprise/ReceptionDays.vue'), 'ent.read', 'ent.nav.reception'),
  r('enterprise/calendar', 'ent-calendar', () => import('@/views/enterprise/HolidayCalendar.vue'), 'ent.calendar', 'entCal.title'),
  r('enterprise/appeals', 'ent-appeals', () => import('@/views/enterprise/AppealList.vue'), 'ent.read', 'ent.nav.appeals'),
  r('enterprise/appeals/:id(\\d+)', 'ent-appeal', () => import('@/views/enterprise/AppealDetail.vue'), 'ent.read', 'ent.appeal.detail', 'ent-appeals', true),
  r('enterprise/kpis', 'ent-kpis', () => import('@/views/enterprise/AppealKpis.vue'), 'ent.kpi', 'ent.nav.kpis'),
  r('enterprise/policies', 'ent-policies', () => import('@/views/enterprise/PolicyList.vue'), 'ent.read', 'ent.nav.policies'),
  r('enterprise/policies/:id(\\d+)', 'ent-policy', () => import('@/views/enterprise/PolicyDetail.vue'), 'ent.read', 'ent.policy.detail', 'ent-policies', true),
  r('enterprise/finance', 'ent-finance', () => import('@/views/enterprise/FinanceMatching.vue'), 'ent.read', 'ent.nav.finance'),
  r('enterprise/profile', 'ent-profile-own', () => import('@/views/enterprise/EnterpriseProfile.vue'), 'ent.profile.own', 'ent.nav.profile'),
  r('enterprise/profiles/:id(\\d+)', 'ent-profile', () => import('@/views/enterprise/EnterpriseProfile.vue'), 'ent.read', 'ent.profile.title', 'ent-policies', true),
  r('enterprise/cooperation', 'ent-coop', () => import('@/views/enterprise/CoopBoard.vue'), 'ent.read', 'ent.nav.coop'),
  r('development', 'dev-home', null, 'dev.read', 'dev.nav.group'),
  r('development/dashboard', 'dev-dashboard', () => import('@/views/development/DistrictDashboard.vue'), 'dev.read', 'dev.nav.dashboard'),
  r('development/indicators', 'dev-indicators', () => import('@/views/development/IndicatorList.vue'), 'dev.read', 'dev.ind.nav'),
  r('development/indicators/:id(\\d+)', 'dev-indicator', () => import('@/views/development/IndicatorDetail.vue'), 'dev.read', 'dev.ind.nav', 'dev-indicators', true),
  r('development/import', 'dev-import', () => import('@/views/development/IndicatorImport.vue'), 'dev.write', 'dev.nav.import'),
  r('development/carbon', 'dev-carbon', () => import('@/views/development/CarbonView.vue'), 'dev.read', 'dev.nav.carbon'),
  r('development/ecommerce', 'dev-ecommerce', () => import('@/views/development/EcommerceZone.vue'), 'dev.read', 'dev.nav.ecommerce'),
  r('development/studios', 'dev-studios', () => import('@/views/development/StudioBooking.vue'), 'dev.read', 'dev.nav.studios'),
].map((x) => (x.component ? x : { path: x.path, redirect: { name: x.name === 'ent-home' ? 'ent-appeals' : 'dev-dashboard' } }));
