import { useTitle } from '../../router.tsx';

export function PackageCreatePage(_props: Record<string, string>) {
  useTitle('PackageCreatePage');
  return <h1>PackageCreatePage</h1>;
}
