/** The learned copy speeds' table, on both storage backends. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/stores.ts';
import { addObservation, classSpeed, NO_STATS, pairKey, routeSpeeds } from '../domain/delivery/learned-speeds.ts';
import type { Store } from './database.ts';
import { loadSpeedBook, recordCopySpeed } from './speeds-repo.ts';

const AT = new Date(Date.UTC(2026, 0, 1));

describe.each(backends)('copy speeds on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    if (!backend.skipReason) store = await backend.open();
  });
  afterAll(async () => store?.close());

  it.skipIf(backend.skipReason)('keeps each copy in its route class and its region pair, as the estimator adds it', async () => {
    expect(await loadSpeedBook(store.db)).toEqual({ classes: new Map(), pairs: new Map() });
    await recordCopySpeed(store.db, 'cn-hangzhou', 'eu-central-1', { gibPerMin: 2, weight: 1 }, AT);
    await recordCopySpeed(store.db, 'cn-shanghai', 'us-east-1', { gibPerMin: 4, weight: 0.5 }, AT);
    const book = await loadSpeedBook(store.db);
    const expected = addObservation(addObservation(NO_STATS, { gibPerMin: 2, weight: 1 }), { gibPerMin: 4, weight: 0.5 });
    expect(book.classes.get('intercontinental')!.samples).toBe(2);
    expect(book.classes.get('intercontinental')!.weight).toBeCloseTo(expected.weight, 12);
    expect(book.classes.get('intercontinental')!.weightedLog).toBeCloseTo(expected.weightedLog, 12);
    expect(book.pairs.get(pairKey('cn-hangzhou', 'eu-central-1'))).toEqual(addObservation(NO_STATS, { gibPerMin: 2, weight: 1 }));
    expect(routeSpeeds(book)('cn-shanghai', 'eu-central-1')).toBeCloseTo(classSpeed('intercontinental', expected), 9);
  });

  it.skipIf(backend.skipReason)('loses no copy recorded concurrently', async () => {
    await Promise.all(Array.from({ length: 16 }, (_, i) => recordCopySpeed(store.db, 'cn-beijing', i % 2 ? 'cn-shanghai' : 'cn-shenzhen', { gibPerMin: 3, weight: 1 }, AT)));
    const book = await loadSpeedBook(store.db);
    expect(book.classes.get('sameArea')!.samples).toBe(16);
    expect(book.pairs.get(pairKey('cn-beijing', 'cn-shanghai'))!.samples).toBe(8);
  });
});
