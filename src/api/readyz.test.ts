/** /readyz over a real database (PGlite, and PostgreSQL when TEST_DATABASE_URL is set): ready while it answers, 503 once it is gone. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { backends } from '../../test/support/stores.ts';
import { depsFor } from '../../test/support/fixtures.ts';
import { createApi } from './app.ts';

describe.each(backends)('/readyz on $name', (backend) => {
  it.skipIf(backend.skipReason !== null)('answers ready while the database answers, and 503 once the store is closed', async () => {
    const store = await backend.open();
    const api = createApi(depsFor(store), { logger: pino({ level: 'silent' }) });
    const ready = await api.request('/readyz');
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
    await store.close();
    const gone = await api.request('/readyz');
    expect([gone.status, await gone.json()]).toEqual([503, { status: 'not ready' }]);
    // The process itself is still up.
    expect((await api.request('/healthz')).status).toBe(200);
  });
});
