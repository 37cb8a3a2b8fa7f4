import { useTitle } from '../../router.tsx';

export function CatalogPage(_props: Record<string, string>) {
  useTitle('CatalogPage');
  return <h1>CatalogPage</h1>;
}
