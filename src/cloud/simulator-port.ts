/**
 * What the API may ask of the embedded cloud simulator: the port its routes depend on, so the
 * API never imports the simulator itself (the runtime passes it in).
 */
import type { CallAs, CloudImage } from './provider.ts';

/** Faults to inject; all draws are seeded, so a run is reproducible. */
export interface SimFaults {
  /** Share of calls answered `Throttling.User`. */
  throttleRate: number;
  /** Share of calls answered with a transient server error. */
  transientRate: number;
  /** Per destination region: share of copies that end `CreateFailed`. */
  regionFailureRate: Record<string, number>;
  /** Regions whose API answers `ServiceUnavailable` between two simulated instants. */
  outages: { region: string; fromMs: number; toMs: number }[];
}

/** One image the simulated cloud holds or held, as an admin lists it. */
export interface SimImageRecord {
  imageId: string;
  region: string;
  /** The cloud's status, or `Cancelled` / `Deleted` once the image is gone. */
  status: string;
  progress: number;
  sizeGiB: number;
  tags: { key: string; value: string }[];
  deleted: boolean;
  /** The image it was copied from; null for an image made with createImage. */
  copiedFrom: string | null;
  /** Its share permission, as DescribeImageSharePermission answers it: accounts besides the owner. */
  sharedWith: string[];
  isPublic: boolean;
}

/** One ECS resource a deployment made and the simulated cloud still runs. */
export interface SimInstanceRecord {
  resourceId: string;
  deploymentId: string;
  account: string;
  region: string;
  imageId: string;
  resourceType: string;
  logicalId: string;
}

export interface SimulatorAdmin {
  /** Makes a custom image owned by `account`, Available at once. */
  createImage(req: CallAs & { regionId: string; sizeGiB: number; name?: string }): Promise<CloudImage>;
  setFaults(faults: SimFaults): Promise<void>;
  getFaults(): Promise<SimFaults>;
  /** Every image an account ever had, deleted and cancelled ones included, in request order. */
  imageRecords(account: string): Promise<SimImageRecord[]>;
  /** Every resource deployments run in an account: the cloud's record, not the product's. */
  instanceRecords(account: string): Promise<SimInstanceRecord[]>;
}
