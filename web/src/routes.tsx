/** Which page each path shows, and each role's home page. */
import type { ReactNode } from 'react';
import type { Account } from '../../src/contract/schemas.ts';
import { Link, useTitle } from './router.tsx';
import { PackageListPage } from './features/packages/package-list.tsx';
import { PackageCreatePage } from './features/packages/package-create.tsx';
import { PackageDetailsPage } from './features/packages/package-details.tsx';
import { ServiceListPage } from './features/services/service-list.tsx';
import { ServiceCreatePage } from './features/services/service-create.tsx';
import { ServiceDetailsPage } from './features/services/service-details.tsx';
import { ReviewQueuePage } from './features/services/review-queue.tsx';
import { CatalogPage } from './features/consumer/catalog.tsx';
import { InstanceCreatePage } from './features/consumer/instance-create.tsx';
import { InstanceListPage } from './features/consumer/instance-list.tsx';
import { InstanceDetailsPage } from './features/consumer/instance-details.tsx';

type Params = Record<string, string>;

export const ROUTES: { home: Record<Account['role'], () => ReactNode>; pages: [string, (p: Params) => ReactNode][] } = {
  home: {
    supplier: () => <PackageListPage />,
    admin: () => <ReviewQueuePage />,
    consumer: () => <CatalogPage />,
  },
  pages: [
    ['/packages', () => <PackageListPage />],
    ['/packages/new', () => <PackageCreatePage />],
    ['/packages/:name', (p) => <PackageDetailsPage name={p.name!} />],
    ['/services', () => <ServiceListPage />],
    ['/services/new', () => <ServiceCreatePage />],
    ['/services/:id', (p) => <ServiceDetailsPage id={p.id!} />],
    ['/review', () => <ReviewQueuePage />],
    ['/catalog', () => <CatalogPage />],
    ['/catalog/:id/deploy', (p) => <InstanceCreatePage serviceId={p.id!} />],
    ['/instances', () => <InstanceListPage />],
    ['/instances/:id', (p) => <InstanceDetailsPage id={p.id!} />],
  ],
};

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link to="/">Go to the start page</Link>.
      </p>
    </section>
  );
}
