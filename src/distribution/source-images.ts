/** The SourceImages port over the cloud: the same look at a source image an ingest takes first. */
import type { SourceImages, SourceImageVerdict } from '../app/ports.ts';
import { assertNever } from '../domain/assert-never.ts';
import type { CloudProvider } from '../cloud/provider.ts';
import { inspectSource } from './cloud-steps.ts';

export class CloudSourceImages implements SourceImages {
  constructor(private readonly cloud: CloudProvider) {}

  async inspect(owner: string, region: string, imageId: string): Promise<SourceImageVerdict> {
    const r = await inspectSource(this.cloud, owner, region, imageId);
    if (!r.ok) {
      // A region or image the cloud refuses outright is as unusable as a missing one.
      const cloud = { code: r.error.code, message: r.error.message };
      if (r.error.kind === 'notFound' || r.error.kind === 'permanent') return { state: 'notFound', cloud };
      return { state: 'unknown', cloud };
    }
    switch (r.value.state) {
      case 'usable':
        return { state: 'usable', sizeGiB: r.value.image.sizeGiB };
      case 'notAvailable':
        return { state: 'notAvailable', status: r.value.image.status };
      case 'notFound':
        return { state: 'notFound' };
      default:
        return assertNever(r.value);
    }
  }
}
