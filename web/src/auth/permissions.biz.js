// Page permissions of the enterprise-service (服务企业) and district-development (区域发展)
// modules, mirroring src/http/routes.c (h_enterprise.c, h_indicators.c, h_ecommerce.c).
const DISTRICT = ['admin', 'district_officer'];
const OFFICERS = ['admin', 'district_officer', 'township_officer'];
const ALL = ['admin', 'district_officer', 'township_officer', 'facility_operator', 'grid_worker', 'enterprise', 'viewer'];

export const BIZ_PERMISSIONS = {
  'ent.read': [...OFFICERS, 'enterprise', 'viewer'], // ENT_READ: reception days, appeals, policies, finance, cooperation
  'ent.act': [...OFFICERS, 'enterprise'], // ENT_ACT: file an appeal, sign up, post, rate
  'ent.officer': OFFICERS, // dispatch / accept / return / reply / close / escalate / visit, policy matches
  'ent.district': DISTRICT, // schedule reception days, edit them
  'ent.kpi': [...OFFICERS, 'viewer'], // GET /enterprise/kpis
  'dev.read': ALL, // dashboard, indicators, carbon, e-commerce: public statistics
  'dev.write': DISTRICT, // indicator import, carbon entries
  'dev.book': [...OFFICERS, 'enterprise'], // studio bookings (an enterprise for itself)
  // a streamer's live sessions, follower counts and anonymising delete: officers (a township
  // officer their township's streamers), an enterprise its own organisation's (canChangeRow)
  'dev.ec.streamers': [...OFFICERS, 'enterprise'],
  'dev.ec.sales': OFFICERS, // a product's monthly sales (a township officer: their township's products)
  // the holiday calendar (GET /enterprise/calendar: every role; POST, DELETE: the district)
  'ent.calendar': ALL,
  'ent.calendar.write': DISTRICT,
  // the menu's 企业档案: an enterprise's own profile (officers and viewers reach a firm's from
  // the policy and finance pages; GET/PATCH /enterprise/profiles/{id} scope it)
  'ent.profile.own': ['enterprise'],
};
