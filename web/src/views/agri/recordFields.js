// The fields of the create/edit forms (RecordForm.vue) of the agri-tech and logistics records,
// the academy's cohorts and the streamers — as the API takes them (docs/api-development.md;
// src/domain/agritech.c, logistics.c, ecommerce_academy.c, ecommerce_streamers.c). `fixed`
// fields are set on create only; labels are keys of the message tables (dev2.f.*).
import { getAll } from '@/api/client.js';

// each option keeps its township: a township officer is offered those its writes may name
const named = (path, key = 'name') => () => getAll(path).then((xs) => xs.map((x) => ({ id: x.id, name: x[key], township_id: x.township_id ?? null })));
const parks = named('/logistics/parks');
const warehouses = named('/logistics/warehouses');
const labs = named('/agri/labs');
const projects = named('/agri/projects');
const farms = named('/agri/farms');
const results = named('/agri/results', 'title');
const courses = named('/academy/courses', 'title');
const bases = named('/ecommerce/bases');
const zones = named('/ecommerce/zone-enterprises');

// past: a date that may not be in the future (the server refuses one): later days disabled.
// ownTownship: what a township officer is offered, as the server takes it (403 for the rest):
// true, the options of its township; 'orNone', those and the ones of no township
const f = (key, type, more = {}) => ({ key, type, label: 'dev2.f.' + key, ...more });
const REQ = { required: true };
const FIX = { fixed: true };

const LAB_KINDS = ['national_key_lab', 'graduate_school', 'innovation_port', 'research_institute', 'other'];
const PROJECT_STATES = ['planned', 'in_progress', 'completed', 'suspended'];
const MILESTONE_STATES = ['open', 'done', 'cancelled'];
const BUILD_STATES = ['planned', 'under_construction', 'operating'];
const RESULT_KINDS = ['variety', 'technique', 'patent', 'standard', 'product', 'other'];
const AUTOMATION = ['conventional', 'mechanised', 'automated', 'unmanned'];
const FREIGHT_MODES = ['road', 'rail', 'multimodal'];
const TRAIN_KINDS = ['china_europe', 'city', 'intra_city'];
const TRAIN_STATES = ['planned', 'operating', 'suspended'];
export const EC_CATEGORIES = ['peach', 'eggs', 'farming', 'culture_tourism', 'vegetable', 'fruit', 'grain', 'handicraft', 'food', 'other'];

export const AGRI_FIELDS = {
  labs: [
    f('name', 'text', REQ),
    f('kind', 'enum', { ...REQ, values: LAB_KINDS, group: 'dev2.labKinds' }),
    f('field', 'text'),
    f('organisation_id', 'org'),
    f('facility_id', 'facility'),
    f('township_id', 'township'),
  ],
  projects: [
    f('name', 'text', REQ),
    f('lab_id', 'ref', { options: labs, ownTownship: 'orNone' }), // its township's labs, or a district lab
    f('organisation_id', 'org'),
    f('township_id', 'township'),
    f('state', 'enum', { values: PROJECT_STATES, group: 'dev2.projectStates' }),
    f('start_date', 'date'),
    f('budget_fen', 'yuan'),
  ],
  milestones: [
    f('project_id', 'ref', { ...REQ, ...FIX, options: projects, ownTownship: true }),
    f('name', 'text', REQ),
    f('due', 'date', REQ),
    f('state', 'enum', { values: MILESTONE_STATES, group: 'dev2.milestoneStates' }),
    f('done', 'date', { past: true }),
  ],
  farms: [
    f('name', 'text', REQ),
    f('township_id', 'township'),
    f('organisation_id', 'org'),
    f('facility_id', 'facility'),
    f('lab_id', 'ref', { options: labs }),
    f('area_mu', 'number', { precision: 2 }),
    f('main_crop', 'text', { max: 64 }),
    f('postdoc_station', 'bool'),
    f('established', 'date'),
  ],
  experts: [
    f('name', 'text', { ...REQ, max: 64 }),
    f('title', 'enum', { ...REQ, values: ['academician', 'doctor'], group: 'dev2.expertTitles', label: 'dev2.f.expertTitle' }),
    // an expert's township is the farm's, else the lab's: without a farm a district lab would
    // leave the expert of no township (refused), so the officer's own labs only
    f('farm_id', 'ref', { options: farms, hint: 'dev2.f.farmOrLab', ownTownship: true }),
    f('lab_id', 'ref', { options: labs, ownTownship: true }),
    f('field', 'text'),
    f('affiliation', 'text'),
  ],
  sections: [
    f('cluster', 'text', REQ),
    f('name', 'text', REQ),
    f('township_id', 'township'),
    f('organisation_id', 'org'),
    f('state', 'enum', { values: BUILD_STATES, group: 'dev2.buildStates' }),
    f('area_m2', 'number', { ...REQ, precision: 2 }),
    f('crop', 'text', { max: 64 }),
    f('yield_kg', 'number', { precision: 1 }),
  ],
  results: [
    f('title', 'text', { ...REQ, max: 200, wide: true, label: 'dev2.f.resultTitle' }),
    f('kind', 'enum', { ...REQ, values: RESULT_KINDS, group: 'dev2.resultKinds' }),
    f('lab_id', 'ref', { options: labs }),
    f('year', 'int', REQ),
  ],
  transfers: [
    f('result_id', 'ref', { ...REQ, ...FIX, options: results }),
    f('farm_id', 'ref', { ...REQ, ...FIX, options: farms, ownTownship: true }),
    f('date', 'date', { ...REQ, past: true }),
    f('area_mu', 'number', { precision: 2 }),
    f('value_fen', 'yuan'),
    f('note', 'textarea'),
  ],
};

