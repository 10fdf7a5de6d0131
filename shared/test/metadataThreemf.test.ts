/** 3MF metadata: a Bambu-style project built here with fflate (project_settings JSON + slice_info XML). */
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { extractThreeMfMetadata, parseSliceInfo, readThreeMf } from '../src/metadata/threemf.js';

const projectSettings = JSON.stringify({
  printer_model: 'Bambu Lab X1 Carbon',
  printer_settings_id: 'Bambu Lab X1 Carbon 0.4 nozzle',
  printable_area: ['0x0', '256x0', '256x256', '0x256'],
  printable_height: '250',
  nozzle_diameter: ['0.4'],
  filament_type: ['PLA', 'PETG', 'TPU', 'PLA'],
  layer_height: '0.2',
  initial_layer_print_height: '0.2',
  curr_bed_type: 'Textured PEI Plate',
  bed_exclude_area: ['0x0', '18x0', '18x28', '0x28'],
});

const plate = (index: number, prediction: number, weight: number, filaments: string) => `
  <plate>
    <metadata key="index" value="${index}"/>
    <metadata key="printer_model_id" value="BL-P001"/>
    <metadata key="nozzle_diameters" value="0.4"/>
    <metadata key="timelapse_type" value="0"/>
    <metadata key="prediction" value="${prediction}"/>
    <metadata key="weight" value="${weight}"/>
    <metadata key="outside" value="false"/>
    <object identify_id="101" name="Cube &amp; &quot;Co&quot;" skipped="false"/>
    ${filaments}
  </plate>`;

const sliceInfo = `<?xml version="1.0" encoding="UTF-8"?>
<config>
  <header>
    <header_item key="X-BBL-Client-Type" value="slicer"/>
    <header_item key="X-BBL-Client-Version" value="02.01.00.59"/>
  </header>${plate(1, 3300, 12.5, '<filament id="1" type="PLA" color="#FFFFFF" used_m="4.19" used_g="12.50"/>')}${plate(
    2,
    600,
    4.02,
    `<filament id="2" type="PETG" color="#000000" used_m="1.00" used_g="3.00"/>
    <filament id="3" type="TPU" color="#FF0000" used_m="0.34" used_g="1.02"/>`,
  )}
</config>`;

function project(files: Record<string, string>): Uint8Array {
  const entries: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types/>'),
    '3D/3dmodel.model': strToU8('<model/>'),
    'Metadata/plate_1.png': new Uint8Array([137, 80, 78, 71]),
  };
  for (const [name, text] of Object.entries(files)) entries[name] = strToU8(text);
  return zipSync(entries);
}

describe('3MF metadata', () => {
  it('reads a sliced two-plate project: time and weight per plate and summed, used filament types, bed, nozzle', () => {
    const meta = readThreeMf(
      project({ 'Metadata/project_settings.config': projectSettings, 'Metadata/slice_info.config': sliceInfo }),
    );
    expect(meta).toMatchObject({
      slicer: 'BambuStudio',
      slicerVersion: '02.01.00.59',
      printerModel: 'Bambu Lab X1 Carbon',
      printerModelId: 'BL-P001',
      printerSettingsId: 'Bambu Lab X1 Carbon 0.4 nozzle',
      printableArea: { widthMm: 256, depthMm: 256 },
      maxHeightMm: 250,
      nozzleDiameterMm: [0.4],
      layerHeightMm: 0.2,
      bedType: 'Textured PEI Plate',
      estimatedSeconds: 3900,
      totalFilamentGrams: 16.52,
      filamentTypes: ['PLA', 'PETG', 'TPU'],
    });
    expect(meta.plates).toEqual([
      {
        index: 1,
        estimatedSeconds: 3300,
        weightGrams: 12.5,
        printerModelId: 'BL-P001',
        nozzleDiameterMm: 0.4,
        filaments: [{ id: '1', type: 'PLA', color: '#FFFFFF', usedMeters: 4.19, usedGrams: 12.5 }],
      },
      expect.objectContaining({
        index: 2,
        estimatedSeconds: 600,
        filaments: [expect.objectContaining({ type: 'PETG' }), expect.objectContaining({ type: 'TPU' })],
      }),
    ]);
  });

  it('reads an unsliced project: settings only, no plates, no time', () => {
    const header =
      '<?xml version="1.0" encoding="UTF-8"?><config><header><header_item key="X-BBL-Client-Type" value="slicer"/></header></config>';
    const meta = readThreeMf(
      project({ 'Metadata/project_settings.config': projectSettings, 'Metadata/slice_info.config': header }),
    );
    expect(meta.plates).toEqual([]);
    expect(meta.estimatedSeconds).toBeUndefined();
    expect(meta.filamentTypes).toEqual(['PLA', 'PETG', 'TPU', 'PLA']);
  });

  it('takes the nozzle from slice_info when the project settings are missing or broken', () => {
    expect(extractThreeMfMetadata({ sliceInfo, projectSettings: '{ not json' })).toMatchObject({
      nozzleDiameterMm: [0.4],
      estimatedSeconds: 3900,
    });
    expect(readThreeMf(project({}))).toEqual({});
  });

  it('decodes XML entities and ignores plates without an index', () => {
    const xml = `<config><plate><metadata key="prediction" value="5"/></plate><plate><metadata key="index" value="3"/>
      <filament id="1" type="PLA &amp; more" used_g="1"/></plate></config>`;
    expect(parseSliceInfo(xml).plates).toEqual([
      {
        index: 3,
        estimatedSeconds: undefined,
        weightGrams: undefined,
        printerModelId: undefined,
        nozzleDiameterMm: undefined,
        filaments: [{ id: '1', type: 'PLA & more', color: undefined, usedMeters: undefined, usedGrams: 1 }],
      },
    ]);
  });

  it('refuses bytes that are not a zip archive', () => {
    expect(() => readThreeMf(new TextEncoder().encode('definitely not a zip'))).toThrow();
  });
});
