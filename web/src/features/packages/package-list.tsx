import { useTitle } from '../../router.tsx';

export function PackageListPage(_props: Record<string, string>) {
  useTitle('PackageListPage');
  return <h1>PackageListPage</h1>;
}
