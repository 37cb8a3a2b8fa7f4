import { describe, expect, it } from 'vitest';
import { DeliveryErrorCode, isDeliveryErrorCode, startRefused } from './delivery-error.ts';

describe('delivery errors', () => {
  it('names a refused start in our terms and keeps the cloud\'s code and message', () => {
    expect(startRefused('notFound', 'InvalidImageId.NotFound', 'no such image')).toEqual({
      code: 'SOURCE_IMAGE_NOT_FOUND',
      cloudCode: 'InvalidImageId.NotFound',
      message: 'no such image',
    });
    expect(startRefused('quota', 'QuotaExceed.Image', 'q').code).toBe('QUOTA_EXCEEDED');
    expect(startRefused('permanent', 'InvalidParameter', 'p').code).toBe('CLOUD_REJECTED');
    expect(startRefused('throttled', 'Throttling.User', 't').code).toBe('CLOUD_UNAVAILABLE');
    expect(startRefused('transient', 'ServiceUnavailable', 't').code).toBe('CLOUD_UNAVAILABLE');
  });

  it('knows its own codes and nothing else', () => {
    for (const c of Object.values(DeliveryErrorCode)) expect(isDeliveryErrorCode(c)).toBe(true);
    expect(isDeliveryErrorCode('IngestFailed')).toBe(false);
    expect(isDeliveryErrorCode('InvalidImageId.NotFound')).toBe(false);
  });
});
