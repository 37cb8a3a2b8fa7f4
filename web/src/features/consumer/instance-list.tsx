import { useTitle } from '../../router.tsx';

export function InstanceListPage(_props: Record<string, string>) {
  useTitle('InstanceListPage');
  return <h1>InstanceListPage</h1>;
}
