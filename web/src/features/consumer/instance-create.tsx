import { useTitle } from '../../router.tsx';

export function InstanceCreatePage(_props: Record<string, string>) {
  useTitle('InstanceCreatePage');
  return <h1>InstanceCreatePage</h1>;
}
