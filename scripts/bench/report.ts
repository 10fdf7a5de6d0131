/** The results table on stdout and the same figures as JSON in scripts/bench/results/latest.json. */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ScenarioResult } from './runner.js';

export interface RatioRow {
  group: string;
  scenario: string;
  batchSize: number;
  baseline: string;
  ratio: number;
}

const out = (line = '') => process.stdout.write(`${line}\n`);

export function ratios(results: ScenarioResult[]): RatioRow[] {
  const rows: RatioRow[] = [];
  for (const r of results) {
    if (r.baseline || r.error) continue;
    const base = results.find((b) => b.baseline && b.group === r.group);
    if (!base || base.error) continue;
    const ratio = Math.round((r.docsPerSec / base.docsPerSec) * 1000) / 1000;
    rows.push({ group: r.group, scenario: r.name, batchSize: r.batchSize, baseline: base.name, ratio });
  }
  return rows;
}

function cell(value: string | number, width: number, left = false): string {
  const s = String(value);
  return left ? s.padEnd(width) : s.padStart(width);
}

export function printTable(results: ScenarioResult[]): void {
  const r = ratios(results);
  const header = [
    cell('group', 16, true),
    cell('scenario', 42, true),
    cell('batch', 6),
    cell('time s', 8),
    cell('docs/s', 9),
    cell('runs min-max', 13),
    cell('vs base', 8),
    cell('RSS MB start>peak', 18),
    cell('heap MB start>peak', 19),
    cell('stall ms', 9),
  ].join(' ');
  out(header);
  out('-'.repeat(header.length));
  for (const x of results) {
    const mine = r.find((y) => y.group === x.group && y.scenario === x.name && y.batchSize === x.batchSize);
    const ratio = x.baseline ? 'base' : (mine?.ratio.toFixed(2) ?? '-');
    const spread = x.runs.length > 1 ? `${Math.min(...x.runs)}-${Math.max(...x.runs)}` : 'single run';
    const m = x.memory;
    const figures = x.error
      ? [cell(x.error.startsWith('skipped') ? 'SKIPPED (see below)' : 'FAILED (see below)', 36, true)]
      : [
          cell((x.ms / 1000).toFixed(2), 8),
          cell(x.docsPerSec, 9),
          cell(spread, 13),
          cell(ratio, 8),
          cell(m ? `${m.startRssMb.toFixed(0)}>${m.peakRssMb.toFixed(0)}` : '-', 18),
          cell(m ? `${m.startHeapUsedMb.toFixed(0)}>${m.peakHeapUsedMb.toFixed(0)}` : '-', 19),
          cell(m ? m.maxSampleGapMs : '-', 9),
        ];
    out([cell(x.group, 16, true), cell(x.name, 42, true), cell(x.batchSize, 6), ...figures].join(' '));
  }
  const failed = results.filter((x) => x.error);
  if (failed.length > 0) {
    out();
    for (const x of failed) out(`  ${x.group}, ${x.name} (batch ${x.batchSize}): ${x.error}`);
  }
  out();
  out('Ratios (docs/s of the scenario / docs/s of its baseline in the same group):');
  for (const y of r) out(`  ${y.group.padEnd(16)} ${y.scenario} (batch ${y.batchSize}) / ${y.baseline} = ${y.ratio.toFixed(3)}`);
}

export async function writeJson(dir: string, payload: { results: ScenarioResult[] } & Record<string, unknown>): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  const body = {
    generatedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
    },
    ...payload,
    ratios: ratios(payload.results),
  };
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
