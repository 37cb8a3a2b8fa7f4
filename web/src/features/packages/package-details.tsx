import { useTitle } from '../../router.tsx';

export function PackageDetailsPage(_props: Record<string, string>) {
  useTitle('PackageDetailsPage');
  return <h1>PackageDetailsPage</h1>;
}
