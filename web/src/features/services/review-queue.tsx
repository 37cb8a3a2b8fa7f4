import { useTitle } from '../../router.tsx';

export function ReviewQueuePage(_props: Record<string, string>) {
  useTitle('ReviewQueuePage');
  return <h1>ReviewQueuePage</h1>;
}