export const LOGISTICS_FIELDS = {
  parks: [f('name', 'text', REQ), f('township_id', 'township'), f('organisation_id', 'org'), f('area_mu', 'number', { precision: 2 })],
  warehouses: [
    f('name', 'text', REQ),
    f('park_id', 'ref', { options: parks, ownTownship: 'orNone' }), // the park's township is the warehouse's
    f('organisation_id', 'org'),
    f('township_id', 'township'),
    f('area_m2', 'number', { ...REQ, precision: 2 }),
    // the status moves one step at a time, on the list's own button: set here on create only
    f('status', 'enum', { values: BUILD_STATES, group: 'dev2.buildStates', createOnly: true }),
    f('facility_id', 'facility', { query: { type: 'warehouse' }, hint: 'dev2.f.facilityHint' }),
    f('automation', 'enum', { values: AUTOMATION, group: 'dev2.automationLevels' }),
    f('cold_chain', 'bool'),
    f('started', 'date', { past: true }),
    f('opened', 'date', { past: true }),
  ],
  tenants: [
    f('warehouse_id', 'ref', { ...REQ, ...FIX, options: warehouses, ownTownship: true }),
    f('organisation_id', 'org', { ...REQ, ...FIX }),
    f('area_m2', 'number', { precision: 2 }),
    f('since', 'date'),
    f('until', 'date'),
  ],
  freight: [
    f('park_id', 'ref', { ...FIX, options: parks }),
    // a township officer records the freight of its own township's organisations (the server's
    // rule): the others are not offered
    f('organisation_id', 'org', { ...FIX, ownTownship: true }),
    f('month', 'month', { ...REQ, ...FIX }),
    f('mode', 'enum', { ...FIX, values: FREIGHT_MODES, group: 'dev2.freightModes' }),
    f('tonnes', 'int', REQ),
  ],
  parcels: [
    f('name', 'text', REQ),
    f('park_id', 'ref', { options: parks, ownTownship: 'orNone' }),
    f('township_id', 'township'),
    f('area_mu', 'number', { ...REQ, precision: 2 }),
    f('transferable_before_mu', 'number', { ...REQ, precision: 2 }),
    f('transferable_after_mu', 'number', { ...REQ, precision: 2 }),
    f('price_fen_per_mu', 'yuan'),
    f('consolidated', 'date'),
  ],
  trains: [
    f('name', 'text', REQ),
    f('kind', 'enum', { ...REQ, values: TRAIN_KINDS, group: 'dev2.trainKinds' }),
    f('park_id', 'ref', { options: parks, ownTownship: true }), // a line is its park's township's
    f('origin', 'text', { max: 64 }),
    f('destination', 'text', { max: 64 }),
    f('trains_per_week', 'number', { precision: 1 }),
    f('state', 'enum', { values: TRAIN_STATES, group: 'dev2.trainStates' }),
    f('started', 'date'),
  ],
};

export const COURSE_FIELDS = [
  f('title', 'text', { ...REQ, max: 64, label: 'dev2.f.courseTitle' }),
  f('category', 'enum', { ...REQ, values: ['livestream_selling', 'short_video', 'operations', 'product', 'compliance', 'other'], group: 'dev2.courseCategories' }),
  f('hours', 'int', REQ),
  f('level', 'int', { ...REQ, hint: 'dev2.f.skillHint' }),
  f('practice_hours', 'int', REQ),
];

export const COHORT_FIELDS = [
  f('course_id', 'ref', { ...REQ, createOnly: true, options: courses }),
  f('base_id', 'ref', { ...REQ, createOnly: true, options: bases, ownTownship: true }), // taught in its township
  f('name', 'text', { ...REQ, max: 64 }),
  f('capacity', 'int', REQ),
  f('starts_on', 'date', REQ),
  f('ends_on', 'date', REQ),
];

/** the enterprises settled in the livestream zone: name and kind are set when registered */
export const ZONE_KINDS = ['ecommerce', 'mcn', 'internet_service'];
export const ZONE_FIELDS = [
  f('name', 'text', { ...REQ, ...FIX, max: 64 }),
  f('kind', 'enum', { ...REQ, ...FIX, values: ZONE_KINDS, group: 'dev2.zoneKinds' }),
  f('organisation_id', 'org'),
  f('base_id', 'ref', { options: bases }),
  f('settled_on', 'date', { past: true }),
];

/** job posts of zone enterprises (入学即入岗: an enrolment takes one of the openings) */
export const POST_FIELDS = [
  f('zone_enterprise_id', 'ref', { ...REQ, ...FIX, options: zones }),
  f('title', 'text', { ...REQ, max: 64, label: 'dev2.f.postTitle' }),
  f('openings', 'int', REQ),
  f('state', 'enum', { values: ['open', 'closed'], group: 'dev2.postStates', editOnly: true }),
];

export const STREAMER_FIELDS = [
  f('name', 'text', { ...REQ, max: 64 }),
  f('birth_date', 'date', { ...REQ, hint: 'dev2.f.ageRule' }),
  f('skill_level', 'int', { ...REQ, hint: 'dev2.f.skillHint' }),
  f('id_number', 'text', { max: 18 }),
  f('phone', 'text', { max: 11 }),
  f('guardian_name', 'text', { max: 64 }),
  f('guardian_relation', 'text', { max: 32 }),
  f('guardian_consent_date', 'date', { past: true }),
  // the organisation a streamer signs with sees their personal data: one of the officer's township
  f('organisation_id', 'org', { ownTownship: true }),
  f('township_id', 'township'),
  f('base_id', 'ref', { options: bases }),
  f('categories', 'multi', { values: EC_CATEGORIES, group: 'dev2.ecCategories', wide: true }),
];
