// Menu groups of the enterprise-service and district-development pages (see menu.js).
import { Briefcase, Calendar, OfficeBuilding, ChatLineSquare, DataLine, Tickets, Money, Connection, TrendCharts, Histogram, Upload, Sunny, VideoCamera, Clock } from '@element-plus/icons-vue';
import { Present } from '@element-plus/icons-vue';

export const BIZ_MENU = [
  {
    key: 'enterprise',
    label: 'ent.nav.group',
    icon: Briefcase,
    children: [
      { key: 'ent-appeals', route: 'ent-appeals', label: 'ent.nav.appeals', icon: ChatLineSquare, perm: 'ent.read' },
      { key: 'ent-reception', route: 'ent-reception', label: 'ent.nav.reception', icon: Calendar, perm: 'ent.read' },
      { key: 'ent-calendar', route: 'ent-calendar', label: 'entCal.nav', icon: Present, perm: 'ent.calendar' },
      { key: 'ent-kpis', route: 'ent-kpis', label: 'ent.nav.kpis', icon: DataLine, perm: 'ent.kpi' },
      { key: 'ent-policies', route: 'ent-policies', label: 'ent.nav.policies', icon: Tickets, perm: 'ent.read' },
      { key: 'ent-finance', route: 'ent-finance', label: 'ent.nav.finance', icon: Money, perm: 'ent.read' },
      { key: 'ent-coop', route: 'ent-coop', label: 'ent.nav.coop', icon: Connection, perm: 'ent.read' },
      { key: 'ent-profile-own', route: 'ent-profile-own', label: 'ent.nav.profile', icon: OfficeBuilding, perm: 'ent.profile.own' },
    ],
  },
  {
    key: 'development',
    label: 'dev.nav.group',
    icon: TrendCharts,
    children: [
      { key: 'dev-dashboard', route: 'dev-dashboard', label: 'dev.nav.dashboard', icon: TrendCharts, perm: 'dev.read' },
      { key: 'dev-indicators', route: 'dev-indicators', label: 'dev.ind.nav', icon: Histogram, perm: 'dev.read' },
      { key: 'dev-import', route: 'dev-import', label: 'dev.nav.import', icon: Upload, perm: 'dev.write' },
      { key: 'dev-carbon', route: 'dev-carbon', label: 'dev.nav.carbon', icon: Sunny, perm: 'dev.read' },
      { key: 'dev-ecommerce', route: 'dev-ecommerce', label: 'dev.nav.ecommerce', icon: VideoCamera, perm: 'dev.read' },
      { key: 'dev-studios', route: 'dev-studios', label: 'dev.nav.studios', icon: Clock, perm: 'dev.read' },
    ],
  },
];
