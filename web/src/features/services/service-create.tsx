import { useTitle } from '../../router.tsx';

export function ServiceCreatePage(_props: Record<string, string>) {
  useTitle('ServiceCreatePage');
  return <h1>ServiceCreatePage</h1>;
}
