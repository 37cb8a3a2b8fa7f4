import { useTitle } from '../../router.tsx';

export function ServiceDetailsPage(_props: Record<string, string>) {
  useTitle('ServiceDetailsPage');
  return <h1>ServiceDetailsPage</h1>;
}
