/**
 * One printer (#/printers/<id>): live telemetry, controls that write command documents and
 * their progress, job history and usage, shared notes, and a printable QR label.
 */
import { useMemo, type ReactNode } from 'react';
import { can, type Job, type Printer } from '@fleetsync/shared';
import { useCollection } from '../../../hooks/useCollection.js';
import { useReady } from '../../appContext.js';
import { usePageTitle } from '../common/usePageTitle.js';
import { usePrincipal } from '../common/usePrincipal.js';
import { useQuery } from '../common/useQuery.js';
import { CommandList } from './CommandList.js';
import { JobHistory, UsageCounters } from './JobHistory.js';
import { NotesEditor } from './NotesEditor.js';
import { PrinterControls } from './PrinterControls.js';
import { QrLabel } from './QrLabel.js';
import { Telemetry } from './Telemetry.js';

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function PrinterPage({ printerId }: { printerId: string }) {
  const { session } = useReady();
  const principal = usePrincipal();
  const docs = useCollection('printers', null);
  const doc = docs.find((d) => d.id === printerId);
  const printer = useMemo(() => (doc ? (doc.toJSON() as Printer) : undefined), [doc]);
  const jobs: Job[] = useQuery('jobs', { printerId });
  const headingRef = usePageTitle(printer?.name ?? 'Printer');

  // The same breadcrumb and heading elements whether or not the printer is known yet, so the
  // heading focused on arrival stays focused when the data comes in.
  const breadcrumb = (
    <p className="breadcrumb">
      <a href="#/fleet">Fleet</a> <span aria-hidden="true">›</span> {printer?.name ?? 'Printer'}
    </p>
  );
  const heading = (
    <div className="page-head">
      <h1 id="printer-heading" ref={headingRef} tabIndex={-1}>
        {printer?.name ?? (docs.length === 0 ? 'Printer' : 'Printer not found')}
      </h1>
    </div>
  );
  if (!printer) {
    return (
      <article className="farm-page printer-page" aria-labelledby="printer-heading">
        {breadcrumb}
        {heading}
        <p className="empty">
          {docs.length === 0 ? 'Loading…' : 'This printer does not exist or you may not see it.'}{' '}
          <a href="#/fleet">Back to the fleet</a>
        </p>
      </article>
    );
  }
  const currentJob = printer.currentJobId ? jobs.find((j) => j.id === printer.currentJobId)?.name : undefined;
  const canEditNotes = can(principal, 'printers.update', { orgId: printer.orgId });
  return (
    <article className="farm-page printer-page" aria-labelledby="printer-heading">
      {breadcrumb}
      {heading}
      <div className="printer-layout">
        <div className="printer-main">
          <Section id="telemetry-heading" title="Live status">
            <Telemetry printer={printer} currentJob={currentJob} />
          </Section>
          <Section id="controls-heading" title="Controls">
            <PrinterControls printer={printer} />
          </Section>
          <Section id="commands-heading" title="Commands">
            <CommandList printerId={printer.id} />
          </Section>
        </div>
        <div className="printer-side">
          <Section id="notes-heading" title="Notes">
            <NotesEditor room={`printers:${printer.id}`} userId={session.userId} assumeReadOnly={!canEditNotes} />
          </Section>
          <Section id="usage-heading" title="Usage counters">
            <UsageCounters jobs={jobs} />
          </Section>
          <Section id="label-heading" title="QR label">
            <QrLabel printerId={printer.id} name={printer.name} location={printer.location} />
          </Section>
        </div>
      </div>
      <Section id="history-heading" title="Job history">
        <JobHistory jobs={jobs} />
      </Section>
    </article>
  );
}
