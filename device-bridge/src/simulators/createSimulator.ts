/** Build the simulator for a protocol. */
import type { PrinterProtocol } from '../adapters/deviceAdapter.js';
import { BambuSimulator, type BambuSimulatorOptions } from './bambuSimulator.js';
import type { DeviceSimulator } from './deviceSimulator.js';
import { MoonrakerSimulator } from './moonrakerSimulator.js';
import { OctoPrintSimulator } from './octoPrintSimulator.js';
import { PrusaLinkSimulator } from './prusaLinkSimulator.js';

export function createSimulator(protocol: PrinterProtocol, options: BambuSimulatorOptions = {}): DeviceSimulator {
  switch (protocol) {
    case 'bambu':
      return new BambuSimulator(options);
    case 'moonraker':
      return new MoonrakerSimulator(options);
    case 'prusalink':
      return new PrusaLinkSimulator(options);
    case 'octoprint':
      return new OctoPrintSimulator(options);
  }
}
