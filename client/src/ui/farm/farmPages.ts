/** The print-farm screens by route (spread into the Shell's page table). */
import type { JSX } from 'react';
import { AnalyticsPage } from './analytics/AnalyticsPage.js';
import { FleetPage } from './fleet/FleetPage.js';
import { ModelsPage } from './models/ModelsPage.js';
import { PrinterRoute } from './PrinterRoute.js';
import { QueuePage } from './queue/QueuePage.js';
import { ReportsPage } from './reports/ReportsPage.js';

export const FARM_PAGES = {
  fleet: FleetPage,
  /** `#/printers` lists printers; `#/printers/<id>` is one printer's page. */
  printers: PrinterRoute,
  queue: QueuePage,
  models: ModelsPage,
  reports: ReportsPage,
  analytics: AnalyticsPage,
} satisfies Record<string, () => JSX.Element>;

/** Main navigation entries of the farm screens, in order. */
export const FARM_LINKS = [
  { route: 'fleet', label: 'Fleet' },
  { route: 'queue', label: 'Queue' },
  { route: 'models', label: 'Models' },
  { route: 'reports', label: 'Reports' },
  { route: 'analytics', label: 'Analytics' },
] as const;
