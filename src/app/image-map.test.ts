/** The image map's two guards that need no database: shared stamp queries never older than a lookup, and the epoch. */
import { describe, expect, it } from 'vitest';
import type { VersionFacts } from '../domain/deployment/image-resolution.ts';
import type { Db } from '../store/database.ts';
import type { VersionStamp } from '../store/version-stamps.ts';
import { ImageMapCache } from './image-map.ts';
import { StampReader } from './stamp-reader.ts';

const stamp = (generation: string): VersionStamp => ({ versionId: 'ver-1', packageId: 'pkg-1', versionNumber: 1, deleting: false, cancelling: false, generation });

describe('StampReader', () => {
  it('answers a lookup that arrives while a query runs with the next query, never with the one already sent', async () => {
    const sent: { ids: string[]; answer: (m: Map<string, VersionStamp>) => void }[] = [];
    const reader = new StampReader((ids) => new Promise((resolve) => sent.push({ ids, answer: resolve })));
    const first = reader.read(['ver-1']);
    await new Promise((r) => setImmediate(r));
    expect(sent.length).toBe(1);
    // A deletion commits here; the next lookup begins after it.
    const second = reader.read(['ver-1']);
    const third = reader.read(['ver-2']);
    sent[0]!.answer(new Map([['ver-1', stamp('1')]]));
    expect((await first).get('ver-1')?.deleting).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(sent.map((s) => s.ids)).toEqual([['ver-1'], ['ver-1', 'ver-2']]);
    sent[1]!.answer(new Map([['ver-1', { ...stamp('1'), deleting: true }]]));
    expect((await second).get('ver-1')?.deleting).toBe(true);
    expect((await third).get('ver-1')?.deleting).toBe(true);
  });
});

describe('ImageMapCache in this process', () => {
  const facts: VersionFacts = {
    packageId: 'pkg-1',
    packageName: 'web',
    version: 1,
    sourceRegion: 'cn-hangzhou',
    sourceImageId: null,
    deleting: false,
    deliveries: [{ region: 'cn-shanghai', state: 'Available', imageId: 'm-sh' }],
    ingest: null,
  };
  const keys = [{ packageId: 'pkg-1', version: 1 }];
  const cache = () => new ImageMapCache({ maxVersions: 10, nowMs: () => 0, db: {} as Db, writers: 'this-process' });

  it('serves what a lookup remembered', async () => {
    const c = cache();
    c.remember(c.epoch, stamp('1'), facts);
    expect((await c.remembered({} as Db, keys, 'cn-shanghai')).get('pkg-1/1')?.deliveries).toEqual(facts.deliveries);
  });

  it('does not remember what a lookup read before a deletion, cancellation or retry in this process ended', async () => {
    const c = cache();
    const epoch = c.epoch;
    await c.changing(async () => {});
    c.remember(epoch, stamp('1'), facts);
    expect((await c.remembered({} as Db, keys, 'cn-shanghai')).size).toBe(0);
  });
});
