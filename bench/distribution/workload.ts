/** The distribution benchmark's workloads: fixed and seeded, so every run and every draw copies the same versions. */
import { seededUnit } from '../../src/cloud/simulator/model.ts';
import { NO_FAULTS, type SimFaults } from '../../src/cloud/simulator/simulator.ts';
import { REGIONS } from '../../src/domain/regions.ts';

export const SEED = 20261127;
export const VERSIONS = 20;
export const REGION_COUNT = 25;
export const SIZES_GIB = { min: 20, max: 500 } as const;
export const SOURCES = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'ap-southeast-1'] as const;
export const FAULTS: SimFaults = { ...NO_FAULTS, throttleRate: 0.05, transientRate: 0.01 };
export const DIST = 'imagenest-distribution';
export const SUPPLIER = 'acc-bench-supplier';
/** The single-version latency run: one version of this size, published alone to every benchmark region. */
export const SINGLE_VERSION_GIB = 40;

/** One version to publish: its name, size, where its source image lives and where it goes. */
export interface VersionSpec {
  name: string;
  sizeGiB: number;
  sourceRegion: string;
  regions: readonly string[];
}

const benchRegions = REGIONS.slice(0, REGION_COUNT).map((r) => r.id);

/** The headline workload: 20 versions × 25 regions, sizes 20–500 GiB from the seed, sources rotating over four regions. */
export const WORKLOAD: readonly VersionSpec[] = Array.from({ length: VERSIONS }, (_, i) => ({
  name: `bench_pkg_${String(i).padStart(2, '0')}`,
  sizeGiB: Math.round(SIZES_GIB.min + seededUnit(SEED, 'size', i) * (SIZES_GIB.max - SIZES_GIB.min)),
  sourceRegion: SOURCES[i % SOURCES.length]!,
  regions: benchRegions,
}));

/** One 40 GiB version published alone to the same 25 regions, from the first source region. */
export const SINGLE_VERSION: readonly VersionSpec[] = [{ name: 'bench_single', sizeGiB: SINGLE_VERSION_GIB, sourceRegion: SOURCES[0], regions: benchRegions }];
