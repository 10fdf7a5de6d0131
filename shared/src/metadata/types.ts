/**
 * One normalised record of what a slicer wrote about a print file, whatever the slicer
 * (printfarm anchor §3e). Input to the dispatch guardrail: model, bed, nozzle, filament, time.
 */

export interface PrintableArea {
  widthMm: number;
  depthMm: number;
  /** The bed outline as the slicer gave it, [x, y] in mm. */
  polygon: [number, number][];
}

export interface PlateFilament {
  id: string;
  type?: string;
  color?: string;
  usedMeters?: number;
  usedGrams?: number;
}

/** One plate of a Bambu/Orca 3MF project (slice_info.config). */
export interface PlateMetadata {
  index: number;
  estimatedSeconds?: number;
  weightGrams?: number;
  printerModelId?: string;
  nozzleDiameterMm?: number;
  filaments: PlateFilament[];
}

export interface PrintFileMetadata {
  slicer?: string;
  slicerVersion?: string;
  /** e.g. `MK3S`, `Bambu Lab X1 Carbon`, `Creality Ender-3 Pro`. */
  printerModel?: string;
  /** Bambu model code from slice_info (e.g. `N2S`, `BL-P001`). */
  printerModelId?: string;
  printerSettingsId?: string;
  /** Per extruder. */
  nozzleDiameterMm?: number[];
  printableArea?: PrintableArea;
  maxHeightMm?: number;
  layerHeightMm?: number;
  firstLayerHeightMm?: number;
  totalLayers?: number;
  estimatedSeconds?: number;
  /** Per extruder or filament slot, in the slicer's order. */
  filamentTypes?: string[];
  filamentUsedMm?: number[];
  filamentUsedCm3?: number[];
  filamentUsedGrams?: number[];
  totalFilamentGrams?: number;
  /** Total filament cost in the slicer's currency. */
  filamentCost?: number;
  bedType?: string;
  /** 3MF projects: every sliced plate; the top-level time and weight are their sums. */
  plates?: PlateMetadata[];
}
