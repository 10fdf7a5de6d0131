/**
 * What one process spent over a measurement window: CPU (user + system, as % of one core),
 * event-loop utilisation, memory start and peak (sampled every 100 ms) and the longest gap
 * between two samples (a proxy for event-loop stalls).
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

const MB = 1024 * 1024;
const SAMPLE_MS = 100;
const round1 = (n: number) => Math.round(n * 10) / 10;

export interface ProcessWindow {
  wallMs: number;
  cpuMs: number;
  /** CPU time / wall time × 100: 100 = one core busy for the whole window. */
  cpuPctOfCore: number;
  /** Event-loop utilisation over the window (0..1). */
  elu: number;
  startRssMb: number;
  peakRssMb: number;
  startHeapUsedMb: number;
  peakHeapUsedMb: number;
  maxSampleGapMs: number;
}

export class ProcessMeter {
  private timer: NodeJS.Timeout | undefined;
  private t0 = 0;
  private cpu0: NodeJS.CpuUsage = process.cpuUsage();
  private elu0: EventLoopUtilization = performance.eventLoopUtilization();
  private start = process.memoryUsage();
  private peakRss = 0;
  private peakHeap = 0;
  private last = 0;
  private maxGap = 0;

  begin(): void {
    this.stopSampling();
    this.t0 = performance.now();
    this.cpu0 = process.cpuUsage();
    this.elu0 = performance.eventLoopUtilization();
    this.start = process.memoryUsage();
    this.peakRss = this.start.rss;
    this.peakHeap = this.start.heapUsed;
    this.last = this.t0;
    this.maxGap = 0;
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  end(): ProcessWindow {
    this.sample();
    this.stopSampling();
    const wallMs = performance.now() - this.t0;
    const cpu = process.cpuUsage(this.cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return {
      wallMs: Math.round(wallMs),
      cpuMs: Math.round(cpuMs),
      cpuPctOfCore: round1((cpuMs / wallMs) * 100),
      elu: Math.round(performance.eventLoopUtilization(this.elu0).utilization * 1000) / 1000,
      startRssMb: round1(this.start.rss / MB),
      peakRssMb: round1(this.peakRss / MB),
      startHeapUsedMb: round1(this.start.heapUsed / MB),
      peakHeapUsedMb: round1(this.peakHeap / MB),
      maxSampleGapMs: Math.round(this.maxGap),
    };
  }

  stopSampling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private sample(): void {
    const now = performance.now();
    this.maxGap = Math.max(this.maxGap, now - this.last);
    this.last = now;
    const m = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, m.rss);
    this.peakHeap = Math.max(this.peakHeap, m.heapUsed);
  }
}
