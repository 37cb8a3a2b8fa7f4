/** A cloud whose calls go to `c` except the ones overridden (the simulator is a class: its methods do not spread). */
import type { CloudProvider } from '../../src/cloud/provider.ts';

export function withCalls(c: CloudProvider, overrides: Partial<CloudProvider>): CloudProvider {
  return {
    describeRegions: (r) => c.describeRegions(r),
    describeImages: (r) => c.describeImages(r),
    copyImage: (r) => c.copyImage(r),
    cancelCopyImage: (r) => c.cancelCopyImage(r),
    deleteImage: (r) => c.deleteImage(r),
    modifyImageSharePermission: (r) => c.modifyImageSharePermission(r),
    describeImageSharePermission: (r) => c.describeImageSharePermission(r),
    ...overrides,
  };
}
