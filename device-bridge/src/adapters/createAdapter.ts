/** Build the adapter for a printer's protocol. */
import { BambuAdapter } from './bambuAdapter.js';
import type { AdapterConfig, DeviceAdapter } from './deviceAdapter.js';
import { MoonrakerAdapter } from './moonrakerAdapter.js';
import { OctoPrintAdapter } from './octoPrintAdapter.js';
import { PrusaLinkAdapter } from './prusaLinkAdapter.js';

export function createAdapter(config: AdapterConfig): DeviceAdapter {
  switch (config.protocol) {
    case 'bambu':
      return new BambuAdapter(config);
    case 'moonraker':
      return new MoonrakerAdapter(config);
    case 'prusalink':
      return new PrusaLinkAdapter(config);
    case 'octoprint':
      return new OctoPrintAdapter(config);
  }
}
