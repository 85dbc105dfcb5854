import { EgressStatus } from 'livekit-server-sdk';
import { describe, expect, test } from 'vitest';
import { egressFileOf, egressTransitions, isEgressWebhook, nanosToSeconds } from './egress-events';
import { egressWebhookEvent as fixture } from './fixtures/egress-webhooks';

describe('egress webhook fixtures → transitions', () => {
  test('egress_started (status omitted = STARTING) → started', async () => {
    const event = await fixture('egress-started');
    expect(isEgressWebhook(event)).toBe(true);
    expect(event.egressInfo!.status).toBe(EgressStatus.EGRESS_STARTING);
    expect(egressTransitions(event.egressInfo!)).toEqual([{ event: 'started' }]);
  });

  test('egress_updated ACTIVE → started (a no-op once recording)', async () => {
    const event = await fixture('egress-updated-active');
    expect(egressTransitions(event.egressInfo!)).toEqual([{ event: 'started' }]);
  });

  test('egress_updated ENDING → stop', async () => {
    const event = await fixture('egress-updated-ending');
    expect(egressTransitions(event.egressInfo!)).toEqual([{ event: 'stop' }]);
  });

  test('egress_ended COMPLETE → stop, then stopped with location, size and duration in seconds', async () => {
    const event = await fixture('egress-ended-complete');
    const path = '/out/recordings/weekly-sync-3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d.mp4';
    expect(egressTransitions(event.egressInfo!)).toEqual([
      { event: 'stop' },
      {
        event: 'stopped',
        extra: {
          filePath: path,
          sizeBytes: 18_734_912n,
          durationSeconds: 93.37,
          // endedAt 1764290096173456789 ns
          endedAt: new Date(1_764_290_096_173),
        },
      },
    ]);
  });

  test('egress_ended FAILED → fail with the egress error as the reason', async () => {
    const event = await fixture('egress-ended-failed');
    expect(egressTransitions(event.egressInfo!)).toEqual([
      {
        event: 'fail',
        extra: { failureReason: 'Start signal not received', endedAt: new Date(1_764_290_030_523) },
      },
    ]);
  });

  test.each([
    [EgressStatus.EGRESS_ABORTED, 'LiveKit Egress aborted the recording.'],
    [EgressStatus.EGRESS_LIMIT_REACHED, 'LiveKit Egress reached its time limit.'],
    [EgressStatus.EGRESS_FAILED, 'LiveKit Egress failed.'],
  ])('status %s without an error text still fails with a reason', async (status, reason) => {
    const info = (await fixture('egress-ended-failed')).egressInfo!.clone();
    info.status = status;
    info.error = '  ';
    expect(egressTransitions(info)[0]).toMatchObject({ event: 'fail', extra: { failureReason: reason } });
  });

  test('room and participant events are not egress events', async () => {
    expect(isEgressWebhook({ event: 'participant_joined' })).toBe(false);
  });
});

describe('egress file info', () => {
  test.each([
    [0n, 0],
    [1_000_000_000n, 1],
    [93_370_000_000n, 93.37],
    // Sub-millisecond parts are dropped, not rounded up.
    [1_999_999n, 0.001],
    [3_600_000_000_000n, 3600],
  ])('%s ns = %s s', (nanos, seconds) => {
    expect(nanosToSeconds(nanos)).toBe(seconds);
  });

  test('S3 results: the object URL is the location', async () => {
    const info = (await fixture('egress-ended-complete')).egressInfo!.clone();
    info.fileResults[0]!.location = 'https://rec.s3.eu-central-1.amazonaws.com/weekly-sync-x.mp4';
    info.fileResults[0]!.filename = 'weekly-sync-x.mp4';
    expect(egressFileOf(info).filePath).toBe('https://rec.s3.eu-central-1.amazonaws.com/weekly-sync-x.mp4');
  });

  test('an egress without file results yields no file (nothing invented)', async () => {
    const info = (await fixture('egress-updated-ending')).egressInfo!;
    expect(egressFileOf(info)).toEqual({});
  });
});
