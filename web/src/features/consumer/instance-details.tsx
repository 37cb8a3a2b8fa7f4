import { useTitle } from '../../router.tsx';

export function InstanceDetailsPage(_props: Record<string, string>) {
  useTitle('InstanceDetailsPage');
  return <h1>InstanceDetailsPage</h1>;
}
