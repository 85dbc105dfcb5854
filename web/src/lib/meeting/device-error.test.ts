import { describe, expect, test } from 'vitest';
import { describeDeviceError, isMediaDeviceError } from './device-error';

describe('describeDeviceError', () => {
  test('a blocked permission says where to allow it', () => {
    const error = new DOMException('Permission denied', 'NotAllowedError');
    expect(describeDeviceError(error)).toMatch(/blocks the camera and microphone .* site settings/);
  });

  test.each([
    ['NotFoundError', /No camera or microphone was found/],
    ['NotReadableError', /in use by another application/],
    ['OverconstrainedError', /no longer available/],
    ['SecurityError', /secure \(https\) address/],
  ])('%s has its own sentence', (name, expected) => {
    expect(describeDeviceError(new DOMException('raw', name))).toMatch(expected);
  });

  test('anything else keeps its message as a sentence, or a generic one when it has none', () => {
    expect(describeDeviceError(new Error('Device busy'))).toBe('Device busy.');
    expect(describeDeviceError(new Error('Already a sentence.'))).toBe('Already a sentence.');
    expect(describeDeviceError(new Error(''))).toBe('The camera or microphone is not available.');
  });

  test('device failures are told apart from connection failures', () => {
    expect(isMediaDeviceError(new DOMException('Permission denied', 'NotAllowedError'))).toBe(true);
    expect(isMediaDeviceError(new DOMException('busy', 'NotReadableError'))).toBe(true);
    const connection = Object.assign(new Error('could not establish pc connection'), {
      name: 'ConnectionError',
    });
    expect(isMediaDeviceError(connection)).toBe(false);
    expect(isMediaDeviceError(new Error('no livekit url provided'))).toBe(false);
  });
});
