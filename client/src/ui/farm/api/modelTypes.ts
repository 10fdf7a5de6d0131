/** Models and their revisions (`/api/models`, `/api/models/{id}/revisions`). */
import type { PrintFileMetadata } from '@fleetsync/shared/metadata';
import { compact, isObject, listOf, num, numbers, pick, str, strings, type Json } from './parse.js';

export interface ModelRevision {
  id: string;
  number: number;
  fileName: string;
  sizeBytes?: number;
  sha256?: string;
  changelog?: string;
  createdAt?: string;
  createdBy?: string;
  metadata?: PrintFileMetadata;
}

export interface PrintModel {
  id: string;
  name: string;
  orgId?: string;
  description?: string;
  /** Number of the newest revision (0: none uploaded yet). */
  latestNumber?: number;
  latestRevision?: ModelRevision;
  updatedAt?: string;
}

export interface PrintProfile {
  id: string;
  name: string;
  material?: string;
  nozzleDiameterMm?: number;
  layerHeightMm?: number;
  printerModel?: string;
}

export function parseMetadata(v: unknown): PrintFileMetadata | undefined {
  if (!isObject(v)) return undefined;
  const area = isObject(v.printableArea) ? v.printableArea : undefined;
  const width = area ? num(area.widthMm) : undefined;
  const depth = area ? num(area.depthMm) : undefined;
  return compact<PrintFileMetadata>({
    slicer: str(v.slicer),
    slicerVersion: str(v.slicerVersion),
    printerModel: str(v.printerModel),
    printerModelId: str(v.printerModelId),
    nozzleDiameterMm: numbers(v.nozzleDiameterMm),
    printableArea: width !== undefined && depth !== undefined ? { widthMm: width, depthMm: depth, polygon: [] } : undefined,
    maxHeightMm: num(v.maxHeightMm),
    estimatedSeconds: num(v.estimatedSeconds),
    filamentTypes: strings(v.filamentTypes),
    filamentUsedGrams: numbers(v.filamentUsedGrams),
    totalFilamentGrams: num(v.totalFilamentGrams),
    totalLayers: num(v.totalLayers),
  });
}

export function parseRevision(v: Json): ModelRevision | null {
  const id = str(v.id);
  if (!id) return null;
  return compact<ModelRevision>({
    id,
    number: num(pick(v, 'number', 'revision', 'version')) ?? 0,
    fileName: str(pick(v, 'fileName', 'filename', 'name')) ?? 'file',
    sizeBytes: num(pick(v, 'sizeBytes', 'size')),
    sha256: str(v.sha256),
    changelog: str(v.changelog),
    createdAt: str(v.createdAt),
    createdBy: str(v.createdBy),
    metadata: parseMetadata(v.metadata),
  });
}

export function parseModel(v: Json): PrintModel | null {
  const id = str(v.id);
  const name = str(v.name);
  if (!id || !name) return null;
  const latest = pick(v, 'latestRevision', 'latest', 'currentRevision');
  const latestRevision = isObject(latest) ? (parseRevision(latest) ?? undefined) : undefined;
  return compact<PrintModel>({
    id,
    name,
    orgId: str(v.orgId),
    description: str(v.description),
    latestNumber: latestRevision?.number ?? num(latest),
    latestRevision,
    updatedAt: str(pick(v, 'updatedAt', 'createdAt')),
  });
}

export function parseProfile(v: Json): PrintProfile | null {
  const id = str(v.id);
  const name = str(v.name);
  if (!id || !name) return null;
  return compact<PrintProfile>({
    id,
    name,
    material: str(v.material),
    nozzleDiameterMm: num(v.nozzleDiameterMm),
    layerHeightMm: num(v.layerHeightMm),
    printerModel: str(v.printerModel),
  });
}

export const parseProfiles = (body: unknown): PrintProfile[] => listOf(body, parseProfile, 'profiles');

export const parseModels = (body: unknown): PrintModel[] => listOf(body, parseModel, 'models');
export const parseRevisions = (body: unknown): ModelRevision[] =>
  listOf(body, parseRevision, 'revisions').sort((a, b) => b.number - a.number);

export function parseCreatedModel(body: unknown): PrintModel {
  const model = isObject(body) ? parseModel(isObject(body.model) ? body.model : body) : null;
  if (!model) throw new Error('the server did not return the new model');
  return model;
}
