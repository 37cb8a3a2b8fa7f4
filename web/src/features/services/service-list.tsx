import { useTitle } from '../../router.tsx';

export function ServiceListPage(_props: Record<string, string>) {
  useTitle('ServiceListPage');
  return <h1>ServiceListPage</h1>;
}
